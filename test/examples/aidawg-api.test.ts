// The sample target behaves as its README says, over real HTTP: correct by default, and each fault observable.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { wav } from '../../examples/aidawg/audio.ts';
import { FAULTS, parseFaults } from '../../examples/aidawg/faults.ts';
import { MAX_SAMPLE_BYTES } from '../../examples/aidawg/routes/tracks.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { client } from './client.ts';

let correct: RunningAidawg;
let faulty: RunningAidawg;
let api: ReturnType<typeof client>;
let bad: ReturnType<typeof client>;

beforeAll(async () => {
  [correct, faulty] = await Promise.all([startAidawg(), startAidawg({ faults: 'all' })]);
  api = client(correct.url);
  bad = client(faulty.url);
});
afterAll(() => Promise.all([correct.close(), faulty.close()]));

describe('AI DAWG accounts', () => {
  it('signs up, logs in with bearer tokens and cookies, and logs out for good', async () => {
    const signup = await api.call('POST', '/api/auth/signup', {
      email: 'Ann@Example.test',
      password: 'abcdefg1',
    });
    expect(signup.status).toBe(201);
    expect(signup.headers.get('set-cookie')).toMatch(/^sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(
      (await api.call('POST', '/api/auth/signup', { email: 'ann@example.test', password: 'abcdefg1' }))
        .status,
    ).toBe(409);
    const login = await api.call('POST', '/api/auth/login', {
      email: 'ann@example.test',
      password: 'abcdefg1',
    });
    expect(login.json.user).toMatchObject({ email: 'Ann@Example.test', role: 'user' });
    const cookie = await fetch(`${correct.url}/api/me`, { headers: { cookie: `sid=${login.json.token}` } });
    expect(cookie.status).toBe(200);
    expect((await api.call('POST', '/api/auth/logout', undefined, login.json.token)).status).toBe(204);
    expect((await api.call('GET', '/api/me', undefined, login.json.token)).status).toBe(401);
    expect(
      (await api.call('POST', '/api/auth/login', { email: 'ann@example.test', password: 'nope' })).status,
    ).toBe(401);
  });

  it('refuses bad e-mail addresses and weak passwords, and never says who has an account', async () => {
    expect((await api.call('POST', '/api/auth/signup', { email: 'nope', password: 'abcdefg1' })).status).toBe(
      400,
    );
    const weak = await api.call('POST', '/api/auth/signup', {
      email: 'w@example.test',
      password: 'abcdefgh',
    });
    expect(weak.json.error).toBe('password: the password needs a digit');
    for (const email of ['ann@example.test', 'nobody@example.test']) {
      expect((await api.call('POST', '/api/auth/password-reset', { email })).status).toBe(202);
    }
  });
});

describe('AI DAWG projects, tracks and clips', () => {
  it('keeps projects private to their owner and collaborators', async () => {
    const [alice, bob] = await Promise.all([api.signUp(), api.signUp()]);
    const project = await api.call('POST', '/api/projects', { name: '  Song  ' }, alice);
    expect(project.json).toMatchObject({ name: 'Song', version: 1 });
    expect((await api.call('POST', '/api/projects', { name: 'SONG' }, alice)).status).toBe(409);
    expect((await api.call('POST', '/api/projects', { name: '   ' }, alice)).status).toBe(400);
    expect((await api.call('GET', `/api/projects/${project.json.id}`, undefined, bob)).status).toBe(404);
    const me = await api.call('GET', '/api/me', undefined, bob);
    await api.call(
      'POST',
      `/api/projects/${project.json.id}/collaborators`,
      { email: me.json.email, role: 'viewer' },
      alice,
    );
    expect((await api.call('GET', `/api/projects/${project.json.id}`, undefined, bob)).status).toBe(200);
    expect((await api.call('PATCH', `/api/projects/${project.json.id}`, { name: 'x' }, bob)).status).toBe(
      404,
    );
    expect((await api.call('DELETE', `/api/projects/${project.json.id}`, undefined, alice)).status).toBe(204);
  });

  it('holds at most 100 tracks', async () => {
    const token = await api.signUp();
    const { json: project } = await api.call('POST', '/api/projects', { name: 'Full' }, token);
    for (let batch = 0; batch < 10; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          api.call('POST', `/api/projects/${project.id}/tracks`, { type: 'midi' }, token),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    const over = await api.call('POST', `/api/projects/${project.id}/tracks`, { type: 'audio' }, token);
    expect(over).toMatchObject({ status: 409, json: { error: 'a project holds at most 100 tracks' } });
  });

  it('imports WAV samples as clips of their length, and refuses other files, empty audio and huge files', async () => {
    const token = await api.signUp();
    const { json: project } = await api.call('POST', '/api/projects', { name: 'Samples' }, token);
    const { json: track } = await api.call(
      'POST',
      `/api/projects/${project.id}/tracks`,
      { type: 'audio' },
      token,
    );
    const send = async (file?: Buffer, name = 'take.wav') => {
      const form = new FormData();
      form.set('start', '1.5');
      if (file) form.set('sample', new Blob([new Uint8Array(file)]), name);
      const res = await fetch(`${correct.url}/api/projects/${project.id}/tracks/${track.id}/samples`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expect(await send(wav(1), 'take.wav')).toMatchObject({
      status: 201,
      json: { start: 1.5, length: 1, sample: { name: 'take.wav', sampleRate: 22050, channels: 1 } },
    });
    expect(await send(Buffer.from('ID3 mp3 data'), 'x.mp3')).toMatchObject({ status: 415 });
    expect(await send(wav(0))).toMatchObject({
      status: 400,
      json: { error: 'sample: the file holds no audio' },
    });
    expect(await send()).toMatchObject({ status: 400 });
    expect(await send(Buffer.alloc(MAX_SAMPLE_BYTES + 1))).toMatchObject({ status: 413 });
    const { json: tracks } = await api.call('GET', `/api/projects/${project.id}/tracks`, undefined, token);
    expect(tracks[0].clips).toHaveLength(1);
  });

  it('edits clips and undoes and redoes the edits', async () => {
    const token = await api.signUp();
    const { json: project } = await api.call('POST', '/api/projects', { name: 'Edits' }, token);
    const { json: track } = await api.call(
      'POST',
      `/api/projects/${project.id}/tracks`,
      { type: 'audio' },
      token,
    );
    const { json: clip } = await api.call(
      'POST',
      `/api/projects/${project.id}/tracks/${track.id}/clips`,
      { start: 0, length: 10 },
      token,
    );
    const edit = (body: unknown) =>
      api.call('POST', `/api/projects/${project.id}/clips/${clip.id}/edits`, body, token);
    expect((await edit({ op: 'split', at: 4 })).json.clips.map((c: { length: number }) => c.length)).toEqual([
      4, 6,
    ]);
    expect((await edit({ op: 'split', at: 40 })).status).toBe(400);
    expect((await edit({ op: 'trim', start: 1, end: 3 })).json.clips[0]).toMatchObject({
      start: 1,
      length: 2,
    });
    expect((await edit({ op: 'fade', fadeIn: 2, fadeOut: 2 })).status).toBe(400);
    const undone = await api.call('POST', `/api/projects/${project.id}/undo`, undefined, token);
    expect(undone.json.tracks[0].clips[0]).toMatchObject({ start: 0, length: 4 });
    const redone = await api.call('POST', `/api/projects/${project.id}/redo`, undefined, token);
    expect(redone.json.tracks[0].clips[0]).toMatchObject({ start: 1, length: 2 });
    expect((await api.call('POST', `/api/projects/${project.id}/redo`, undefined, token)).status).toBe(409);
  });

  it('exports a real WAV file whose header matches its data, and a MIDI file', async () => {
    const token = await api.signUp();
    const { json: project } = await api.call('POST', '/api/projects', { name: 'Export me!' }, token);
    const res = await fetch(`${correct.url}/api/projects/${project.id}/export?format=wav`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=export-me.wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.readUInt32LE(24)).toBe(22050);
    const midi = await api.call('GET', `/api/projects/${project.id}/export?format=midi`, undefined, token);
    expect(midi.text.startsWith('MThd')).toBe(true);
    expect(
      (await api.call('GET', `/api/projects/${project.id}/export?format=mp3`, undefined, token)).json.error,
    ).toBe('unsupported format "mp3"; use wav, midi or stems');
  });
});

describe('AI DAWG beats and vocal coach', () => {
  it('generates beats within the documented range, including its edges', async () => {
    const token = await api.signUp();
    for (const bpm of [40, 200]) {
      expect((await api.call('POST', '/api/beats', { genre: 'trap', bpm }, token)).status).toBe(201);
    }
    for (const bpm of [39, 201, 90.5, '90']) {
      expect((await api.call('POST', '/api/beats', { genre: 'trap', bpm }, token)).status).toBe(400);
    }
  });

  it('scores pitch in cents against a note', async () => {
    const token = await api.signUp();
    const score = (frequencies: number[], target: string | number = 'A4') =>
      api.call('POST', '/api/vocal-coach/score', { target, frequencies }, token).then((r) => r.json);
    expect(await score([440])).toMatchObject({
      meanCentsOff: 0,
      inTune: true,
      score: 100,
      message: 'Great pitch!',
    });
    expect(await score([880], 'A5')).toMatchObject({ meanCentsOff: 0 });
    const sharp = await score([440 * 2 ** (30 / 1200)]);
    expect(sharp).toMatchObject({ meanCentsOff: 30, inTune: false, message: 'A little sharp' });
    expect((await score([415.3])).message).toBe('A little flat');
    expect((await api.call('GET', '/api/vocal-coach/sessions', undefined, token)).json).toHaveLength(4);
  });
});

describe('JARVIS', () => {
  it('lets operators see and restart services, and no one else', async () => {
    const [operator, user] = await Promise.all([api.operator(), api.signUp()]);
    expect((await api.call('GET', '/api/jarvis/services', undefined, operator)).json).toHaveLength(4);
    expect((await api.call('GET', '/api/jarvis/services')).status).toBe(401);
    expect((await api.call('GET', '/api/jarvis/services', undefined, user)).status).toBe(403);
    const restart = (token?: string) =>
      api.call('POST', '/api/jarvis/services/audio-engine/restart?withDependencies=true', undefined, token);
    expect((await restart()).status).toBe(401);
    expect((await restart(user)).status).toBe(403);
    const done = await restart(operator);
    expect(done.status).toBe(202);
    expect(done.json.dependents.map((d: { service: string }) => d.service).sort()).toEqual([
      'beat-generator',
      'vocal-coach',
    ]);
    const detail = await api.call('GET', '/api/jarvis/services/audio-engine', undefined, operator);
    expect(detail.json).toMatchObject({ status: 'healthy', restarts: 1 });
  });

  it('traces a request by its id, and reports business metrics as JSON and CSV', async () => {
    const operator = await api.operator();
    const health = await api.call('GET', '/api/health');
    const trace = await api.call(
      'GET',
      `/api/jarvis/traces/${health.headers.get('x-request-id')}`,
      undefined,
      operator,
    );
    expect(trace.json.spans[0].name).toBe('GET /api/health');
    const metrics = await api.call('GET', '/api/jarvis/metrics', undefined, operator);
    expect(metrics.type).toMatch(/^application\/json/);
    expect(metrics.json.costs.trend).toHaveLength(7);
    const csv = await api.call('GET', '/api/jarvis/reports?format=csv', undefined, operator);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('provider,amount');
  });

  it('keeps alert rules, test deliveries and deployments with rollback', async () => {
    const operator = await api.operator();
    const alert = await api.call(
      'POST',
      '/api/jarvis/alerts',
      {
        name: 'Errors',
        metric: 'error_rate',
        comparator: '>',
        threshold: 0.1,
        channel: { type: 'slack', target: '#ops' },
      },
      operator,
    );
    expect(
      (await api.call('POST', `/api/jarvis/alerts/${alert.json.id}/test`, undefined, operator)).json
        .delivered,
    ).toBe(true);
    const deployment = await api.call(
      'POST',
      '/api/jarvis/deployments',
      { version: '1.2.3', strategy: 'blue-green' },
      operator,
    );
    expect(deployment.json).toMatchObject({ status: 'live' });
    expect(
      (await api.call('POST', `/api/jarvis/deployments/${deployment.json.id}/rollback`, undefined, operator))
        .status,
    ).toBe(200);
    expect(
      (await api.call('POST', `/api/jarvis/deployments/${deployment.json.id}/rollback`, undefined, operator))
        .status,
    ).toBe(409);
  });
});

describe('AI DAWG robustness', () => {
  it('refuses malformed JSON without a stack trace, and unknown endpoints with JSON', async () => {
    const reply = await api.call('POST', '/api/auth/signup', undefined, undefined, '{"email": ');
    expect(reply).toMatchObject({ status: 400, json: { error: 'the body is not valid JSON' } });
    expect(reply.text).not.toMatch(/\bat /);
    expect((await api.call('GET', '/api/nothing-here')).json).toEqual({ error: 'no such endpoint' });
    const big = await api.call(
      'POST',
      '/api/auth/signup',
      undefined,
      undefined,
      JSON.stringify({ email: 'x'.repeat(200_000) }),
    );
    expect(big.status).toBe(413);
  });

  it('never answers 5xx to any JSON body on its write endpoints', async () => {
    const token = await api.signUp();
    const { json: project } = await api.call('POST', '/api/projects', { name: 'Fuzz' }, token);
    const paths = [
      '/api/projects',
      '/api/beats',
      '/api/vocal-coach/score',
      `/api/projects/${project.id}/tracks`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const reply = await api.call('POST', path, body, token);
        expect(reply.status).toBeLessThan(500);
        expect(reply.type).toMatch(/^application\/json/);
      }),
      { numRuns: 80 },
    );
  });
});

describe('AI DAWG faults', () => {
  it('parses fault lists and refuses unknown ids', () => {
    expect([...parseFaults(' f1, F3 ')]).toEqual(['F1', 'F3']);
    expect(parseFaults('all').size).toBe(FAULTS.length);
    expect(parseFaults('').size).toBe(0);
    expect(() => parseFaults('F1,F42')).toThrow('unknown fault F42 in AIDAWG_FAULTS');
  });

  it('documents every fault in its README', async () => {
    const readme = await readFile('examples/aidawg/README.md', 'utf8');
    for (const fault of FAULTS) expect(readme).toMatch(new RegExp(`\\| ${fault.id} +\\| ${fault.kind} +\\|`));
  });

  it('shows each fault over HTTP when it is on', async () => {
    const [token, other, operator] = await Promise.all([bad.signUp(), bad.signUp(), bad.operator()]);
    const { json: project } = await bad.call('POST', '/api/projects', { name: 'Mine' }, token);
    expect((await bad.call('POST', '/api/beats', { genre: 'edm', bpm: 200 }, token)).status).toBe(500); // F1
    expect((await bad.call('POST', '/api/projects', { name: '' }, token)).status).toBe(201); // F2
    expect(await fetch(`${faulty.url}/templates?q=<i>x</i>`).then((r) => r.text())).toContain('“<i>x</i>”'); // F3
    expect((await bad.call('GET', `/api/projects/${project.id}`, undefined, other)).status).toBe(200); // F4
    expect((await bad.call('POST', '/api/beats', undefined, token, '{')).json.stack).toMatch(
      /at JSON\.parse/,
    ); // F5
    expect((await bad.call('GET', '/api/jarvis/metrics', undefined, operator)).type).toMatch(/^text\/html/); // F6
    expect((await bad.call('POST', '/api/jarvis/services/api-gateway/restart')).status).toBe(202); // F7
    const started = Date.now(); // F8
    await Promise.all(
      Array.from({ length: 8 }, () => bad.call('GET', '/api/jarvis/dashboard', undefined, operator)),
    );
    expect(Date.now() - started).toBeGreaterThan(1000);
    const email = `dup${Date.now()}@example.test`; // F10
    for (let i = 0; i < 2; i++)
      expect((await bad.call('POST', '/api/auth/signup', { email, password: 'abcdefg1' })).status).toBe(201);
    const sharp = await bad.call(
      'POST',
      '/api/vocal-coach/score',
      { target: 'A4', frequencies: [447.7] },
      token,
    ); // F11
    expect(sharp.json.inTune).toBe(true);
    expect((await bad.call('POST', '/api/auth/password-reset', { email: 'ghost@example.test' })).status).toBe(
      404,
    ); // F12
  });

  it('lets a 101st track in with F9', async () => {
    const token = await bad.signUp();
    const { json: project } = await bad.call('POST', '/api/projects', { name: 'Over' }, token);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          bad.call('POST', `/api/projects/${project.id}/tracks`, { type: 'audio' }, token),
        ),
      );
    }
    expect(
      (await bad.call('POST', `/api/projects/${project.id}/tracks`, { type: 'audio' }, token)).status,
    ).toBe(201);
  });
});
