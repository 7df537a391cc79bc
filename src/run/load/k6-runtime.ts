// The part of every script that does not depend on the case. JSDoc types let it be checked against @types/k6.
export const RUNTIME = String.raw`
/**
 * @typedef {object} Step
 * @property {string} name
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string | number | boolean>} [query]
 * @property {Record<string, string>} [headers]
 * @property {unknown} [json]
 * @property {string} [body]
 * @property {Record<string, string | number | boolean>} [form]
 * @property {Record<string, { text?: string, base64?: string, name: string, contentType: string }>} [files]
 * @property {boolean} [followRedirects]
 * @property {string} [as]
 * @property {Record<string, string>} [capture]
 * @property {Array<number | string>} [status]
 * @property {number} [repeat]
 */

const TARGET = (__ENV.GAUNTLET_TARGET || '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]/.test(TARGET)) {
  throw new Error(
    (__ENV.GAUNTLET_TARGET ? 'GAUNTLET_TARGET is not an http(s) URL: ' + __ENV.GAUNTLET_TARGET : 'GAUNTLET_TARGET is not set') +
      '; give the base URL of the service under test: k6 run -e GAUNTLET_TARGET=http://localhost:3000 <script>',
  );
}

/**
 * Where requests may go: the target's origin, and those GAUNTLET_ORIGINS lists (comma-separated). k6 itself never
 * follows a redirect; the script does, hop by hop, and refuses one that leads anywhere else.
 */
const ALLOWED_ORIGINS = [TARGET]
  .concat((__ENV.GAUNTLET_ORIGINS || '').split(',').filter((origin) => origin.trim() !== ''))
  .map((url) => originOf(url.trim()));
const MAX_REDIRECTS = 5;

/**
 * "scheme://host:port" of an http(s) URL, lower-cased and without a default port; undefined for anything whose
 * host is not plainly a name or an address (user info, backslashes, percent signs), which is never followed.
 * @param {string} url
 * @returns {string | undefined}
 */
function originOf(url) {
  const parts = /^(https?):\/\/([^/?#]*)/i.exec(url);
  if (!parts || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(parts[2])) return undefined;
  const scheme = parts[1].toLowerCase();
  return scheme + '://' + parts[2].toLowerCase().replace(scheme === 'http' ? /:80$/ : /:443$/, '');
}

/**
 * A Location header resolved against the URL that answered with it.
 * @param {string} location
 * @param {string} current
 * @returns {string}
 */
function resolveLocation(location, current) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return location;
  const origin = (/^https?:\/\/[^/?#]*/i.exec(current) || [''])[0];
  // "//host/x" and "\\host/x" name another host; they keep only the scheme of the current URL.
  if (/^[\\/]{2}/.test(location)) return origin.slice(0, origin.indexOf(':') + 1) + location;
  if (location.startsWith('/')) return origin + location;
  const path = current.slice(origin.length).split(/[?#]/)[0];
  return origin + path.slice(0, path.lastIndexOf('/') + 1) + location;
}

/**
 * Sends a request; with followRedirects, follows redirects that stay on the allowed origins and throws on any other.
 * @param {{ name: string, method: string, url: string, body: import('k6/http').RequestBody | null, followRedirects: boolean, params: import('k6/http').Params }} request
 * @param {import('k6/http').Params} more
 * @returns {import('k6/http').Response}
 */
function send(request, more) {
  const params = { ...request.params, ...more, redirects: 0 };
  let method = request.method;
  let url = request.url;
  let body = request.body;
  let res = http.request(method, url, body, params);
  for (let hop = 0; request.followRedirects && [301, 302, 303, 307, 308].indexOf(res.status) >= 0; hop++) {
    /** @type {string | undefined} */
    let location;
    for (const [header, value] of Object.entries(res.headers)) if (header.toLowerCase() === 'location') location = value;
    if (!location || hop === MAX_REDIRECTS) break;
    const next = resolveLocation(location, url);
    const origin = originOf(next);
    if (origin === undefined || ALLOWED_ORIGINS.indexOf(origin) < 0) {
      throw new Error(
        request.name + ': refused to follow a redirect to ' + next + '; only ' + ALLOWED_ORIGINS.join(', ') + ' may be reached',
      );
    }
    if (res.status !== 307 && res.status !== 308) {
      method = 'GET';
      body = null;
    }
    url = next;
    res = http.request(method, url, body, params);
  }
  return res;
}

const PLACEHOLDER = /\{\{\s*([$\w][\w.$-]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([$\w][\w.$-]*)\s*\}\}$/;

/**
 * @param {Record<string, unknown>} vars
 * @param {string} name
 * @param {string} where
 * @returns {unknown}
 */
function valueOf(vars, name, where) {
  const uid = /^\$uid-(\d+)$/.exec(name);
  if (uid) return String(vars.$uid) + '-' + uid[1];
  if (!Object.prototype.hasOwnProperty.call(vars, name)) {
    throw new Error(where + ': no value for {{' + name + '}} (was it captured by an earlier step?)');
  }
  return vars[name];
}

/**
 * Fills {{name}} placeholders; a string that is exactly one placeholder takes the value's own type.
 * @param {unknown} value
 * @param {Record<string, unknown>} vars
 * @param {string} where
 * @returns {unknown}
 */
function fill(value, vars, where) {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return valueOf(vars, whole[1], where);
    return value.replace(PLACEHOLDER, (_, name) => {
      const filled = valueOf(vars, name, where);
      return filled === undefined || filled === null ? '' : String(filled);
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, vars, where));
  if (value !== null && typeof value === 'object') {
    /** @type {Record<string, unknown>} */
    const filled = {};
    for (const [key, item] of Object.entries(value)) filled[key] = fill(item, vars, where);
    return filled;
  }
  return value;
}

/**
 * @param {Record<string, string | number | boolean>} pairs
 * @returns {string}
 */
function urlEncoded(pairs) {
  return Object.entries(pairs)
    .map(([name, value]) => encodeURIComponent(name) + '=' + encodeURIComponent(String(value)))
    .join('&');
}

/**
 * The request a step sends, with placeholders filled.
 * @param {Step} template
 * @param {Record<string, unknown>} vars
 * @param {'setup' | 'load'} phase
 * @returns {{ name: string, method: string, url: string, body: import('k6/http').RequestBody | null, followRedirects: boolean, params: import('k6/http').Params }}
 */
function toRequest(template, vars, phase) {
  const step = /** @type {Step} */ (fill(template, vars, template.name));
  if (!step.path.startsWith('/') || step.path.startsWith('//')) {
    throw new Error(step.name + ': the path ' + JSON.stringify(step.path) + ' would leave the target');
  }
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(step.headers || {})) headers[name.toLowerCase()] = value;
  /** @type {import('k6/http').RequestBody | null} */
  let body = null;
  if (step.files) {
    delete headers['content-type']; // k6 writes the multipart boundary
    /** @type {import('k6/http').StructuredRequestBody} */
    const parts = {};
    for (const [field, value] of Object.entries(step.form || {})) parts[field] = String(value);
    for (const [field, file] of Object.entries(step.files)) {
      const content = file.base64 !== undefined ? encoding.b64decode(file.base64, 'std') : file.text || '';
      parts[field] = http.file(content, file.name, file.contentType);
    }
    body = parts;
  } else if (step.form) {
    body = urlEncoded(step.form);
    headers['content-type'] = headers['content-type'] || 'application/x-www-form-urlencoded';
  } else if (step.body !== undefined) {
    body = step.body;
    headers['content-type'] = headers['content-type'] || 'application/json';
  } else if (step.json !== undefined) {
    body = JSON.stringify(step.json);
    headers['content-type'] = headers['content-type'] || 'application/json';
  }
  const query = step.query ? urlEncoded(step.query) : '';
  return {
    name: template.name,
    method: step.method,
    url: TARGET + step.path + (query ? '?' + query : ''),
    body,
    followRedirects: step.followRedirects === true,
    params: { headers, tags: { gauntlet: phase, name: template.name } },
  };
}

/**
 * @param {number} status
 * @param {Array<number | string>} expected
 * @returns {boolean}
 */
function statusMatches(status, expected) {
  return expected.some((p) => (typeof p === 'number' ? status === p : Math.floor(status / 100) === Number(p[0])));
}

/**
 * Reads "user.id", "items.0.name" or "items.length" out of a value.
 * @param {unknown} root
 * @param {string} path
 * @returns {{ found: boolean, value?: unknown }}
 */
function valueAt(root, path) {
  let current = root;
  for (const part of path.split('.').filter(Boolean)) {
    if (Array.isArray(current) && part === 'length') current = current.length;
    else if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, part)) {
      current = /** @type {Record<string, unknown>} */ (current)[part];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/**
 * Captures "body.path", "headers.<name>" or "status" of a response into vars.
 * @param {Step} step
 * @param {import('k6/http').Response} res
 * @param {Record<string, unknown>} vars
 */
function capture(step, res, vars) {
  for (const [name, source] of Object.entries(step.capture || {})) {
    const [where, ...rest] = source.split('.');
    const path = rest.join('.');
    let found;
    if (where === 'status') found = { found: true, value: res.status };
    else if (where === 'headers') {
      /** @type {Record<string, string>} */
      const headers = {};
      for (const [header, value] of Object.entries(res.headers)) headers[header.toLowerCase()] = value;
      found = valueAt(headers, path.toLowerCase());
    } else {
      let json;
      try {
        json = JSON.parse(String(res.body));
      } catch (_) {
        json = undefined;
      }
      found = valueAt(json, path);
    }
    if (!found.found) throw new Error(step.name + ': expected ' + source + ' in the response, to use as {{' + name + '}}');
    vars[name] = found.value;
  }
}

/**
 * @param {Step} step
 * @param {import('k6/http').Response} res
 * @returns {string}
 */
function unexpected(step, res) {
  const got = res.status === 0 ? 'no answer (' + res.error + ')' : res.status + ': ' + String(res.body).slice(0, 300);
  return 'set-up step ' + JSON.stringify(step.name) + ' expected status ' + (step.status || []).join(' or ') + ', got ' + got;
}

/** Runs the set-up steps once; their values and the load identity's cookies go to every VU. */
export function setup() {
  let uid = '';
  for (let i = 0; i < 12; i++) uid += Math.floor(Math.random() * 16).toString(16);
  /** @type {Record<string, unknown>} */
  const vars = { $uid: uid };
  /** @type {Record<string, import('k6/http').CookieJar>} */
  const jars = {};
  for (const step of SETUP_STEPS) {
    const jar = (jars[step.as || ''] = jars[step.as || ''] || new http.CookieJar());
    /** @type {import('k6/http').Response[]} */
    const responses = [];
    for (let i = 0; i < (step.repeat || 1); i++) {
      const request = toRequest(step, { ...vars, $i: i }, 'setup');
      const res = send(request, { jar });
      if (step.status && !statusMatches(res.status, step.status)) throw new Error(unexpected(step, res));
      responses.push(res);
    }
    capture(step, responses[0], vars);
  }
  // Built once here so that a placeholder no step filled stops the run before the load starts.
  const load = toRequest(LOAD_STEP, { ...vars, $i: 0 }, 'load');
  /** @type {Record<string, string>} */
  const cookies = {};
  const jar = jars[LOAD_STEP.as || ''];
  if (jar) {
    for (const [name, values] of Object.entries(jar.cookiesForURL(load.url))) cookies[name] = values[values.length - 1];
  }
  return { vars, cookies };
}

/** @param {{ vars: Record<string, unknown>, cookies: Record<string, string> }} data */
export default function (data) {
  const i = exec.scenario.iterationInTest + (exec.scenario.name === 'ramp' ? RAMP_OFFSET : 0);
  const request = toRequest(LOAD_STEP, { ...data.vars, $i: i }, 'load');
  const res = send(request, { cookies: data.cookies, responseType: 'none' });
  const expected = LOAD_STEP.status;
  if (expected) {
    check(res, { [LOAD_STEP.name + ': status ' + expected.join(' or ')]: (r) => statusMatches(r.status, expected) }, { gauntlet: 'load' });
  }
}
`;
