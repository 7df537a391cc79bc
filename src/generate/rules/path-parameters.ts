// The parameters of an operation's path: "/projects/{projectId}/tracks/{trackId}" has projectId and trackId.
const PATH_PARAM = /\{(\w+)\}/g;

export function pathParameters(api: string): string[] {
  return [...api.matchAll(PATH_PARAM)].map((m) => m[1]!);
}
