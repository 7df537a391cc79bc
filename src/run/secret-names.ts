// Which names hold secrets: header, query, form, cookie and JSON field names, and those an API description declares.

/**
 * Words that mark a secret when they are a whole word of the name ("x-api-key", "apiKey", "connect.sid"), but not
 * inside another word: "keyboard", "monkey", "author" and "passenger" hold no secret.
 */
const SECRET_WORDS = new Set([
  'pass',
  'pwd',
  'key',
  'keys',
  'auth',
  'authn',
  'authorization',
  'authentication',
  'sid',
  'jwt',
  'otp',
  'pin',
  'csrf',
  'xsrf',
  'bearer',
]);

/** Parts that mark a secret wherever they are, joined names included ("apikey", "accesstoken", "jsessionid"). */
const SECRET_PARTS =
  /passw|passphrase|secret|token|credential|cookie|session|sessid|apikey|accesskey|privatekey|secretkey|clientkey/;

/** True for a name that holds a secret, in any case and spelling: `X-Auth-Token`, `api_key`, `clientSecret`. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]/);
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_PARTS.test(words.join(''));
}

/**
 * The header, query and cookie names an OpenAPI 3 (`components.securitySchemes`) or Swagger 2
 * (`securityDefinitions`) description gives its API keys, whatever they are called ("X-Customer", "sig").
 */
export function securitySchemeNames(document: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!document) return [];
  const components = document.components;
  const schemes = [
    isRecord(components) ? components.securitySchemes : undefined,
    document.securityDefinitions,
  ];
  const names: string[] = [];
  for (const group of schemes) {
    if (!isRecord(group)) continue;
    for (const scheme of Object.values(group)) {
      if (isRecord(scheme) && scheme.type === 'apiKey' && typeof scheme.name === 'string')
        names.push(scheme.name);
    }
  }
  return names;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
