// Starts and stops the local GitHub: loads the description (once per module registry), creates the state, and
// serves both on 127.0.0.1 at a free port. See README.md for how tests use it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appKeys } from './auth.ts';
import { RestContract } from './contract.ts';
import { Faults } from './faults.ts';
import { Inspection } from './inspection.ts';
import { presenters } from './present/index.ts';
import { requestListener } from './server.ts';
import { GitHubState } from './state/state.ts';
import { WebhookSender } from './webhooks/sender.ts';

export interface StartOptions {
  /** Check every answer the emulator builds against GitHub's response schemas (slower; for its own tests). */
  checkResponses?: boolean;
  /** The app's webhook secret; deliveries are signed with it. */
  webhookSecret?: string;
}

export interface GitHubEmulator {
  /** `http://127.0.0.1:<port>`: `baseUrl` for @octokit/rest, `GITHUB_API_URL` for @actions/github. */
  readonly url: string;
  /** `<url>/graphql`: `GITHUB_GRAPHQL_URL`. */
  readonly graphqlUrl: string;
  /** `127.0.0.1:<port>`: Probot's `GHE_HOST` (with `GHE_PROTOCOL=http`); Probot then uses `<url>/api/v3`. */
  readonly host: string;
  /** The GitHub App the emulator knows: give its id, key and secret to Probot. */
  readonly app: { id: number; slug: string; clientId: string; privateKey: string; webhookSecret: string };
  readonly state: GitHubState;
  readonly faults: Faults;
  readonly webhooks: WebhookSender;
  readonly inspect: Inspection;
  /** Milliseconds: the whole start, and the part spent loading GitHub's description (from cache or package). */
  readonly timings: { startMs: number; descriptionMs: number; descriptionSource: 'cache' | 'package' };
  /** Environment variables that point Probot and @actions/github at the emulator. */
  env(): Record<string, string>;
  /** Empties the state (the app stays), clears faults and forgets requests, deliveries and violations. */
  reset(): void;
  close(): Promise<void>;
}

let contract: Promise<RestContract> | undefined;

export async function startGitHubEmulator(options: StartOptions = {}): Promise<GitHubEmulator> {
  const started = performance.now();
  // The key pair is made on libuv's thread pool while the main thread parses the description.
  const keysReady = appKeys();
  contract ??= RestContract.load();
  const [rest, keys] = await Promise.all([contract, keysReady]);
  const state = new GitHubState();
  const faults = new Faults();
  const inspect = new Inspection();
  const listener = requestListener({
    contract: rest,
    state,
    faults,
    inspection: inspect,
    publicKey: keys.publicKey,
    checkResponses: options.checkResponses ?? false,
  });
  const server = createServer(listener);
  // Idle connections stay open longer than any client keeps them (undici: 4 s): a client that reuses one just as
  // the server's timer closes it gets a reset, which a busy machine makes likely with Node's 5-s default.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const webhookSecret = options.webhookSecret ?? 'emulated-webhook-secret';
  const app = {
    id: state.app.id,
    slug: state.app.slug,
    clientId: state.app.clientId,
    privateKey: keys.privateKey,
    webhookSecret,
  };
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    host: `127.0.0.1:${port}`,
    app,
    state,
    faults,
    webhooks: new WebhookSender({
      state,
      present: presenters(url),
      secret: webhookSecret,
      inspection: inspect,
    }),
    inspect,
    timings: {
      startMs: performance.now() - started,
      descriptionMs: rest.loadMs,
      descriptionSource: rest.loadSource,
    },
    env: () => ({
      GITHUB_API_URL: url,
      GITHUB_GRAPHQL_URL: `${url}/graphql`,
      GHE_HOST: `127.0.0.1:${port}`,
      GHE_PROTOCOL: 'http',
      APP_ID: String(app.id),
      PRIVATE_KEY: app.privateKey,
      WEBHOOK_SECRET: webhookSecret,
    }),
    reset: () => {
      state.reset();
      faults.clear();
      inspect.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
