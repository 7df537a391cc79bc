// Issue and pull request comments (the sticky report comment lives here) and reactions to issues and comments
// (the acknowledgement of a slash command). Minimizing a comment is GraphQL only: see graphql/resolvers.ts.
import { actor, created, input, intParam, list, noContent, ok, repoOf } from './call.ts';
import type { RestAnswer, RestCall, RestHandlers } from './call.ts';
import { issueOf } from './issues.ts';
import { orNotFound, validationFailed } from '../errors.ts';
import type { CommentRecord, IssueRecord, ReactionRecord } from '../state/records.ts';

export const commentHandlers: RestHandlers = {
  'issues/create-comment': (call) => {
    const comment = call.state.addComment(issueOf(call), {
      body: withinLimit(input<{ body: string }>(call).body),
      user: actor(call).login,
    });
    return created(call.present.comment(comment));
  },

  'issues/get-comment': (call) => ok(call.present.comment(commentOf(call))),

  'issues/update-comment': (call) => {
    const comment = commentOf(call);
    comment.body = withinLimit(input<{ body: string }>(call).body);
    comment.updatedAt = call.state.now();
    return ok(call.present.comment(comment));
  },

  'issues/delete-comment': (call) => {
    const comment = commentOf(call);
    comment.issue.comments.splice(comment.issue.comments.indexOf(comment), 1);
    call.state.forget(comment);
    return noContent();
  },

  'issues/list-comments': (call) => list(call, since(call, issueOf(call).comments), call.present.comment),

  'issues/list-comments-for-repo': (call) => {
    const comments = repoOf(call).issues.flatMap((i) => i.comments);
    return list(call, since(call, comments), call.present.comment);
  },

  'reactions/create-for-issue-comment': (call) => react(call, commentOf(call)),
  'reactions/list-for-issue-comment': (call) => listReactions(call, commentOf(call)),
  'reactions/delete-for-issue-comment': (call) => unreact(call, commentOf(call)),
  'reactions/create-for-issue': (call) => react(call, issueOf(call)),
  'reactions/list-for-issue': (call) => listReactions(call, issueOf(call)),
  'reactions/delete-for-issue': (call) => unreact(call, issueOf(call)),
};

function commentOf(call: RestCall): CommentRecord {
  return call.state.comment(repoOf(call), intParam(call, 'comment_id'));
}

/** GitHub's description sets no maxLength on a comment body, but GitHub refuses one past 65,536 characters. */
const COMMENT_BODY_LIMIT = 65_536;

function withinLimit(body: string): string {
  if ([...body].length > COMMENT_BODY_LIMIT)
    throw validationFailed({
      resource: 'IssueComment',
      code: 'unprocessable',
      field: 'data',
      message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
    });
  return body;
}

function since(call: RestCall, comments: CommentRecord[]): CommentRecord[] {
  const after = call.url.searchParams.get('since');
  return after ? comments.filter((c) => Date.parse(c.updatedAt) >= Date.parse(after)) : comments;
}

/** GitHub answers 200 with the existing reaction when the same person reacts the same way twice. */
function react(call: RestCall, subject: IssueRecord | CommentRecord): RestAnswer {
  const content = input<{ content: string }>(call).content;
  const user = actor(call);
  const existing = subject.reactions.find((r) => r.content === content && r.user === user);
  if (existing) return ok(call.present.reaction(existing));
  const id = call.state.nextId();
  const reaction = call.state.remember<ReactionRecord>({
    kind: 'reaction',
    id,
    node_id: call.state.nodeId('reaction', id),
    content,
    user,
    createdAt: call.state.now(),
  });
  subject.reactions.push(reaction);
  return created(call.present.reaction(reaction));
}

function listReactions(call: RestCall, subject: IssueRecord | CommentRecord): RestAnswer {
  const content = call.url.searchParams.get('content');
  const reactions = subject.reactions.filter((r) => !content || r.content === content);
  return list(call, reactions, call.present.reaction);
}

function unreact(call: RestCall, subject: IssueRecord | CommentRecord): RestAnswer {
  const reaction = orNotFound(subject.reactions.find((r) => r.id === intParam(call, 'reaction_id')));
  subject.reactions.splice(subject.reactions.indexOf(reaction), 1);
  call.state.forget(reaction);
  return noContent();
}
