// Where a description's paths live below the target's origin: the path of the first server URL (OpenAPI 3) or the
// basePath (Swagger 2.0), joined to each path without ever producing "//".
import { isObject } from './json-schema.ts';

/** The path of OpenAPI 3 `servers`: the first server, its variables at their defaults; a relative URL is a path. */
export function serversPath(servers: unknown): string {
  if (!Array.isArray(servers) || !isObject(servers[0]) || typeof servers[0].url !== 'string') return '';
  const server = servers[0];
  const variables = isObject(server.variables) ? server.variables : {};
  const url = (server.url as string).replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
  });
  return urlPath(url);
}

/** The path part of a server URL, absolute ("https://x/api"), protocol-relative ("//x/api") or relative ("/api"). */
function urlPath(url: string): string {
  if (/^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) {
    try {
      // A variable without a default stays as written, not percent-encoded.
      return decodeURI(new URL(url, 'http://base.invalid').pathname);
    } catch {
      return '';
    }
  }
  return url.split(/[?#]/)[0]!;
}

/** `base` and `path` as one path: "/api/v1/" + "/pets" is "/api/v1/pets", "" + "/pets" is "/pets". */
export function joinPaths(base: string, path: string): string {
  const head = base.replace(/\/+$/, '').replace(/^\/*/, '/');
  const tail = path.replace(/^\/+/, '');
  if (head === '/') return `/${tail}`;
  return tail === '' && !path.endsWith('/') ? head : `${head}/${tail}`;
}
