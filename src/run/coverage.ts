// What of a started Node.js service's own code the run reached: V8's precise coverage, read through the inspector
// protocol while the service runs (a plain HTTP server killed by SIGTERM writes no NODE_V8_COVERAGE file), summed
// over every reading, and turned into line and branch coverage per file with v8-to-istanbul. Each reading also says
// whether code no earlier reading reached was reached: the signal `explore` uses to mutate those cases first.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import v8ToIstanbul from 'v8-to-istanbul';

/** What one reading of the coverage learnt. */
export interface CoverageDelta {
  /** Blocks of the service's own code (functions, branches) reached for the first time since the last reading. */
  newlyReached: number;
}

/** Coverage read between cases: the one thing exploration needs. */
export interface CoverageProbe {
  take(): Promise<CoverageDelta>;
}

export interface CoverageCounts {
  covered: number;
  total: number;
}

export interface ServiceCodeCoverage {
  lines: CoverageCounts;
  branches: CoverageCounts;
  /** Per file, paths relative to the project directory, in path order. */
  files: ({ file: string } & { lines: CoverageCounts; branches: CoverageCounts })[];
}

/**
 * The environment that makes every node process the command starts (npm and what it runs among them) keep precise
 * coverage from its first line and open an inspector on loopback only, on a port of the system's choosing.
 */
export function coverageEnv(env: NodeJS.ProcessEnv, coverageDir: string): NodeJS.ProcessEnv {
  // Ours last: a later --inspect wins over one the user's NODE_OPTIONS had.
  const nodeOptions = [env.NODE_OPTIONS, '--inspect=127.0.0.1:0'].filter(Boolean).join(' ');
  return { ...env, NODE_OPTIONS: nodeOptions, NODE_V8_COVERAGE: coverageDir };
}

/** Inspector URLs node printed ("Debugger listening on ws://127.0.0.1:…"); only loopback ones are ever used. */
export function inspectorUrls(output: string): string[] {
  return [...output.matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/g)].map((m) => m[1]!);
}

interface V8Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface V8Function {
  functionName: string;
  ranges: V8Range[];
  isBlockCoverage: boolean;
}
interface V8Script {
  url: string;
  functions: V8Function[];
}

/** A script of the service, with every function and block any reading showed, and the counts summed per offset. */
interface ScriptRecord {
  file: string;
  functions: Map<string, { name: string; start: number; end: number; blocks: Map<string, [number, number]> }>;
  counts: Float64Array;
}

/**
 * The coverage of the node processes a started service runs, read through their inspectors. Each reading resets
 * V8's counters and reports only the functions run since, so readings are summed here, offset by offset.
 */
export class ServiceCoverage implements CoverageProbe {
  readonly #projectDir: string;
  readonly #output: () => string;
  readonly #sessions = new Map<string, InspectorSession | undefined>();
  readonly #scripts = new Map<string, ScriptRecord>();

  /** `output` is what the service printed so far: new node processes announce their inspector there. */
  constructor(projectDir: string, output: () => string) {
    this.#projectDir = path.resolve(projectDir);
    this.#output = output;
  }

  async take(): Promise<CoverageDelta> {
    await this.#connectNew();
    let newlyReached = 0;
    for (const [url, session] of this.#sessions) {
      if (!session) continue;
      let scripts: V8Script[];
      try {
        ({ result: scripts } = (await session.send('Profiler.takePreciseCoverage')) as {
          result: V8Script[];
        });
      } catch {
        // The process ended (a build step before the server, say): what it ran was read before.
        this.#sessions.set(url, undefined);
        continue;
      }
      for (const script of scripts) newlyReached += this.#add(script);
    }
    return { newlyReached };
  }

  /** Reads the coverage one last time, then lets the processes go: a node with an inspector attached waits at exit. */
  async finish(): Promise<ServiceCodeCoverage> {
    await this.take();
    this.close();
    return this.summary();
  }

  close(): void {
    for (const session of this.#sessions.values()) session?.close();
    this.#sessions.clear();
  }

  /** Line and branch coverage per file of the service's own code. */
  async summary(): Promise<ServiceCodeCoverage> {
    const files: ServiceCodeCoverage['files'] = [];
    for (const record of this.#scripts.values()) {
      const converter = v8ToIstanbul(record.file, 0);
      try {
        await converter.load();
      } catch {
        continue; // Gone from disk since: nothing to show lines of.
      }
      converter.applyCoverage(mergedFunctions(record));
      for (const data of Object.values(converter.toIstanbul()) as IstanbulFile[]) {
        const lineCounts = Object.values(data.s);
        const branchCounts = Object.values(data.b).flat();
        files.push({
          file: path.relative(this.#projectDir, data.path ?? record.file),
          lines: { covered: lineCounts.filter((c) => c > 0).length, total: lineCounts.length },
          branches: { covered: branchCounts.filter((c) => c > 0).length, total: branchCounts.length },
        });
      }
      converter.destroy();
    }
    files.sort((a, b) => a.file.localeCompare(b.file));
    const sum = (pick: (f: (typeof files)[number]) => CoverageCounts): CoverageCounts => ({
      covered: files.reduce((n, f) => n + pick(f).covered, 0),
      total: files.reduce((n, f) => n + pick(f).total, 0),
    });
    return { lines: sum((f) => f.lines), branches: sum((f) => f.branches), files };
  }

  async #connectNew(): Promise<void> {
    for (const url of inspectorUrls(this.#output())) {
      if (this.#sessions.has(url)) continue;
      this.#sessions.set(url, undefined);
      try {
        const session = await InspectorSession.connect(url);
        await session.send('Profiler.enable');
        await session.send('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
        this.#sessions.set(url, session);
      } catch {
        // A process that already ended (npm's own node, a build step): it ran none of the service's requests.
      }
    }
  }

  /** Adds one reading of a script; returns how many of its blocks were reached for the first time. */
  #add(script: V8Script): number {
    const file = this.#ownFile(script.url);
    if (file === undefined) return 0;
    let record = this.#scripts.get(script.url);
    const length = Math.max(0, ...script.functions.flatMap((f) => f.ranges.map((r) => r.endOffset)));
    if (!record) {
      record = { file, functions: new Map(), counts: new Float64Array(length) };
      this.#scripts.set(script.url, record);
    }
    if (record.counts.length < length) {
      const grown = new Float64Array(length);
      grown.set(record.counts);
      record.counts = grown;
    }
    const reported = new Map<string, V8Function>();
    for (const fn of script.functions) {
      const [whole, ...blocks] = fn.ranges;
      if (!whole) continue;
      const key = `${whole.startOffset}-${whole.endOffset}`;
      reported.set(key, fn);
      let known = record.functions.get(key);
      if (!known) {
        known = { name: fn.functionName, start: whole.startOffset, end: whole.endOffset, blocks: new Map() };
        record.functions.set(key, known);
      }
      for (const b of blocks)
        known.blocks.set(`${b.startOffset}-${b.endOffset}`, [b.startOffset, b.endOffset]);
    }
    // This reading's count at every offset: the innermost range wins. A known function left out of the reading did
    // not run since the last one, so its body counts 0 here, whatever the function around it counts.
    const ranges: V8Range[] = [];
    for (const [key, known] of record.functions) {
      const fn = reported.get(key);
      if (fn) ranges.push(...fn.ranges);
      else ranges.push({ startOffset: known.start, endOffset: known.end, count: 0 });
    }
    ranges.sort(outerFirst);
    const reading = new Float64Array(record.counts.length);
    for (const r of ranges) reading.fill(r.count, r.startOffset, r.endOffset);
    // A block V8 leaves out of a reading counts what the range around it counts, so a block is judged by the count
    // at its start, not by whether the reading named it.
    let newlyReached = 0;
    for (const known of record.functions.values()) {
      for (const start of [known.start, ...[...known.blocks.values()].map(([blockStart]) => blockStart)]) {
        if (record.counts[start] === 0 && reading[start]! > 0) newlyReached++;
      }
    }
    for (let i = 0; i < reading.length; i++) record.counts[i]! += reading[i]!;
    return newlyReached;
  }

  /** The path of a script of the service's own code; undefined for node: internals, dependencies and the rest. */
  #ownFile(url: string): string | undefined {
    let file: string;
    if (url.startsWith('file://')) file = fileURLToPath(url);
    else if (path.isAbsolute(url)) file = url;
    else return undefined;
    const relative = path.relative(this.#projectDir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    if (relative.split(path.sep).includes('node_modules')) return undefined;
    return file;
  }
}

interface IstanbulFile {
  path?: string;
  s: Record<string, number>;
  b: Record<string, number[]>;
}

/** Wider ranges first, so that painting in order leaves each offset with its innermost range's count. */
function outerFirst(a: V8Range, b: V8Range): number {
  return a.startOffset - b.startOffset || b.endOffset - a.endOffset;
}

/** The summed readings as one V8 reading: every function and block seen, each with its summed count. */
function mergedFunctions(record: ScriptRecord): V8Function[] {
  const countAt = (offset: number) => record.counts[offset] ?? 0;
  return [...record.functions.values()]
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .map((fn) => ({
      functionName: fn.name,
      isBlockCoverage: true,
      ranges: [
        { startOffset: fn.start, endOffset: fn.end, count: countAt(fn.start) },
        ...[...fn.blocks.values()]
          .map(([start, end]) => ({ startOffset: start, endOffset: end, count: countAt(start) }))
          .sort(outerFirst),
      ],
    }));
}

/** A minimal client of the inspector protocol over Node's WebSocket: requests and their answers, nothing else. */
class InspectorSession {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiting = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiting) return;
      this.#pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
    socket.addEventListener('close', () => {
      for (const waiting of this.#pending.values()) waiting.reject(new Error('the inspector closed'));
      this.#pending.clear();
    });
  }

  static connect(url: string): Promise<InspectorSession> {
    // Never anything but this machine: the URL came from the service's own output.
    if (!url.startsWith('ws://127.0.0.1:'))
      return Promise.reject(new Error(`not a loopback inspector: ${url}`));
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new InspectorSession(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), {
        once: true,
      });
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (this.#socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the inspector closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}
