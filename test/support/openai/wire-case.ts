// Cases as a model sends them under the provider's strict wire schema (src/generate/openai/wire-schema.ts): every
// field present, null where it is left out, JSON bodies as JSON text. For tests that script a model's reply.

/** Every field of a request in its wire form: null where it is left out. */
export const NO_REQUEST_FIELDS = {
  api: null,
  operationId: null,
  auth: null,
  params: null,
  query: null,
  headers: null,
  example: null,
  rawBody: null,
  form: null,
  capture: null,
  expect: null,
  followRedirects: null,
  repeat: null,
  concurrency: null,
};

/** Every field of a request's `expect` in its wire form. */
export const NO_EXPECT_FIELDS = {
  status: null,
  headers: null,
  body: null,
  bodyContains: null,
  bodyNotContains: null,
  maxMs: null,
};

/** One request in wire form: the fields given, null for the rest (of `expect` too, when it is given). */
export function wireRequest(
  fields: Partial<Record<keyof typeof NO_REQUEST_FIELDS, unknown>> & {
    expect?: Partial<Record<keyof typeof NO_EXPECT_FIELDS, unknown>>;
  },
): Record<string, unknown> {
  return {
    ...NO_REQUEST_FIELDS,
    ...fields,
    ...(fields.expect && { expect: { ...NO_EXPECT_FIELDS, ...fields.expect } }),
  };
}
