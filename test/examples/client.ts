// A small JSON client for the sample target's tests: real HTTP with fetch, nothing mocked.
export interface Reply {
  status: number;
  type: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary fields
  text: string;
  headers: Headers;
}

export function client(base: string) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    raw?: string,
  ): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      json,
      text,
      headers: res.headers,
    };
  };
  let counter = 0;
  const signUp = async (): Promise<string> => {
    const reply = await call('POST', '/api/auth/signup', {
      email: `t${Date.now()}-${counter++}@example.test`,
      password: 'test-pass-1',
    });
    return reply.json.token as string;
  };
  const operator = async (): Promise<string> =>
    (await call('POST', '/api/auth/login', { email: 'operator@aidawg.test', password: 'aidawg-operator' }))
      .json.token;
  return { call, signUp, operator };
}
