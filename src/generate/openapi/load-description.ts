// Reads an API description (Swagger 2.0, OpenAPI 3.0 or 3.1) from a file or an http(s) URL, resolves its $refs,
// external files included (read through DescriptionFiles, which keeps them to the description's own origin or
// folders), and returns it as plain data; a description it cannot read is an ApiDescriptionError.
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import swagger2openapi from 'swagger2openapi';
import type { ApiDescription } from './description.ts';
import { DescriptionFiles } from './confined-read.ts';
import { ApiDescriptionError } from './errors.ts';
import { descriptionBehindPage, isHtmlPage, pageKind } from './html-page.ts';
import { isObject } from './json-schema.ts';
import type { Dialect } from './json-schema.ts';
import { normalizeDescription } from './normalize.ts';
import { describeParserError } from './parser-errors.ts';
import { isUrl, parseDescriptionText, readDescriptionText } from './source-text.ts';
import type { ParsedText } from './source-text.ts';

export interface LoadDescriptionOptions {
  /** How long to wait for the description, and for each file it refers to, over HTTP (default 10 000 ms). */
  timeoutMs?: number;
  /** Told what was done that the user did not ask for: a URL that served an HTML page, and the description used. */
  onNote?: (line: string) => void;
}

export async function loadApiDescription(
  named: string,
  options: LoadDescriptionOptions = {},
): Promise<ApiDescription> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let source = named;
  let text = await readDescriptionText(source, timeoutMs);
  if (isHtmlPage(text)) {
    if (!isUrl(source)) {
      throw new ApiDescriptionError(
        source,
        `is an HTML page (${pageKind(text)}), not an OpenAPI description`,
      );
    }
    // A Swagger UI or Redoc page: the description it shows is read instead, and $refs are relative to that.
    const behind = await descriptionBehindPage(source, text, timeoutMs);
    options.onNote?.(behind.note);
    ({ source, text } = behind);
  }
  const parsed = parseDescriptionText(text, source);
  const dialect = dialectOf(parsed, source);
  const files = new DescriptionFiles(source, timeoutMs);
  let document: Record<string, unknown>;
  try {
    const options = {
      resolve: files.parserResolveOptions(),
      // Circular $refs become circular objects here; normalizeDescription cuts them into trees.
      dereference: { circular: true },
    } as SwaggerParser.Options;
    document = (await new SwaggerParser().dereference(
      source,
      parsed.value as never,
      options,
    )) as unknown as Record<string, unknown>;
  } catch (error) {
    throw await describeParserError(error, source, text, files);
  }
  const description = normalizeDescription({ document, dialect, source, positionOf: parsed.positionOf });
  const forResponses =
    dialect === 'swagger2' ? await convertedForResponses(parsed.value, source, files) : { document };
  // Kept out of JSON and of equality: its circular $refs stay circular, and it is the same data once more.
  return Object.defineProperties(description, {
    document: { value: document, enumerable: false },
    ...('document' in forResponses && {
      responseDocument: { value: forResponses.document, enumerable: false },
    }),
    ...(forResponses.problem !== undefined && {
      responseProblem: { value: forResponses.problem, enumerable: false },
    }),
  });
}

/**
 * A Swagger 2.0 description as OpenAPI 3.0, which responses are checked against. Its files are first bundled into
 * one document by the same confined reader (external $refs become internal ones), so that the converter,
 * swagger2openapi, sees every part and rewrites every $ref (#/definitions to #/components/schemas); the result is then
 * resolved. A failure to convert is said (the responses are then not checked), never a reason to stop the run.
 */
async function convertedForResponses(
  written: unknown,
  source: string,
  files: DescriptionFiles,
): Promise<{ document: Record<string, unknown>; problem?: never } | { problem: string }> {
  const options = {
    resolve: files.parserResolveOptions(),
    dereference: { circular: true },
  } as SwaggerParser.Options;
  try {
    const bundled = await new SwaggerParser().bundle(source, written as never, options);
    // A copy the converter may change; JSON, so that objects shared by YAML aliases become plain copies.
    const copy = JSON.parse(JSON.stringify(bundled)) as Record<string, unknown>;
    const { openapi } = await swagger2openapi.convertObj(copy as never, {
      patch: true,
      warnOnly: true,
      resolve: false,
    });
    const document = (await new SwaggerParser().dereference(
      source,
      openapi as never,
      options,
    )) as unknown as Record<string, unknown>;
    return { document };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]!.slice(0, 300);
    return { problem: `the Swagger 2.0 description could not be converted to OpenAPI 3.0: ${reason}` };
  }
}

/**
 * Reads, resolves and validates a description against the OpenAPI schemas (swagger-parser's `validate`), its files
 * read as loadApiDescription reads them. A $ref the confinement refuses is an ApiDescriptionError at the $ref;
 * anything else is swagger-parser's own error.
 */
export async function validateApiDescription(
  source: string,
  options: LoadDescriptionOptions = {},
): Promise<Record<string, unknown>> {
  const files = new DescriptionFiles(source, options.timeoutMs ?? 10_000);
  try {
    const parserOptions = { resolve: files.parserResolveOptions() } as SwaggerParser.Options;
    return (await SwaggerParser.validate(source, parserOptions)) as unknown as Record<string, unknown>;
  } catch (error) {
    const failure = (error as { source?: string }).source;
    if (failure === undefined || !files.failures.get(failure)?.refused) throw error;
    // The description itself was read through `files` too: the $ref is placed in its text.
    const text = files.texts.get(isUrl(source) ? new URL(source).href : path.resolve(source)) ?? '';
    throw await describeParserError(error, source, text, files);
  }
}

/** Which version the document says it is; a document that says none is not a description at all. */
function dialectOf(parsed: ParsedText, source: string): Dialect {
  const document = parsed.value;
  if (!isObject(document)) {
    return fail(
      source,
      'not an OpenAPI description: expected a mapping with "openapi" or "swagger" at the top',
      parsed,
      [],
    );
  }
  if (document.swagger !== undefined) {
    if (String(document.swagger) === '2.0') return 'swagger2';
    return fail(source, `Swagger ${String(document.swagger)} is not read: only 2.0 is`, parsed, ['swagger']);
  }
  if (document.openapi !== undefined) {
    const version = String(document.openapi);
    if (/^3\.0\.\d+$/.test(version)) return 'openapi30';
    if (/^3\.1\.\d+$/.test(version)) return 'openapi31';
    return fail(source, `OpenAPI ${version} is not read: only 3.0 and 3.1 are`, parsed, ['openapi']);
  }
  return fail(
    source,
    'not an OpenAPI description: it says neither "openapi: 3.x" nor "swagger: \'2.0\'"',
    parsed,
    [],
  );
}

function fail(source: string, reason: string, parsed: ParsedText, path: string[]): never {
  throw new ApiDescriptionError(source, reason, parsed.positionOf(path));
}
