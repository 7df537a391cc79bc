// Sending answers: JSON in OpenAI's headers, and refusals, which are also recorded as violations.
import type { ServerResponse } from 'node:http';
import type { ErrorBody, OpenAiError } from './errors.ts';
import type { RecordedRequest, Violation } from './records.ts';

export function refuse(
  violations: Violation[],
  record: RecordedRequest,
  res: ServerResponse,
  error: OpenAiError,
): void {
  violations.push({
    seq: record.seq,
    method: record.method,
    path: record.path,
    status: error.status,
    code: error.code,
    param: error.param,
    message: error.message,
  });
  send(record, res, error.status, error.body());
}

export function send(
  record: RecordedRequest,
  res: ServerResponse,
  status: number,
  body: Record<string, unknown> | ErrorBody,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'x-request-id': `req_local_${record.seq}`,
    'openai-version': '2020-10-01',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
