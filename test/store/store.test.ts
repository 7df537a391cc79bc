import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import {
  FileStore,
  jsonStore,
  maskRedisUrl,
  openStore,
  RedisStore,
  type Store,
} from '../../src/store/index.ts';
import { freePort, startRedis, type RunningRedis } from '../support/redis.ts';

const PASSWORD = 's3cret';
let redis: RunningRedis;
let namespaces = 0;
const tempDirs: string[] = [];

beforeAll(async () => {
  // With a password, so the wrong-password and masking tests meet a real server.
  redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis?.stop();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gauntlet-store-'));
  tempDirs.push(dir);
  return dir;
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// Each test gets a fresh directory or a fresh namespace on the one server, so no test sees another's keys.
const stores: [string, () => Promise<Store>][] = [
  ['FileStore', async () => new FileStore(await tempDir())],
  ['RedisStore', () => RedisStore.connect(redis.url, { namespace: `test${++namespaces}:` })],
];

describe.each(stores)('%s', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('returns what was set, and undefined for a key never set', async () => {
    await store.set('a', 'one');
    expect(await store.get('a')).toBe('one');
    expect(await store.get('never')).toBeUndefined();
  });

  it('overwrites a value', async () => {
    await store.set('a', 'one');
    await store.set('a', 'two');
    expect(await store.get('a')).toBe('two');
  });

  it('deletes a key, and deleting an absent key is fine', async () => {
    await store.set('a', 'one');
    await store.delete('a');
    await store.delete('never');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys('')).toEqual([]);
  });

  it('lists the exact keys that start with a prefix, sorted, whatever characters they hold', async () => {
    const odd = [
      'cache:openai/gpt-4:abc',
      'cache:*[glob]?\\',
      'cache:../../etc/passwd',
      'cache:with space:ünïcödé 🙂',
      'cache:A',
      'cache:a',
    ];
    for (const key of [...odd, 'history:main', 'cach']) await store.set(key, key);
    expect(await store.keys('cache:')).toEqual([...odd].sort());
    // Pattern characters in the prefix are matched literally (SCAN's MATCH is a glob).
    expect(await store.keys('cache:*')).toEqual(['cache:*[glob]?\\']);
    expect(await store.keys('')).toHaveLength(odd.length + 2);
    expect(await store.keys('nothing:')).toEqual([]);
    for (const key of odd) expect(await store.get(key)).toBe(key);
  });

  it('treats an expired entry as absent, in get and in keys', async () => {
    await store.set('short', 'gone soon', { ttlSeconds: 0.15 });
    await store.set('kept', 'stays');
    expect(await store.get('short')).toBe('gone soon');
    await sleep(250);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.keys('')).toEqual(['kept']);
  });

  it('drops the TTL when a key is set again without one', async () => {
    await store.set('a', 'one', { ttlSeconds: 0.1 });
    await store.set('a', 'two');
    await sleep(150);
    expect(await store.get('a')).toBe('two');
  });

  it('refuses a TTL that is not a positive number', async () => {
    for (const ttlSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.set('a', 'one', { ttlSeconds })).rejects.toThrow(
        /ttlSeconds must be a positive number/,
      );
    }
  });

  it('keeps unicode and control characters intact', async () => {
    const value = 'naïve – 日本語 – 🙂 – "quoted" \\ \n\t\u0000 end';
    await store.set('u', value);
    expect(await store.get('u')).toBe(value);
  });

  it('keeps a 1 MB value intact', async () => {
    const value = 'é'.repeat(2 ** 19) + 'x'.repeat(2 ** 19);
    await store.set('big', value);
    expect(await store.get('big')).toBe(value);
  });

  it('leaves every key readable after 50 concurrent sets, and one whole value for a contested key', async () => {
    const values = Array.from({ length: 50 }, (_, i) => `value ${i} `.repeat(1000));
    await Promise.all(values.map((value, i) => store.set(`k${i}`, value)));
    await Promise.all(values.map((value) => store.set('contested', value)));
    for (const [i, value] of values.entries()) expect(await store.get(`k${i}`)).toBe(value);
    expect(values).toContain(await store.get('contested'));
    expect(await store.keys('k')).toHaveLength(50);
  });
});

describe('FileStore', () => {
  it('defaults to .gauntlet/store and creates nothing until written to', async () => {
    expect(new FileStore().dir).toBe(resolve('.gauntlet/store'));
    const missing = new FileStore(join(await tempDir(), 'not-yet'));
    expect(await missing.get('a')).toBeUndefined();
    expect(await missing.keys('')).toEqual([]);
    await missing.delete('a');
    await missing.set('a', 'one');
    expect(await missing.get('a')).toBe('one');
  });

  it('treats a garbled or truncated entry as absent, and a new set replaces it', async () => {
    const store = new FileStore(await tempDir());
    await store.set('a', 'one');
    await store.set('b', 'two');
    const [fileA, fileB] = (await readdir(store.dir)).map((name) => join(store.dir, name));
    await writeFile(fileA!, 'garbage{');
    await writeFile(fileB!, '{"key":"b","val'); // as if cut off
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeUndefined();
    expect(await store.keys('')).toEqual([]);
    await store.set('a', 'again');
    expect(await store.get('a')).toBe('again');
  });

  it('ignores an entry of the right shape filed under another key', async () => {
    const store = new FileStore(await tempDir());
    await store.set('a', 'one');
    const [file] = await readdir(store.dir);
    await writeFile(join(store.dir, file!), JSON.stringify({ key: 'not-a', value: 'forged' }));
    expect(await store.get('a')).toBeUndefined();
  });

  it('removes an expired entry when it is read', async () => {
    const store = new FileStore(await tempDir());
    await store.set('a', 'one', { ttlSeconds: 0.05 });
    await sleep(80);
    expect(await store.get('a')).toBeUndefined();
    expect(await readdir(store.dir)).toEqual([]);
  });

  it('shares entries between two stores on the same directory', async () => {
    const dir = await tempDir();
    const first = new FileStore(dir);
    const second = new FileStore(dir);
    await first.set('cache:x', 'from first');
    expect(await second.get('cache:x')).toBe('from first');
    await second.set('cache:x', 'from second');
    expect(await first.get('cache:x')).toBe('from second');
    await second.delete('cache:x');
    expect(await first.keys('cache:')).toEqual([]);
  });

  it('leaves one whole value when two processes write the same key at once', async () => {
    const dir = await tempDir();
    const size = 256 * 1024;
    // Each child writes its own letter, 40 times over, through the real FileStore.
    const script = `
      const { FileStore } = await import(process.env.STORE_MODULE);
      const store = new FileStore(process.env.STORE_DIR);
      for (let i = 0; i < 40; i++) await store.set('shared', process.env.LETTER.repeat(${size}));`;
    const writer = (letter: string) =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          ...process.env,
          STORE_MODULE: pathToFileURL(resolve('src/store/file-store.ts')).href,
          STORE_DIR: dir,
          LETTER: letter,
        },
      });
    const store = new FileStore(dir);
    const seen = new Set<string>();
    let done = false;
    const writers = Promise.all([writer('a'), writer('b')]).finally(() => (done = true));
    while (!done) {
      const value = await store.get('shared');
      if (value !== undefined)
        seen.add(value === 'a'.repeat(size) || value === 'b'.repeat(size) ? 'whole' : 'torn');
    }
    await writers;
    expect(seen).toEqual(new Set(['whole'])); // read while they wrote, never torn
    expect(['a'.repeat(size), 'b'.repeat(size)]).toContain(await store.get('shared'));
    // No temporary files left behind.
    expect(await readdir(dir)).toHaveLength(1);
  });
});

describe('RedisStore', () => {
  it('keeps keys under its namespace, apart from other namespaces', async () => {
    const ours = await RedisStore.connect(redis.url, { namespace: 'ours:' });
    const theirs = await RedisStore.connect(redis.url, { namespace: 'theirs:' });
    const raw = await RedisStore.connect(redis.url, { namespace: '' });
    try {
      await ours.set('k', 'ours');
      expect(await theirs.get('k')).toBeUndefined();
      expect(await theirs.keys('')).toEqual([]);
      expect(await raw.get('ours:k')).toBe('ours');
    } finally {
      await Promise.all([ours.close(), theirs.close(), raw.close()]);
    }
  });

  it('names the server, password masked, when nothing listens there, and fails at once', async () => {
    const port = await freePort();
    const failure = RedisStore.connect(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    await expect(failure).rejects.toThrow(
      `cannot reach Redis at redis://:***@127.0.0.1:${port}: ECONNREFUSED`,
    );
    await expect(failure).rejects.not.toThrow(PASSWORD);
  });

  describe('against a server that accepts connections and never answers', () => {
    let silent: Server;
    let port: number;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    });

    it('gives up after the timeout instead of hanging', async () => {
      await expect(RedisStore.connect(`redis://127.0.0.1:${port}`, { timeoutMs: 300 })).rejects.toThrow(
        `cannot reach Redis at redis://127.0.0.1:${port}: no reply within 300 ms`,
      );
    });
  });

  it('fails commands, not hangs, when the server goes away mid-run', async () => {
    const doomed = await startRedis();
    const store = await RedisStore.connect(doomed.url);
    await store.set('a', 'one');
    await doomed.stop();
    await expect(store.get('a')).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:\d+: GET failed: /);
    // A few reconnects, then it stops trying: later commands fail at once.
    await sleep(1500);
    await expect(store.set('a', 'two')).rejects.toThrow(/SET failed: Connection is closed/);
    await store.close();
  });

  it('says the password was refused, without printing it', async () => {
    const url = redis.url.replace(PASSWORD, 'wrong-password');
    const failure = RedisStore.connect(url);
    await expect(failure).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/,
    );
    await expect(failure).rejects.not.toThrow('wrong-password');
  });

  it('rejects a URL that is not a Redis URL without echoing it', async () => {
    await expect(RedisStore.connect('http://user:pw@host')).rejects.toThrow('not a valid Redis URL');
    await expect(RedisStore.connect('not a url :pw@')).rejects.toThrow('not a valid Redis URL');
    expect(maskRedisUrl('rediss://user:p%40ss@cache.example:6380/2')).toBe(
      'rediss://user:***@cache.example:6380/2',
    );
    expect(maskRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('refuses a command after close, naming the server and the command', async () => {
    const store = await RedisStore.connect(redis.url);
    await store.close();
    await store.close(); // twice is fine
    await expect(store.get('a')).rejects.toThrow(
      /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: GET after the store was closed$/,
    );
  });
});

describe('openStore', () => {
  it('opens files without a Redis URL, and Redis with one', async () => {
    const dir = await tempDir();
    const files = await openStore({ dir, redisUrl: '' });
    expect(files.kind).toBe('file');
    expect((files as FileStore).dir).toBe(dir);
    const onRedis = await openStore({ redisUrl: redis.url, namespace: 'opened:' });
    try {
      expect(onRedis.kind).toBe('redis');
      await onRedis.set('k', 'v');
      const raw = await RedisStore.connect(redis.url, { namespace: '' });
      expect(await raw.keys('opened:')).toEqual(['opened:k']);
      await raw.close();
    } finally {
      await onRedis.close();
    }
  });
});

describe('jsonStore', () => {
  const Run = z.object({ id: z.string(), passed: z.number().int() });

  it('round-trips typed values', async () => {
    const runs = jsonStore(new FileStore(await tempDir()), Run);
    await runs.set('run:1', { id: '1', passed: 3 });
    expect(await runs.get('run:1')).toEqual({ id: '1', passed: 3 });
    expect(await runs.get('run:2')).toBeUndefined();
  });

  it('treats text that is not JSON, or JSON of the wrong shape, as absent and reports it', async () => {
    const store = new FileStore(await tempDir());
    const reported: string[] = [];
    const runs = jsonStore(store, Run, (key, problem) => reported.push(`${key}: ${problem}`));
    await store.set('run:garbled', '{"id":');
    await store.set('run:wrong', JSON.stringify({ id: 1, passed: 'many' }));
    expect(await runs.get('run:garbled')).toBeUndefined();
    expect(await runs.get('run:wrong')).toBeUndefined();
    expect(reported).toEqual([
      expect.stringMatching(/^run:garbled: not JSON: /),
      expect.stringMatching(/^run:wrong: id: .*; passed: /),
    ]);
    // Without a callback, still absent and no throw.
    expect(await jsonStore(store, Run).get('run:wrong')).toBeUndefined();
  });
});
