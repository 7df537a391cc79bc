// Pull requests: the pull request (JSON, or its diff when asked for `application/vnd.github.diff`), the list,
// and the changed files Gauntlet reads to decide what to test.
import { list, ok, repoOf } from './call.ts';
import type { RestCall, RestHandlers } from './call.ts';
import { issueOf } from './issues.ts';
import { notFound } from '../errors.ts';
import type { IssueRecord } from '../state/records.ts';

export const pullHandlers: RestHandlers = {
  'pulls/get': (call) => {
    const pull = pullOf(call);
    if (/application\/vnd\.github(\.v3)?\.diff/.test(call.accept)) {
      return { status: 200, body: diffOf(pull), contentType: 'application/vnd.github.diff; charset=utf-8' };
    }
    return ok(call.present.pullRequest(pull));
  },

  'pulls/list': (call) => {
    const state = call.url.searchParams.get('state') ?? 'open';
    const base = call.url.searchParams.get('base');
    const head = call.url.searchParams.get('head');
    const pulls = repoOf(call).issues.filter(
      (i) =>
        i.pull &&
        (state === 'all' || i.state === state) &&
        (!base || i.pull.base.ref === base) &&
        (!head || `${i.repo.owner.login}:${i.pull.head.ref}` === head),
    );
    return list(call, pulls.reverse(), call.present.pullRequest);
  },

  'pulls/list-files': (call) => list(call, pullOf(call).pull!.files, (f) => f),
};

function pullOf(call: RestCall): IssueRecord {
  const issue = issueOf(call, 'pull_number');
  if (!issue.pull) throw notFound();
  return issue;
}

function diffOf(pull: IssueRecord): string {
  return pull
    .pull!.files.map((f) => {
      const from = f.status === 'added' ? '/dev/null' : `a/${f.previous_filename ?? f.filename}`;
      const to = f.status === 'removed' ? '/dev/null' : `b/${f.filename}`;
      const header = `diff --git a/${f.previous_filename ?? f.filename} b/${f.filename}`;
      return `${header}\n--- ${from}\n+++ ${to}\n${f.patch ?? ''}\n`;
    })
    .join('');
}
