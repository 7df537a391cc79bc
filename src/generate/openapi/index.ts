// OpenAPI input: an API description read into plain data, values its schemas allow (and those just outside), and
// journeys made from it so the rest of the generator, which works on journeys, applies unchanged.
export { loadApiDescription } from './load-description.ts';
export type { LoadDescriptionOptions } from './load-description.ts';
export { ApiDescriptionError } from './errors.ts';
export { HTTP_METHODS } from './description.ts';
export type {
  ApiDescription,
  ApiLink,
  ApiOperation,
  ApiParameter,
  ApiRequestBody,
  ApiResponse,
  ApiTag,
  HttpMethod,
  JsonSchema,
} from './description.ts';
export { RECURSIVE } from './json-schema.ts';
export { exampleFor } from './values/example.ts';
export type { ExampleMode, ExampleOptions } from './values/example.ts';
export { edgeValuesFor, MISSING } from './values/edge.ts';
export type { EdgeOptions, EdgeValue } from './values/edge.ts';
export { dictionaryValue, matchDictionary, nameWords, VALUE_DICTIONARY } from './values/dictionary.ts';
export type { DictionaryEntry, DictionaryMatch, ValueHints } from './values/dictionary.ts';
export {
  harvestDescription,
  HARVEST_LIMITS,
  knownName,
  knownValuesFor,
  mergeKnownValues,
  quotedWords,
  ValueHarvest,
  valuesFromResponses,
} from './values/harvest.ts';
export type { KnownScalar, KnownValues } from './values/harvest.ts';
export {
  acceptProposedEntries,
  ENTRY_LIMITS,
  proposeDictionaryEntries,
  unknownNames,
} from './values/llm-entries.ts';
export type { EntryProposal, EntryProposalOptions } from './values/llm-entries.ts';
export { anonymousOperations, journeysFromDescription } from './journeys.ts';
export type { JourneyOptions } from './journeys.ts';
export { resolveOperationIds } from './resolve-operation-ids.ts';
