// A one-line curl command that sends the same request again.
import type { SentRequest } from './http.ts';

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

export function toCurl(request: SentRequest): string {
  const parts = ['curl', '-sS', '-i'];
  if (request.method !== 'GET' || request.body !== undefined || request.multipart)
    parts.push('-X', request.method);
  parts.push(quote(request.url));
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'user-agent' || (request.multipart && name === 'content-type')) continue;
    parts.push('-H', quote(`${name}: ${value}`));
  }
  if (request.body !== undefined) parts.push('--data-raw', quote(request.body));
  for (const [name, value] of request.multipart?.fields ?? []) parts.push('-F', quote(`${name}=${value}`));
  for (const file of request.multipart?.files ?? []) {
    parts.push('-F', quote(`${file.field}=@${file.name};type=${file.contentType}`));
  }
  return parts.join(' ');
}
