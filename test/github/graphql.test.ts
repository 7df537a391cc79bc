// GraphQL against the local GitHub: documents are validated against GitHub's schema and run against the same
// records REST serves, for the operations Gauntlet uses (minimizing comments, Projects v2 items and field values).
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

function setup() {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const octokit = new Octokit({
    auth: gh.state.createInstallationToken(installation).token,
    baseUrl: gh.url,
    // Refusals are asserted below; octokit's request log would print each one as an error.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
  const project = gh.state.addProject({
    owner: 'acme',
    title: 'Coordination',
    fields: [
      { name: 'Status', dataType: 'single_select', options: ['Todo', 'In progress', 'Done'] },
      { name: 'Points', dataType: 'number' },
      { name: 'Sprint', dataType: 'iteration', options: ['Sprint 1', 'Sprint 2'] },
    ],
  });
  return { gh, repo, octokit, project };
}

const BOARD = /* GraphQL */ `
  query ($login: String!, $number: Int!) {
    organization(login: $login) {
      projectV2(number: $number) {
        id
        title
        fields(first: 20) {
          nodes {
            ... on ProjectV2FieldCommon {
              id
              name
              dataType
            }
            ... on ProjectV2SingleSelectField {
              options {
                id
                name
              }
            }
            ... on ProjectV2IterationField {
              configuration {
                iterations {
                  id
                  title
                  startDate
                }
              }
            }
          }
        }
        items(first: 20) {
          totalCount
          nodes {
            id
            content {
              ... on Issue {
                number
                title
              }
            }
            fieldValues(first: 20) {
              nodes {
                ... on ProjectV2ItemFieldSingleSelectValue {
                  name
                  field {
                    ... on ProjectV2FieldCommon {
                      name
                    }
                  }
                }
                ... on ProjectV2ItemFieldNumberValue {
                  number
                }
                ... on ProjectV2ItemFieldIterationValue {
                  title
                  startDate
                }
                ... on ProjectV2ItemFieldTextValue {
                  text
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Board {
  organization: {
    projectV2: {
      id: string;
      fields: {
        nodes: { id: string; name: string; dataType: string; options?: { id: string; name: string }[] }[];
      };
      items: {
        totalCount: number;
        nodes: { id: string; fieldValues: { nodes: Record<string, unknown>[] } }[];
      };
    };
  };
}

describe('Projects v2', () => {
  it('adds items and sets field values over GraphQL, and REST reads the same board', async () => {
    const { gh, repo, octokit, project } = setup();
    const issue = gh.state.addIssue(repo, { title: 'Checkout fails' });
    const board = await octokit.graphql<Board>(BOARD, { login: 'acme', number: project.number });
    const { id: projectId, fields } = board.organization.projectV2;
    const status = fields.nodes.find((f) => f.name === 'Status')!;
    expect(fields.nodes.map((f) => `${f.name}:${f.dataType}`)).toEqual([
      'Title:TITLE',
      'Status:SINGLE_SELECT',
      'Points:NUMBER',
      'Sprint:ITERATION',
    ]);

    const added = await octokit.graphql<{ addProjectV2ItemById: { item: { id: string } } }>(
      'mutation ($p: ID!, $c: ID!) { addProjectV2ItemById(input: { projectId: $p, contentId: $c }) { item { id } } }',
      { p: projectId, c: issue.node_id },
    );
    const itemId = added.addProjectV2ItemById.item.id;
    const done = status.options!.find((o) => o.name === 'Done')!.id;
    await octokit.graphql(
      `mutation ($p: ID!, $i: ID!, $f: ID!, $v: String!) {
        updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $v } }) {
          projectV2Item { id }
        }
      }`,
      { p: projectId, i: itemId, f: status.id, v: done },
    );

    const item = project.items[0]!;
    const statusField = project.fields.find((f) => f.name === 'Status')!;
    const points = project.fields.find((f) => f.name === 'Points')!;
    const { data: listed } = await octokit.request('GET /orgs/{org}/projectsV2/{project_number}/items', {
      org: 'acme',
      project_number: project.number,
      fields: `${statusField.id},${points.id}`,
    });
    expect(listed).toMatchObject([
      {
        id: item.id,
        content_type: 'Issue',
        content: { number: issue.number },
        fields: [
          { name: 'Status', value: { id: done, name: { raw: 'Done' } } },
          { name: 'Points', value: null },
        ],
      },
    ]);

    await octokit.request('PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}', {
      org: 'acme',
      project_number: project.number,
      item_id: item.id,
      fields: [{ id: points.id, value: 5 }],
    });
    const after = await octokit.graphql<Board>(BOARD, { login: 'acme', number: project.number });
    expect(after.organization.projectV2.items.nodes[0]!.fieldValues.nodes).toEqual([
      { text: 'Checkout fails' },
      { name: 'Done', field: { name: 'Status' } },
      { number: 5 },
    ]);
    expect(gh.inspect.changes()).toEqual([
      'addProjectV2ItemById',
      'updateProjectV2ItemFieldValue',
      'projects/update-item-for-org',
    ]);
  });

  it('refuses values the field cannot take, and answers unknown ids with NOT_FOUND', async () => {
    const { gh, repo, octokit, project } = setup();
    const item = (
      await octokit.request('POST /orgs/{org}/projectsV2/{project_number}/items', {
        org: 'acme',
        project_number: project.number,
        type: 'Issue',
        id: gh.state.addIssue(repo, { title: 'Task' }).id,
      })
    ).data as { id: number };
    const status = project.fields.find((f) => f.name === 'Status')!;
    const refusal = await octokit
      .request('PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}', {
        org: 'acme',
        project_number: project.number,
        item_id: item.id,
        fields: [{ id: status.id, value: 'no-such-option' }],
      })
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 422, response: { data: { message: 'Validation Failed' } } });

    const missing = await octokit
      .graphql('query { organization(login: "acme") { projectV2(number: 99) { id } } }')
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a ProjectV2 with the number 99.' }],
    });
    const unbounded = await octokit
      .graphql(`query { node(id: "${project.node_id}") { ... on ProjectV2 { items { totalCount } } } }`)
      .catch((e: unknown) => e);
    expect(unbounded).toMatchObject({ errors: [{ type: 'MISSING_PAGINATION_BOUNDARIES' }] });
  });
});

describe('comments', () => {
  it('minimizes a comment by its node id, as the sticky report hides an outdated one', async () => {
    const { gh, repo, octokit } = setup();
    const issue = gh.state.addIssue(repo, { title: 'PR' });
    const { data: comment } = await octokit.rest.issues.createComment({
      owner: 'acme',
      repo: 'shop',
      issue_number: issue.number,
      body: 'Old report',
    });
    const result = await octokit.graphql<{
      minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string } };
    }>(
      'mutation ($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } } }',
      { id: comment.node_id },
    );
    expect(result.minimizeComment.minimizedComment).toEqual({
      isMinimized: true,
      minimizedReason: 'outdated',
    });
    expect(issue.comments[0]!.minimizedReason).toBe('OUTDATED');
    expect(gh.inspect.calls('minimizeComment')).toMatchObject([
      { caller: 'gauntlet[bot]', graphql: { type: 'mutation' } },
    ]);
  });
});
