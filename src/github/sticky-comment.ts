// The one Gauntlet comment on a pull request: created on the first report, edited in place on every later one,
// and any older copy (an earlier version's, or the loser of a race between two runs) minimized as outdated.
//
// A comment is Gauntlet's only when it was written by the account that posts now AND starts with the marker. Anyone
// can write the marker, so the author is what makes a comment ours: a PR author's comment with the marker (quoted,
// in a code block, spaced differently or verbatim) is never edited, adopted or minimized.
import type { Octokit } from '@octokit/rest';
import { fitMarkdown } from './fit-text.ts';

/** The hidden first line of Gauntlet's comment. */
export const STICKY_MARKER = '<!-- gauntlet:report -->';

/** GitHub refuses a comment body longer than this ("Body is too long (maximum is 65536 characters)"). */
export const COMMENT_BODY_LIMIT = 65_536;

/**
 * Who posts with Actions' GITHUB_TOKEN. GitHub answers `GET /user` with 403 for it and for an app's installation
 * token, but the GraphQL `viewer` works for both; this is the fallback when even that fails.
 */
export const ACTIONS_BOT = 'github-actions[bot]';

/** What the sticky comment needs of an Octokit (`@octokit/rest`, `@actions/github`'s `getOctokit()`, Probot's). */
export interface StickyCommentClient {
  rest: { issues: Pick<Octokit['rest']['issues'], 'listComments' | 'createComment' | 'updateComment'> };
  paginate: Octokit['paginate'];
  graphql: Octokit['graphql'];
}

export interface StickyCommentInput {
  owner: string;
  repo: string;
  issueNumber: number;
  /** The report, in Markdown (report.md: everything in it that Gauntlet did not write is already inert). */
  body: string;
  /** The commit the report is for. */
  sha: string;
  /**
   * The login the comment is posted as (`gauntlet[bot]`, `github-actions[bot]`). Default: asked of GitHub (the
   * GraphQL `viewer`), or `github-actions[bot]` when GitHub does not say.
   */
  author?: string;
}

export interface StickyCommentResult {
  action: 'created' | 'updated';
  commentId: number;
  url: string;
  /** Older Gauntlet comments this call minimized. */
  minimized: number[];
}

const SHA = /^[0-9a-f]{7,64}$/i;
const OURS = new RegExp(`^${STICKY_MARKER}(?:\r?\n|$)`);

export async function upsertStickyComment(
  octokit: StickyCommentClient,
  input: StickyCommentInput,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber, sha } = input;
  if (!SHA.test(sha)) throw new TypeError(`sha must be a commit's hex id, not "${sha}"`);
  const author = (input.author ?? (await viewerLogin(octokit))).toLowerCase();

  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments
    .filter((c) => c.user?.login.toLowerCase() === author && OURS.test(c.body ?? ''))
    .sort((a, b) => a.id - b.id);
  const kept = ours.at(-1);

  // The report first: a refused minimization (a token without the right) must not cost the reader the update.
  const { data } = kept
    ? await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: kept.id,
        body: stickyBody(input.body, `Updated for ${sha.slice(0, 7)}.`),
      })
    : await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: issueNumber,
        body: stickyBody(input.body, `Report for ${sha.slice(0, 7)}.`),
      });
  const minimized = await minimizeAll(octokit, ours.slice(0, -1));
  return { action: kept ? 'updated' : 'created', commentId: data.id, url: data.html_url, minimized };
}

/** The comment's text: the marker, the report (cut to fit when it must) and the commit it is for, never cut. */
export function stickyBody(report: string, footer: string): string {
  const head = `${STICKY_MARKER}\n`;
  const tail = `\n\n<sub>${footer}</sub>\n`;
  const room = COMMENT_BODY_LIMIT - head.length - tail.length;
  const note = `_The report was cut here to fit GitHub's limit of ${COMMENT_BODY_LIMIT.toLocaleString('en-US')} characters for a comment; the full report is in report.md of the run._`;
  return `${head}${fitMarkdown(report.trimEnd(), room, note)}${tail}`;
}

async function viewerLogin(octokit: StickyCommentClient): Promise<string> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return viewer.login;
  } catch {
    // GitHub names an app's installation token and Actions' GITHUB_TOKEN alike; should it not, the likeliest
    // poster is Actions' bot, and a wrong guess only means a new comment, never someone else's edited.
    return ACTIONS_BOT;
  }
}

/** Minimizes the comments not minimized yet (asking first, so a rerun does not minimize them again). */
async function minimizeAll(
  octokit: StickyCommentClient,
  older: readonly { id: number; node_id: string }[],
): Promise<number[]> {
  if (older.length === 0) return [];
  const { nodes } = await octokit.graphql<{ nodes: ({ id: string; isMinimized: boolean } | null)[] }>(
    'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }',
    { ids: older.map((c) => c.node_id) },
  );
  const hidden = new Set(nodes.filter((n) => n?.isMinimized).map((n) => n!.id));
  const minimized: number[] = [];
  for (const comment of older) {
    if (hidden.has(comment.node_id)) continue;
    await octokit.graphql(
      'mutation ($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }',
      { id: comment.node_id },
    );
    minimized.push(comment.id);
  }
  return minimized;
}
