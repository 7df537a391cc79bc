// One name for an operation however its path parameters are called: "PATCH /projects/{id}" in a description and
// "PATCH /projects/{projectId}" in a user case are the same operation.
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/+$/, '$1')}`;
}
