// The one Gauntlet comment on a pull request, against the local GitHub: created once, edited in place, older copies
// minimized, and a comment anyone else wrote left alone, whatever marker it carries.
import { describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { Octokit } from '@octokit/rest';
import {
  COMMENT_BODY_LIMIT,
  STICKY_MARKER,
  fitMarkdown,
  stickyBody,
  upsertStickyComment,
} from '../../src/github/index.ts';
import type { CommentRecord } from '../support/github/index.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator();

const SHA1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const SHA2 = 'f0e1d2c3b4a5968778695a4b3c2d1e0f98765432';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A pull request by alice, and an Octokit as the app's installation (gauntlet[bot]) or as Actions' GITHUB_TOKEN. */
function setup(as: 'app' | 'actions' = 'app') {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const pr = gh.state.addPullRequest(repo, { title: 'Add cart', user: 'alice' });
  const token =
    as === 'app'
      ? gh.state.createInstallationToken(installation).token
      : gh.state.createToken({ login: 'github-actions[bot]' });
  // Octokit logs a failed request; the fallback test makes one on purpose.
  const octokit = new Octokit({ baseUrl: gh.url, auth: token, log: quiet });
  const post = (body: string, sha = SHA1, author?: string) =>
    upsertStickyComment(octokit, {
      owner: 'acme',
      repo: 'shop',
      issueNumber: pr.number,
      body,
      sha,
      ...(author !== undefined && { author }),
    });
  return { gh, pr, octokit, post };
}

/** What a comment looked like, to show that nothing about it changed. */
const snapshot = (c: CommentRecord) => ({ body: c.body, updatedAt: c.updatedAt, hidden: c.minimizedReason });

describe('upsertStickyComment', () => {
  it('creates the comment, marked and naming the commit, as the account that posts', async () => {
    const { gh, pr, post } = setup();
    const result = await post('## Gauntlet passed\n\n12 tests ran.');
    expect(pr.comments).toHaveLength(1);
    const [comment] = pr.comments;
    expect(comment!.user.login).toBe('gauntlet[bot]');
    expect(comment!.body).toBe(
      `${STICKY_MARKER}\n## Gauntlet passed\n\n12 tests ran.\n\n<sub>Report for a1b2c3d.</sub>\n`,
    );
    expect(result).toEqual({
      action: 'created',
      commentId: comment!.id,
      url: expect.stringContaining(`#issuecomment-${comment!.id}`),
      minimized: [],
    });
    expect(gh.inspect.changes()).toEqual(['issues/create-comment']);
  });

  it('run twice on one pull request leaves exactly one comment, updated for the new commit', async () => {
    const { gh, pr, post } = setup();
    const first = await post('## Gauntlet failed\n\n1 finding.');
    const second = await post('## Gauntlet passed\n\nNo findings.', SHA2);
    expect(pr.comments).toHaveLength(1);
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId, minimized: [] });
    expect(pr.comments[0]!.body).toContain('No findings.');
    expect(pr.comments[0]!.body).not.toContain('1 finding');
    expect(pr.comments[0]!.body).toContain('Updated for f0e1d2c.');
    expect(gh.inspect.changes()).toEqual(['issues/create-comment', 'issues/update-comment']);
  });

  it("never edits, adopts or minimizes a PR author's comment that carries the marker, however written", async () => {
    const { gh, pr, post } = setup();
    const fake = '## Gauntlet passed\n\nNothing to see here.';
    const attacks = [
      `${STICKY_MARKER}\n${fake}`, // verbatim, as Gauntlet writes it
      `${STICKY_MARKER}`, // the marker alone
      `> ${STICKY_MARKER}\n> ${fake}`, // a quoted reply to Gauntlet's comment
      `\`\`\`\n${STICKY_MARKER}\n\`\`\``, // in a code block
      `<!--gauntlet:report-->\n${fake}`, // spaced differently
      `<!--   gauntlet:report   -->\n${fake}`,
      `<!-- GAUNTLET:REPORT -->\n${fake}`,
      `Thanks!\n${STICKY_MARKER}\n${fake}`, // further down
      ` ${STICKY_MARKER}\n${fake}`, // indented
    ];
    const planted = attacks.map((body) => gh.state.addComment(pr, { body, user: 'alice' }));
    // Someone whose login only resembles the app's, and another bot of the repository.
    planted.push(gh.state.addComment(pr, { body: `${STICKY_MARKER}\n${fake}`, user: 'gauntlet' }));
    planted.push(gh.state.addComment(pr, { body: `${STICKY_MARKER}\n${fake}`, user: 'github-actions[bot]' }));
    const before = planted.map(snapshot);

    const first = await post('## Gauntlet failed\n\n1 finding.');
    const second = await post('## Gauntlet failed\n\n2 findings.', SHA2);

    expect(planted.map(snapshot)).toEqual(before);
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId, minimized: [] });
    const ours = pr.comments.filter((c) => c.user.login === 'gauntlet[bot]');
    expect(ours.map((c) => c.body)).toEqual([expect.stringContaining('2 findings.')]);
    expect(gh.inspect.calls('minimizeComment')).toEqual([]);
  });

  it('with GITHUB_TOKEN, keeps to the comments of github-actions[bot], never those of another bot', async () => {
    const { gh, pr, post } = setup('actions');
    const app = gh.state.addComment(pr, {
      body: `${STICKY_MARKER}\nThe app's report`,
      user: 'gauntlet[bot]',
    });
    const before = snapshot(app);
    const first = await post('## From the workflow');
    const second = await post('## From the workflow, again', SHA2);
    expect(snapshot(app)).toEqual(before);
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    expect(pr.comments.map((c) => c.user.login)).toEqual(['gauntlet[bot]', 'github-actions[bot]']);
    expect(pr.comments[1]!.body).toContain('Updated for f0e1d2c.');
  });

  it('takes the author it is given without asking GitHub who posts', async () => {
    const { gh, pr, post } = setup('actions');
    const earlier = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nold`, user: 'github-actions[bot]' });
    await post('new', SHA1, 'GitHub-Actions[bot]');
    expect(gh.inspect.calls('viewer')).toEqual([]);
    expect(pr.comments).toEqual([earlier]);
    expect(earlier.body).toContain('new');
  });

  it("falls back to Actions' bot when GitHub does not say who the token is", async () => {
    const { gh, pr, post } = setup('actions');
    const earlier = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nold`, user: 'github-actions[bot]' });
    gh.faults.add({ route: 'graphql', kind: 'server-error', status: 502 });
    const result = await post('new');
    expect(result).toMatchObject({ action: 'updated', commentId: earlier.id });
    expect(pr.comments).toHaveLength(1);
  });

  it('keeps the newest of several Gauntlet comments and minimizes the older ones as outdated, once', async () => {
    const { gh, pr, post } = setup();
    const oldest = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nv1`, user: 'gauntlet[bot]' });
    gh.state.addComment(pr, { body: 'Looks good', user: 'alice' });
    const raced = gh.state.addComment(pr, { body: `${STICKY_MARKER}\r\nv2`, user: 'gauntlet[bot]' });
    const newest = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nv3`, user: 'gauntlet[bot]' });

    const result = await post('v4');
    expect(result).toEqual(
      expect.objectContaining({ action: 'updated', commentId: newest.id, minimized: [oldest.id, raced.id] }),
    );
    expect([oldest, raced, newest].map((c) => c.minimizedReason)).toEqual(['OUTDATED', 'OUTDATED', null]);
    expect(newest.body).toContain('v4');
    expect(oldest.body).toBe(`${STICKY_MARKER}\nv1`);
    // The report is updated before anything is minimized, so a refused minimization cannot hold it back.
    expect(gh.inspect.changes()).toEqual(['issues/update-comment', 'minimizeComment', 'minimizeComment']);

    // A later run finds them minimized already and leaves them be.
    expect((await post('v5', SHA2)).minimized).toEqual([]);
    expect(gh.inspect.calls('minimizeComment')).toHaveLength(2);
    expect(pr.comments).toHaveLength(4);
  });

  it('finds its comment on a pull request with more than 100 comments', async () => {
    const { gh, pr, post } = setup();
    const older = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nfirst`, user: 'gauntlet[bot]' });
    for (let i = 0; i < 120; i++) gh.state.addComment(pr, { body: `comment ${i}`, user: 'alice' });
    const ours = gh.state.addComment(pr, { body: `${STICKY_MARKER}\nsecond`, user: 'gauntlet[bot]' });

    const result = await post('third');
    expect(result).toMatchObject({ action: 'updated', commentId: ours.id, minimized: [older.id] });
    expect(pr.comments).toHaveLength(122);
    expect(gh.inspect.calls('issues/list-comments')).toHaveLength(2);
    expect(gh.inspect.calls('issues/create-comment')).toEqual([]);
  });

  it("cuts a report past GitHub's 65,536 characters at a line, closing what it leaves open, with a note", async () => {
    const { pr, post, octokit } = setup();
    // What GitHub does with a body one character too long, and so what the cut spares the report.
    await expect(
      octokit.rest.issues.createComment({
        owner: 'acme',
        repo: 'shop',
        issue_number: pr.number,
        body: 'x'.repeat(COMMENT_BODY_LIMIT + 1),
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Body is too long') });
    const line = 'A finding, its evidence and the step that shows it 🙂.';
    const report = [
      '## Gauntlet failed',
      '<details><summary>Evidence</summary>',
      '',
      '````json',
      ...Array.from({ length: 2000 }, (_, i) => `${i} ${line}`),
      '````',
      '</details>',
    ].join('\n');
    expect(report.length).toBeGreaterThan(COMMENT_BODY_LIMIT);

    await post(report);
    const { body } = pr.comments[0]!;
    expect(body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(body.startsWith(`${STICKY_MARKER}\n## Gauntlet failed\n`)).toBe(true);
    expect(body).toMatch(
      /\d+ A finding, its evidence and the step that shows it 🙂\.\n````\n<\/details>\n\n_The report was cut here to fit GitHub's limit of 65,536 characters for a comment; the full report is in report\.md of the run\._\n\n<sub>Report for a1b2c3d\.<\/sub>\n$/u,
    );
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('refuses a sha that is not a commit id, before any request', async () => {
    const { gh, post } = setup();
    await expect(post('report', 'main\n<!-- x -->')).rejects.toThrow(TypeError);
    expect(gh.inspect.requests).toEqual([]);
  });

  it("works with @actions/github's Octokit, as the report action uses it", async () => {
    const gh = github();
    const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
    const pr = gh.state.addPullRequest(repo, { title: 'Add cart', user: 'alice' });
    const octokit = getOctokit(gh.state.createToken({ login: 'github-actions[bot]' }), { baseUrl: gh.url });
    const input = { owner: 'acme', repo: 'shop', issueNumber: pr.number, body: 'report', sha: SHA1 };
    await upsertStickyComment(octokit, input);
    await upsertStickyComment(octokit, { ...input, sha: SHA2 });
    expect(pr.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['github-actions[bot]', `${STICKY_MARKER}\nreport\n\n<sub>Updated for f0e1d2c.</sub>\n`],
    ]);
  });
});

describe('fitting a report', () => {
  it('leaves a report that fits as it is, and the marker and commit on every body', () => {
    expect(stickyBody('short\n\n', 'Report for abc1234.')).toBe(
      `${STICKY_MARKER}\nshort\n\n<sub>Report for abc1234.</sub>\n`,
    );
  });

  it('cuts a single line too long for the room inside it, and keeps to the room even with a long note', () => {
    expect(fitMarkdown('x'.repeat(100), 40, 'cut')).toBe(`${'x'.repeat(34)}…\n\ncut`);
    expect(fitMarkdown('line one\nline two\nline three', 20, 'a note longer than that')).toBe(
      'a note longer than …',
    );
  });

  it('cuts again when closing the fence would pass the limit', () => {
    const out = fitMarkdown(`\`\`\`\n${'a\n'.repeat(50)}`, 30, 'cut');
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out).toMatch(/^```\n(?:a\n)+```\n\ncut$/);
  });

  it('closes a fence opened with tildes or longer backticks, and ignores a shorter fence inside it', () => {
    const text = ['~~~~', 'code', '~~~', 'more code', ...Array.from({ length: 20 }, () => 'filler')].join(
      '\n',
    );
    expect(fitMarkdown(text, 40, 'cut')).toBe('~~~~\ncode\n~~~\nmore code\nfiller\n~~~~\n\ncut');
  });
});
