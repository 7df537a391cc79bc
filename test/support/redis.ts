// A real redis-server for tests: started on a free loopback port with nothing written to disk, stopped after.
// One per test file (beforeAll/afterAll); give each test its own key namespace rather than flushing.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';

export interface RunningRedis {
  /** `redis://[:password@]127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The binary: REDIS_SERVER_PATH, else redis-server on PATH (scripts/test.sh installs it). */
const BINARY = process.env.REDIS_SERVER_PATH ?? 'redis-server';
const READY = 'Ready to accept connections';
// Generous: a busy machine can take seconds to start a process.
const START_TIMEOUT_MS = 60_000;

export async function startRedis(options: { password?: string } = {}): Promise<RunningRedis> {
  // A free port can be taken between asking for it and redis binding it; try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(port, options.password);
      const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
      return { url: `redis://${auth}127.0.0.1:${port}`, port, stop: () => stop(child) };
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test((error as Error).message)) throw error;
    }
  }
}

function launch(port: number, password: string | undefined): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', tmpdir(), ...(password === undefined ? [] : ['--requirepass', password]));
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the test process end without stop(), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(
      () => fail(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`),
      START_TIMEOUT_MS,
    );
    let ready = false;
    // Kept reading after start-up too, so the server never blocks on a full pipe.
    const onOutput = (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? `redis-server is not installed (${BINARY} not found): the Redis tests need it. ` +
              'Run scripts/test.sh as root, or: sudo apt-get install -y redis-server'
          : `cannot start redis-server: ${error.message}`,
      ),
    );
    child.once('exit', (code) => {
      if (!ready) fail(`redis-server exited (code ${code}) before it was ready:\n${output}`);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/** A port nothing listens on right now (also what a test needs for "unreachable"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
