// GitHub's GraphQL schema, from @octokit/graphql-schema's introspection JSON, built once per module registry and
// only when a test first speaks GraphQL. (The package's SDL defines some fields twice, which graphql-js refuses;
// the introspection result has no such problem. Both lack some of GitHub's newest types: use REST for those.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema } from 'graphql';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';
import { packageDir } from '../description.ts';

let built: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (built) return built;
  const file = join(packageDir('@octokit/graphql-schema'), 'schema.json');
  const introspection = JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery;
  // assumeValid: the schema is GitHub's; checking its own consistency costs 200 ms and finds nothing for us.
  built = buildClientSchema(introspection, { assumeValid: true });
  return built;
}
