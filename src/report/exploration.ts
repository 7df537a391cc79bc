// What exploration did, round by round, in words: the console, the Markdown report and the HTML report all say it
// with these sentences, made from the rounds results.json holds, so none of them counts the rounds differently.
// Round 0 is the generated run; "ran no round" is said only when no round ran after it.
import type { RunSummary } from '../cases/index.ts';
import { plural } from './words.ts';

type ExplorationSummary = NonNullable<RunSummary['exploration']>;
type Round = ExplorationSummary['rounds'][number];

export const STOPPED: Record<ExplorationSummary['stopped'], string> = {
  'no-new-signature': 'the last round found no new kind of failure and changed no status to follow',
  'nothing-to-try': 'there was nothing left to try',
  'max-cases': 'it reached its budget of cases',
  'max-rounds': 'it reached its number of rounds',
  time: 'it reached its time limit',
  'max-tokens': 'it reached its token budget',
};

/** What made a round's cases, in words, by the generator's name. */
const MAKERS: Record<string, string> = {
  'explore/parameter': 'parameter mutation',
  'explore/follow-up': 'follow-up',
  'explore/pairwise': 'pairwise body mutation',
  'explore/concurrency': 'concurrent repeat',
  'explore/llm': 'LLM edge case',
};

/** One phrase per round, round 0 included: "round 1 ran 40 cases (36 parameter mutations, 4 follow-ups) and …". */
export function roundPhrases(exploration: ExplorationSummary): string[] {
  return exploration.rounds.map((round) => (round.round === 0 ? generatedRun(round) : laterRound(round)));
}

function generatedRun(round: Round): string {
  return `round 0, the generated run, ran ${plural(round.cases, 'case')} (${round.failures} failed)`;
}

function laterRound(round: Round): string {
  const made = Object.entries(round.made ?? {}).map(([maker, count]) =>
    plural(count, Object.hasOwn(MAKERS, maker) ? MAKERS[maker]! : `case by ${maker}`),
  );
  const kinds = round.newSignatures.length;
  const changes = round.statusChanges ?? 0;
  return (
    `round ${round.round} ran ${plural(round.cases, 'case')}${made.length > 0 ? ` (${made.join(', ')})` : ''} ` +
    `and found ${kinds === 0 ? 'no' : kinds} new kind${kinds === 1 ? '' : 's'} of failure` +
    (changes > 0
      ? `; ${plural(changes, 'mutation')} changed a status and ${changes === 1 ? 'was' : 'were'} mutated further`
      : '')
  );
}

/** How many rounds ran after the generated run, and why exploration stopped: one sentence. */
export function explorationSentence(exploration: ExplorationSummary): string {
  const after = exploration.rounds.filter((r) => r.round > 0).length;
  return (
    `Exploration ran ${after === 0 ? 'no round' : plural(after, 'round')} after the generated run; ` +
    `it stopped because ${STOPPED[exploration.stopped]}.`
  );
}
