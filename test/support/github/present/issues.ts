// Issues, pull requests, labels, comments and reactions, as GitHub's JSON has them.
import type { AccountPresenters, Json } from './accounts.ts';
import type {
  Account,
  CommentRecord,
  IssueRecord,
  LabelRecord,
  ReactionRecord,
  RepositoryRecord,
} from '../state/records.ts';

export function issuePresenters(accounts: AccountPresenters) {
  const { repoUrl, repoHtml, user, repository } = accounts;
  const page = (i: IssueRecord): string => `${repoHtml(i.repo)}/${i.pull ? 'pull' : 'issues'}/${i.number}`;

  const label = (r: RepositoryRecord, l: LabelRecord): Json => ({
    id: l.id,
    node_id: l.node_id,
    name: l.name,
    color: l.color,
    description: l.description,
    default: false,
    url: `${repoUrl(r)}/labels/${encodeURIComponent(l.name)}`,
  });

  const issueLabels = (i: IssueRecord): Json[] =>
    i.labels.map((name) =>
      label(
        i.repo,
        i.repo.labels.find((l) => l.name === name)!,
      ),
    );

  const issue = (i: IssueRecord): Json => {
    const url = `${repoUrl(i.repo)}/issues/${i.number}`;
    const completed = i.subIssues.filter((s) => s.state === 'closed').length;
    return {
      id: i.id,
      node_id: i.node_id,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.stateReason,
      user: user(i.user),
      labels: issueLabels(i),
      assignee: i.assignees[0] ? user(i.assignees[0]) : null,
      assignees: i.assignees.map(user),
      locked: false,
      comments: i.comments.length,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      author_association: authorAssociation(i.repo, i.user),
      url,
      html_url: page(i),
      repository_url: repoUrl(i.repo),
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      labels_url: `${url}/labels{/name}`,
      reactions: reactionRollup(i.reactions, `${url}/reactions`),
      sub_issues_summary: {
        total: i.subIssues.length,
        completed,
        percent_completed: i.subIssues.length ? Math.floor((completed * 100) / i.subIssues.length) : 0,
      },
      ...(i.pull
        ? {
            pull_request: {
              url: `${repoUrl(i.repo)}/pulls/${i.number}`,
              html_url: `${repoHtml(i.repo)}/pull/${i.number}`,
              diff_url: `${repoHtml(i.repo)}/pull/${i.number}.diff`,
              patch_url: `${repoHtml(i.repo)}/pull/${i.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  };

  const pullRequest = (i: IssueRecord): Json => {
    const pull = i.pull!;
    const url = `${repoUrl(i.repo)}/pulls/${i.number}`;
    const side = (s: { ref: string; sha: string }): Json => ({
      ref: s.ref,
      sha: s.sha,
      label: `${i.repo.owner.login}:${s.ref}`,
      user: user(i.repo.owner),
      repo: repository(i.repo),
    });
    return {
      ...issue(i),
      url,
      html_url: `${repoHtml(i.repo)}/pull/${i.number}`,
      issue_url: `${repoUrl(i.repo)}/issues/${i.number}`,
      diff_url: `${repoHtml(i.repo)}/pull/${i.number}.diff`,
      patch_url: `${repoHtml(i.repo)}/pull/${i.number}.patch`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${repoUrl(i.repo)}/pulls/comments{/number}`,
      statuses_url: `${repoUrl(i.repo)}/statuses/${pull.head.sha}`,
      head: side(pull.head),
      base: side(pull.base),
      draft: pull.draft,
      merged: pull.merged,
      merged_at: null,
      merge_commit_sha: null,
      changed_files: pull.files.length,
      additions: pull.files.reduce((n, f) => n + f.additions, 0),
      deletions: pull.files.reduce((n, f) => n + f.deletions, 0),
      _links: {
        self: { href: url },
        html: { href: `${repoHtml(i.repo)}/pull/${i.number}` },
        issue: { href: `${repoUrl(i.repo)}/issues/${i.number}` },
        comments: { href: `${repoUrl(i.repo)}/issues/${i.number}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${repoUrl(i.repo)}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${repoUrl(i.repo)}/statuses/${pull.head.sha}` },
      },
    };
  };

  const comment = (c: CommentRecord): Json => {
    const url = `${repoUrl(c.issue.repo)}/issues/comments/${c.id}`;
    return {
      id: c.id,
      node_id: c.node_id,
      body: c.body,
      user: user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: authorAssociation(c.issue.repo, c.user),
      url,
      html_url: `${page(c.issue)}#issuecomment-${c.id}`,
      issue_url: `${repoUrl(c.issue.repo)}/issues/${c.issue.number}`,
      reactions: reactionRollup(c.reactions, `${url}/reactions`),
    };
  };

  const reaction = (r: ReactionRecord): Json => ({
    id: r.id,
    node_id: r.node_id,
    content: r.content,
    user: user(r.user),
    created_at: r.createdAt,
  });

  return { label, issueLabels, issue, pullRequest, comment, reaction };
}

export type IssuePresenters = ReturnType<typeof issuePresenters>;

function reactionRollup(reactions: { content: string }[], url: string): Json {
  const count = (content: string): number => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    confused: count('confused'),
    heart: count('heart'),
    hooray: count('hooray'),
    eyes: count('eyes'),
    rocket: count('rocket'),
  };
}

function authorAssociation(repo: RepositoryRecord, author: Account): string {
  if (author === repo.owner) return 'OWNER';
  return repo.collaborators.has(author.login) ? 'COLLABORATOR' : 'NONE';
}
