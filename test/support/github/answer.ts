// What the server sends for a request: a JSON (or raw text) answer, or nothing when the connection is dropped.
export interface Reply {
  drop: false;
  status: number;
  headers: Record<string, string>;
  /** JSON, or with `contentType`, text sent as it is. */
  body: unknown;
  contentType?: string;
}

export type Answer = { drop: true } | Reply;

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { drop: false, status, headers, body };
}
