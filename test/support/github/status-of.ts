// The HTTP status a GitHub call ended with: 200 when it succeeded, else the status Octokit's error carries. For
// tests that expect refusals.
export async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}
