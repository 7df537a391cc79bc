// Sub-issues and issue dependencies ("blocked by"), which the coordination board is built from. Both take the
// other issue's database `id`, not its number, and reach across the repositories of one owner.
import { created, input, intParam, list, ok } from './call.ts';
import type { RestHandlers } from './call.ts';
import { issueOf } from './issues.ts';
import { orNotFound, validationFailed } from '../errors.ts';
import type { GitHubError } from '../errors.ts';
import type { IssueRecord } from '../state/records.ts';

const MAX_SUB_ISSUES = 100;

export const subIssueHandlers: RestHandlers = {
  'issues/list-sub-issues': (call) => list(call, issueOf(call).subIssues, call.present.issue),

  'issues/get-parent': (call) => ok(call.present.issue(orNotFound(issueOf(call).parent))),

  'issues/add-sub-issue': (call) => {
    const parent = issueOf(call);
    const body = input<{ sub_issue_id: number; replace_parent?: boolean }>(call);
    const sub = call.state.issueOfOwner(parent.repo.owner, body.sub_issue_id);
    if (sub === parent || isAncestor(sub, parent))
      throw invalid('sub_issue_id', 'An issue cannot be its own ancestor');
    if (sub.parent && !body.replace_parent)
      throw invalid('sub_issue_id', 'Issue may not contain duplicate sub-issues');
    if (parent.subIssues.length >= MAX_SUB_ISSUES)
      throw invalid('sub_issue_id', 'Parent cannot have more than 100 sub-issues');
    if (sub.parent) sub.parent.subIssues.splice(sub.parent.subIssues.indexOf(sub), 1);
    sub.parent = parent;
    parent.subIssues.push(sub);
    return created(call.present.issue(parent));
  },

  'issues/remove-sub-issue': (call) => {
    const parent = issueOf(call);
    const sub = orNotFound(
      parent.subIssues.find((s) => s.id === input<{ sub_issue_id: number }>(call).sub_issue_id),
    );
    parent.subIssues.splice(parent.subIssues.indexOf(sub), 1);
    delete sub.parent;
    return ok(call.present.issue(sub));
  },

  'issues/reprioritize-sub-issue': (call) => {
    const parent = issueOf(call);
    const body = input<{ sub_issue_id: number; after_id?: number; before_id?: number }>(call);
    const sub = orNotFound(parent.subIssues.find((s) => s.id === body.sub_issue_id));
    const anchorId = body.after_id ?? body.before_id;
    const anchor = orNotFound(parent.subIssues.find((s) => s.id === anchorId && s !== sub));
    parent.subIssues.splice(parent.subIssues.indexOf(sub), 1);
    parent.subIssues.splice(parent.subIssues.indexOf(anchor) + (body.after_id !== undefined ? 1 : 0), 0, sub);
    return ok(call.present.issue(parent));
  },

  'issues/list-dependencies-blocked-by': (call) => list(call, issueOf(call).blockedBy, call.present.issue),

  'issues/list-dependencies-blocking': (call) => {
    const issue = issueOf(call);
    const blocking = call.state.repositories
      .flatMap((r) => r.issues)
      .filter((i) => i.blockedBy.includes(issue));
    return list(call, blocking, call.present.issue);
  },

  'issues/add-blocked-by-dependency': (call) => {
    const issue = issueOf(call);
    const blocker = call.state.issueOfOwner(issue.repo.owner, input<{ issue_id: number }>(call).issue_id);
    if (blocker === issue) throw invalid('issue_id', 'An issue cannot be blocked by itself');
    if (issue.blockedBy.includes(blocker)) throw invalid('issue_id', 'Dependency already exists');
    issue.blockedBy.push(blocker);
    return created(call.present.issue(blocker));
  },

  'issues/remove-dependency-blocked-by': (call) => {
    const issue = issueOf(call);
    const blocker = orNotFound(issue.blockedBy.find((b) => b.id === intParam(call, 'issue_id')));
    issue.blockedBy.splice(issue.blockedBy.indexOf(blocker), 1);
    return ok(call.present.issue(blocker));
  },
};

function isAncestor(candidate: IssueRecord, of: IssueRecord): boolean {
  for (let up = of.parent; up; up = up.parent) if (up === candidate) return true;
  return false;
}

function invalid(field: string, message: string): GitHubError {
  return validationFailed({ resource: 'Issue', code: 'custom', field, message });
}
