// Response feedback for exploration: the scalar values a run's responses held, by field name (the ids a list gave,
// the names and enum-like words a service answers with), so a later round can send them back as parameter values.
// A service's own ids and words reach code that made-up values never do (`GET /items/3?view=exploded`). The values
// are collected by the generator's harvest (src/generate/openapi/values/harvest.ts); this adds what explore needs.
import type { RunResult } from '../cases/index.ts';
import {
  knownName,
  valuesFromResponses,
  ValueHarvest,
  type KnownScalar,
} from '../generate/openapi/values/harvest.ts';

/** Strings longer than this are not values anyone sends as a parameter. */
const MAX_STRING = 200;

export type SeenValue = KnownScalar;

/**
 * Values seen in responses, by normal field name (`item_id`, `itemId` and `ItemID` are one), in the order first
 * seen: the generator's harvest of response bodies, read as exploration asks for parameter values.
 */
export class ResponseValues {
  private readonly harvest = new ValueHarvest();

  /** Adds the values of every JSON response body in the results' evidence. */
  addResults(results: readonly RunResult[]): void {
    const bodies = results.flatMap((result) =>
      result.evidence.flatMap((exchange) => {
        const body = exchange.response?.body;
        // An excerpt cut short, or a body that is not JSON, teaches nothing (the harvest skips what does not parse).
        return body !== undefined && /^\s*[[{]/.test(body) ? [body] : [];
      }),
    );
    valuesFromResponses(bodies, this.harvest);
  }

  /** Adds the scalar values of one parsed body, each under the name of the field that held it. */
  addBody(body: unknown): void {
    valuesFromResponses([body], this.harvest);
  }

  /**
   * Values for a parameter named `name` that a request can carry: those of fields of the same name, then, for a name
   * ending in "id" (`itemId`, `item_id`), those of fields named `id`.
   */
  for(name: string): SeenValue[] {
    const normal = knownName(name);
    const own = this.harvest.valuesFor(normal);
    const ids = normal !== 'id' && normal.endsWith('id') ? this.harvest.valuesFor('id') : [];
    return [...new Set([...own, ...ids])].filter(isSendable);
  }
}

/** A scalar a request can carry as it is: no placeholder braces a runner would resolve, no line breaks. */
function isSendable(value: SeenValue): boolean {
  return (
    typeof value !== 'string' ||
    (value.length > 0 && value.length <= MAX_STRING && !value.includes('{{') && !/[\r\n\0]/.test(value))
  );
}
