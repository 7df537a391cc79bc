// AI DAWG's data, in memory: one State per running server.
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

export type Role = 'user' | 'operator';
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  salt: string;
  hash: string;
  createdAt: number;
}
export interface Clip {
  id: string;
  start: number;
  length: number;
  gainDb: number;
  fadeIn: number;
  fadeOut: number;
  /** The file a clip was imported from. */
  sample?: { name: string; bytes: number; sampleRate: number; channels: number };
}
export interface Effect {
  type: 'eq' | 'compressor' | 'reverb';
  [setting: string]: number | string;
}
export interface Track {
  id: string;
  type: 'audio' | 'midi';
  name: string;
  color: string;
  volume: number;
  pan: number;
  effects: Effect[];
  clips: Clip[];
}
export interface Project {
  id: string;
  name: string;
  ownerId: string;
  version: number;
  versions: { version: number; label: string; savedAt: string }[];
  tracks: Track[];
  collaborators: { userId: string; email: string; role: 'viewer' | 'editor' }[];
  comments: { id: string; authorId: string; text: string; createdAt: string }[];
  undo: Track[][];
  redo: Track[][];
  createdAt: string;
}
export interface Service {
  name: string;
  status: 'healthy' | 'degraded' | 'down';
  startedAt: number;
  restarts: number;
  dependsOn: string[];
  logs: string[];
  healthChecks: { at: string; ok: boolean; latencyMs: number }[];
  restartAttempts: { id: string; at: string; result: 'ok' }[];
}

export const SERVICES: [string, string[]][] = [
  ['api-gateway', []],
  ['audio-engine', ['api-gateway']],
  ['vocal-coach', ['audio-engine']],
  ['beat-generator', ['audio-engine']],
];

export class State {
  readonly users = new Map<string, User>();
  readonly sessions = new Map<string, { userId: string; createdAt: number }>();
  readonly projects = new Map<string, Project>();
  readonly beats = new Map<string, { id: string; ownerId: string }>();
  readonly scores: { userId: string; score: number; meanCentsOff: number; at: string }[] = [];
  readonly tutorial = new Map<string, { completed: number[]; skipped: boolean }>();
  readonly services = new Map<string, Service>();
  readonly alerts = new Map<string, Record<string, unknown> & { id: string }>();
  readonly deliveries: { alertId: string; channel: unknown; at: string }[] = [];
  readonly deployments: {
    id: string;
    version: string;
    status: 'live' | 'rolled-back';
    activeColor: string;
    previous?: string;
  }[] = [];
  readonly traces = new Map<string, { name: string; durationMs: number }[]>();
  readonly startedAt = Date.now();

  constructor(operatorPassword: string) {
    this.addUser('operator@aidawg.test', operatorPassword, 'JARVIS Operator', 'operator');
    for (const [name, dependsOn] of SERVICES) {
      this.services.set(name, {
        name,
        status: 'healthy',
        startedAt: Date.now(),
        restarts: 0,
        dependsOn,
        logs: [`${new Date().toISOString()} ${name} started`],
        healthChecks: [{ at: new Date().toISOString(), ok: true, latencyMs: 3 }],
        restartAttempts: [],
      });
    }
  }

  addUser(email: string, password: string, name: string, role: Role = 'user'): User {
    const salt = randomBytes(16).toString('hex');
    const user: User = {
      id: randomUUID(),
      email,
      name,
      role,
      salt,
      hash: hashPassword(password, salt),
      createdAt: Date.now(),
    };
    this.users.set(user.id, user);
    return user;
  }

  findUserByEmail(email: string): User | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((u) => u.email.toLowerCase() === wanted);
  }

  checkPassword(user: User, password: string): boolean {
    return timingSafeEqual(
      Buffer.from(user.hash, 'hex'),
      Buffer.from(hashPassword(password, user.salt), 'hex'),
    );
  }

  openSession(userId: string): string {
    const token = randomBytes(24).toString('base64url');
    this.sessions.set(token, { userId, createdAt: Date.now() });
    return token;
  }

  userOfToken(token: string | undefined): User | undefined {
    const session = token ? this.sessions.get(token) : undefined;
    return session ? this.users.get(session.userId) : undefined;
  }
}

function hashPassword(password: string, salt: string): string {
  // A low cost keeps the sample quick to test; a real service would use the defaults or higher.
  return scryptSync(password, salt, 32, { N: 1024 }).toString('hex');
}

export function publicUser(user: User): { id: string; email: string; name: string; role: Role } {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
