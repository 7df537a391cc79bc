// Whether a proposed case may become a draft. Nothing a model proposes is trusted: each case is decoded from its
// wire form, checked against the zod ProposedCase, and then held to the journey: its step must exist, every request
// must stay on the service under test (a relative path, no other host, no climbing out of the base path), and it
// may only act as an identity of gauntlet.yml. Placeholders the prompt gave for withheld values get their real
// values back first, in the requests only (a title keeps its placeholder: it is shown in reports).
import type { LoadedUserCase } from '../../cases/index.ts';
import { request } from '../draft.ts';
import { ProposedCase, type StepDraft } from '../provider.ts';
import { decodeCase } from './reply.ts';
import { WireDecodeError } from './wire-schema.ts';

export interface ProposalContext {
  journey: LoadedUserCase;
  /** Identities a request may use as `auth`, besides "none". */
  identities: readonly string[];
  /** Gives withheld values back for the placeholders of the prompt (PromptSafe.restore). */
  restore?: (value: unknown) => unknown;
}

export type CheckedProposal = { ok: true; proposal: ProposedCase } | { ok: false; reason: string };

export function checkProposal(wire: unknown, context: ProposalContext): CheckedProposal {
  let decoded: unknown;
  try {
    decoded = decodeCase(wire);
  } catch (error) {
    if (error instanceof WireDecodeError) return { ok: false, reason: error.message };
    throw error;
  }
  const parsed = ProposedCase.safeParse(restoreRequests(decoded, context.restore));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.') || '(case)'}: ${issue.message}` };
  }
  const proposal = parsed.data;
  const steps = context.journey.userCase.steps.length;
  if (proposal.step >= steps) {
    return { ok: false, reason: `step ${proposal.step} is not a step of the journey (it has ${steps})` };
  }
  for (const [i, hint] of proposal.requests.entries()) {
    const problem = requestProblem(hint, context.identities);
    if (problem) return { ok: false, reason: `requests.${i}: ${problem}` };
  }
  return { ok: true, proposal };
}

function restoreRequests(decoded: unknown, restore: ProposalContext['restore']): unknown {
  if (!restore || typeof decoded !== 'object' || decoded === null || !('requests' in decoded)) return decoded;
  return { ...decoded, requests: restore(decoded.requests) };
}

function requestProblem(
  hint: ProposedCase['requests'][number],
  identities: readonly string[],
): string | undefined {
  if (hint.api === undefined && hint.operationId === undefined)
    return 'names no operation (api or operationId)';
  if (hint.api !== undefined) {
    const path = hint.api.slice(hint.api.indexOf(' ') + 1);
    const problem = pathProblem(path);
    if (problem) return `${JSON.stringify(path)} ${problem}`;
  }
  if (hint.auth !== undefined && hint.auth !== 'none' && !identities.includes(hint.auth)) {
    return `auth ${JSON.stringify(hint.auth)} is not an identity of gauntlet.yml (${identities.length ? identities.join(', ') : 'it defines none'}) or "none"`;
  }
  return undefined;
}

/**
 * Why a path would leave the service, or undefined when it stays: it must begin with a single "/" (not "//host",
 * which a URL resolves to another host, nor a scheme), hold no backslash (which URLs read as "/"), no "." or ".."
 * segment, written plainly or percent-encoded, that climbs out of the service's base path, and no percent-encoded
 * "/" that a server could decode into one. (Traversal probes belong in `params`, which are sent encoded.)
 */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'is not a relative path beginning with "/"';
  if (path.startsWith('//')) return 'names another host ("//")';
  if (path.includes('\\')) return 'contains a backslash, which URLs read as "/"';
  const [pathname = ''] = path.split(/[?#]/, 1);
  for (const segment of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'has a malformed percent-encoding';
    }
    if (decoded === '.' || decoded === '..') return 'climbs out of the base path ("." or ".." segment)';
    if (/[/\\]/.test(decoded)) return 'hides a "/" or "\\" in a percent-encoded segment';
  }
  return undefined;
}

/** The draft of a checked proposal, credited to the provider that proposed it. */
export function toStepDraft(proposal: ProposedCase, journey: LoadedUserCase, rule: string): StepDraft {
  return {
    stepIndex: proposal.step,
    title: proposal.title,
    rule,
    at: journey.steps[proposal.step]!.at,
    priority: proposal.priority,
    tags: [...new Set([...proposal.tags, proposal.category])],
    requests: proposal.requests.map((hint) => request(hint)),
  };
}
