// Load cases from what authors write in acceptance criteria: "handles 1000+ concurrent users", "p95 < 100 ms".
// A read step (GET) that names a number of concurrent users or a latency percentile is run under that load.
import type { LoadProfile } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

const USERS =
  /(\d[\d,]*)\s*\+?\s*(?:concurrent|simultaneous|parallel)\s+(?:users|clients|requests|operators|sessions)/i;
const PERCENTILE = /\bp(95|99)\b[^\d<]*(?:<|under|below|within|less than)\s*(\d+(?:\.\d+)?)\s*ms\b/i;

/** The most virtual users a derived load case uses, and how long its steady load lasts. */
export const DERIVED_LOAD = { maxVus: 1000, defaultVus: 10, durationS: 5 } as const;

/** The load an acceptance criterion asks for, or none. */
export function loadFromText(text: string): LoadProfile | undefined {
  const users = USERS.exec(text);
  const percentile = PERCENTILE.exec(text);
  if (!users && !percentile) return undefined;
  const vus = users
    ? Math.min(DERIVED_LOAD.maxVus, Number(users[1]!.replaceAll(',', '')))
    : DERIVED_LOAD.defaultVus;
  const thresholds: LoadProfile['thresholds'] = { maxErrorRate: 0.01 };
  if (percentile) thresholds[`p${percentile[1] as '95' | '99'}Ms`] = Number(percentile[2]);
  return { vus: Math.max(1, vus), durationS: DERIVED_LOAD.durationS, rampUpS: 1, thresholds };
}

export const loadFromAcceptance: Rule = {
  name: 'rules/load-from-acceptance',
  draft(context) {
    const { step } = context;
    // Only reads: loading a create would fill the target with data.
    if (!step.api?.startsWith('GET ')) return [];
    return (step.acceptance ?? []).flatMap((criterion) => {
      const load = loadFromText(criterion);
      if (!load) return [];
      return [
        {
          title: `${stepLabel(context)}: under load, ${criterion.charAt(0).toLowerCase()}${criterion.slice(1)}`,
          rule: this.name,
          at: stepAt(context),
          tags: ['performance'],
          requests: [request(mergeHint(step, { capture: {}, repeat: undefined }))],
          load,
        },
      ];
    });
  },
};
