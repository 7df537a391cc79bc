// The catalogue of deliberate faults AI DAWG can switch on (AIDAWG_FAULTS), so Gauntlet has real bugs to find.
export const FAULTS = [
  {
    id: 'F1',
    kind: 'crash on a boundary value',
    where: 'POST /api/beats',
    description:
      'bpm exactly 200, the documented maximum, indexes past the tempo table and the handler throws.',
    symptom: '500 for { bpm: 200 }',
  },
  {
    id: 'F2',
    kind: 'missing validation',
    where: 'POST /api/projects',
    description: 'an empty or whitespace-only project name is accepted.',
    symptom: '201 for { name: "" }',
  },
  {
    id: 'F3',
    kind: 'reflected XSS',
    where: 'GET /templates?q=',
    description: 'the search text is written into the page without escaping.',
    symptom: 'markup sent in q comes back as markup',
  },
  {
    id: 'F4',
    kind: 'broken access control',
    where: 'GET /api/projects/{id}',
    description: "another user's project is returned to anyone signed in.",
    symptom: "200 with someone else's project instead of 404",
  },
  {
    id: 'F5',
    kind: 'leaked stack trace',
    where: 'every JSON endpoint',
    description: "a malformed JSON body is answered with the parser's stack trace.",
    symptom: '400 whose body holds "at JSON.parse (<anonymous>)" and file paths',
  },
  {
    id: 'F6',
    kind: 'wrong content type',
    where: 'GET /api/jarvis/metrics',
    description: 'the JSON body is sent as text/html.',
    symptom: 'Content-Type: text/html on a JSON body',
  },
  {
    id: 'F7',
    kind: 'unauthenticated admin action',
    where: 'POST /api/jarvis/services/{name}/restart',
    description: 'the restart works with no credentials at all.',
    symptom: '202 without an Authorization header',
  },
  {
    id: 'F8',
    kind: 'slow path under concurrency',
    where: 'GET /api/jarvis/dashboard',
    description: 'a global lock is held for 250 ms whenever another dashboard request is in flight.',
    symptom: '20 concurrent requests take seconds; one alone stays fast',
  },
  {
    id: 'F9',
    kind: 'business rule off by one',
    where: 'POST /api/projects/{id}/tracks',
    description: 'the 100-track limit lets a 101st track in.',
    symptom: '201 for the 101st track instead of 409',
  },
  {
    id: 'F10',
    kind: 'duplicate accepted',
    where: 'POST /api/auth/signup',
    description: 'an e-mail address that is already registered can sign up again.',
    symptom: '201 instead of 409 for a second sign-up',
  },
  {
    id: 'F11',
    kind: 'wrong tolerance',
    where: 'POST /api/vocal-coach/score',
    description: 'a performance counts as in tune up to ±50 cents instead of ±15.',
    symptom: 'inTune true for a voice 30 cents sharp',
  },
  {
    id: 'F12',
    kind: 'account enumeration',
    where: 'POST /api/auth/password-reset',
    description: 'an unregistered e-mail address gets 404, telling anyone which addresses have accounts.',
    symptom: '404 "no account with that email" instead of 202',
  },
  {
    id: 'F13',
    kind: 'SQL error leaked',
    where: 'GET /api/templates?q=',
    description:
      'a quote in the search text breaks the (simulated) SQL query, and the database error is sent back.',
    symptom: '400 whose body holds "SQLITE_ERROR" for a search with a quote',
  },
  {
    id: 'F14',
    kind: 'debug page in production',
    where: 'GET /projects/{id}',
    description: 'an unknown project renders the development error page, with its stack trace.',
    symptom: '404 page with a stack trace list instead of a plain "Not found"',
  },
  {
    id: 'F15',
    kind: 'undocumented status',
    where: 'DELETE /api/jarvis/alerts/{id}',
    description:
      'a deleted alert rule is answered with 200 and a body, a status the API description does not declare.',
    symptom: '200 `{"deleted": true}` instead of 204',
  },
  {
    id: 'F16',
    kind: 'response off its schema',
    where: 'GET /api/me',
    description:
      'the account is sent without its e-mail address, which the API description says is always there.',
    symptom: '200 `{id, name, role}` with no `email`',
  },
  // F17 and F18 need a combination no generated case makes: exploration (src/explore) finds them.
  {
    id: 'F17',
    kind: 'race on a create',
    where: 'POST /api/projects',
    description:
      'the name is checked before an awaited quota lookup, so two creates of one name sent together both pass ' +
      "the check and the second insert breaks the store's unique index; one after the other, the second gets 409.",
    symptom: 'one 201 and one 500 for two identical creates sent at once, instead of 201 and 409',
  },
  {
    id: 'F18',
    kind: 'crash on a combination',
    where: 'POST /api/projects/{id}/clips/{clipId}/edits',
    description:
      'a fade with both fadeIn and fadeOut 0 (removing both fades at once) divides by their total length; ' +
      'either one 0 alone is fine.',
    symptom: '500 for `{ op: "fade", fadeIn: 0, fadeOut: 0 }`',
  },
] as const;

export type FaultId = (typeof FAULTS)[number]['id'];
export type Faults = ReadonlySet<FaultId>;

const IDS: readonly string[] = FAULTS.map((f) => f.id);

/** Parses "F1,F3", "all" or "" (none); an unknown id is an error that lists the valid ones. */
export function parseFaults(text: string): Set<FaultId> {
  const trimmed = text.trim();
  if (trimmed === '') return new Set();
  if (trimmed.toLowerCase() === 'all') return new Set(FAULTS.map((f) => f.id));
  const ids = trimmed.split(',').map((id) => id.trim().toUpperCase());
  const unknown = ids.filter((id) => !IDS.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown fault ${unknown.join(', ')} in AIDAWG_FAULTS; use "all" or a list of ${IDS.join(', ')}`,
    );
  }
  return new Set(ids as FaultId[]);
}
