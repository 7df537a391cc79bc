// Beat generation, the vocal coach, templates and the tutorial.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import type { Faults } from '../faults.ts';
import { HttpError, parse } from '../http-error.ts';
import type { State } from '../state.ts';

export const TEMPLATES = [
  {
    id: 'lofi-study',
    name: 'Lo-fi study beat',
    genre: 'lofi',
    tracks: [
      { type: 'midi', name: 'Keys' },
      { type: 'audio', name: 'Vinyl' },
    ],
  },
  {
    id: 'trap-starter',
    name: 'Trap starter',
    genre: 'trap',
    tracks: [
      { type: 'midi', name: '808' },
      { type: 'midi', name: 'Hats' },
    ],
  },
  {
    id: 'house-groove',
    name: 'House groove',
    genre: 'house',
    tracks: [
      { type: 'midi', name: 'Kick' },
      { type: 'midi', name: 'Bass' },
    ],
  },
  {
    id: 'singer-songwriter',
    name: 'Singer-songwriter',
    genre: 'acoustic',
    tracks: [
      { type: 'audio', name: 'Vocals' },
      { type: 'audio', name: 'Guitar' },
    ],
  },
] as const satisfies readonly {
  id: string;
  name: string;
  genre: string;
  tracks: readonly { type: 'audio' | 'midi'; name: string }[];
}[];

export function findTemplates(q: string) {
  const wanted = q.trim().toLowerCase();
  return TEMPLATES.filter((t) => !wanted || `${t.name} ${t.genre}`.toLowerCase().includes(wanted));
}

export const TUTORIAL = [
  'Create a project',
  'Add a track',
  'Generate a beat',
  'Record a vocal',
  'Export your song',
];

const MIN_BPM = 40;
const MAX_BPM = 200;
/** Swing and density per tempo: one entry for every whole BPM from 0 to the maximum. */
function tempoTable(size: number) {
  return Array.from({ length: size }, (_, bpm) => ({ density: bpm < 100 ? 2 : bpm < 150 ? 3 : 4 }));
}
const GENRES = {
  trap: [0, 6, 10],
  'hip-hop': [0, 8, 10],
  edm: [0, 4, 8, 12],
  lofi: [0, 10],
  house: [0, 4, 8, 12],
} as const;
const Beat = z.object({
  genre: z.enum(Object.keys(GENRES) as [keyof typeof GENRES, ...(keyof typeof GENRES)[]]),
  bpm: z.number().int('bpm must be a whole number').min(MIN_BPM).max(MAX_BPM),
  bars: z.number().int().min(1).max(64).default(4),
  variations: z.number().int().min(1).max(4).default(1),
  swing: z.number().min(0).max(0.5).default(0),
});

const NOTE = /^([A-G])(#|b)?(-?\d)$/;
const SEMITONES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
export function noteFrequency(note: string): number | undefined {
  const m = NOTE.exec(note);
  if (!m) return undefined;
  const midi = (Number(m[3]) + 1) * 12 + SEMITONES[m[1]!]! + (m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0);
  return 440 * 2 ** ((midi - 69) / 12);
}
const Score = z.object({
  target: z.union([z.string().regex(NOTE, 'expected a note like A4 or C#5'), z.number().min(20).max(5000)]),
  frequencies: z.array(z.number().min(20).max(5000)).min(1).max(2000),
  intervalMs: z.number().int().min(1).max(1000).default(10),
});

export function musicRoutes(state: State, faults: Faults): Router {
  const router = Router();
  const table = tempoTable(faults.has('F1') ? MAX_BPM : MAX_BPM + 1);

  router.post('/beats', (req, res) => {
    const me = requireUser(state, req);
    const input = parse(Beat, req.body);
    const { density } = table[input.bpm]!;
    const steps = input.bars * 16;
    const variations = Array.from({ length: input.variations }, (_, v) => ({
      pattern: {
        kick: range(steps).filter(
          (s) => GENRES[input.genre].includes((s % 16) as never) || (v > 0 && s % 16 === 14),
        ),
        snare: range(steps).filter((s) => s % 16 === 4 || s % 16 === 12),
        hat: range(steps).filter((s) => s % (16 / 2 ** (density - 1)) === 0),
      },
    }));
    const beat = { id: randomUUID(), ...input, variations };
    state.beats.set(beat.id, { id: beat.id, ownerId: me.id });
    res.status(201).json(beat);
  });
  router.delete('/beats/:id', (req, res) => {
    const me = requireUser(state, req);
    const beat = state.beats.get(req.params.id);
    if (!beat || beat.ownerId !== me.id) throw new HttpError(404, 'no such beat');
    state.beats.delete(beat.id);
    res.status(204).end();
  });

  router.post('/vocal-coach/score', (req, res) => {
    const me = requireUser(state, req);
    const input = parse(Score, req.body);
    const target = typeof input.target === 'number' ? input.target : noteFrequency(input.target)!;
    const cents = input.frequencies.map((f) => 1200 * Math.log2(f / target));
    const meanCentsOff = cents.reduce((a, b) => a + b, 0) / cents.length;
    const tolerance = faults.has('F11') ? 50 : 15;
    const inTuneRatio = cents.filter((c) => Math.abs(c) <= tolerance).length / cents.length;
    const inTune = Math.abs(meanCentsOff) <= tolerance;
    const score = Math.max(
      0,
      Math.min(100, Math.round(100 - Math.abs(meanCentsOff) * 0.8 - (1 - inTuneRatio) * 20)),
    );
    const message = inTune ? 'Great pitch!' : meanCentsOff > 0 ? 'A little sharp' : 'A little flat';
    const result = { score, meanCentsOff: Math.round(meanCentsOff * 10) / 10, inTune, inTuneRatio, message };
    state.scores.push({
      userId: me.id,
      score,
      meanCentsOff: result.meanCentsOff,
      at: new Date().toISOString(),
    });
    res.json(result);
  });
  router.get('/vocal-coach/sessions', (req, res) => {
    const me = requireUser(state, req);
    res.json(state.scores.filter((s) => s.userId === me.id));
  });

  router.get('/templates', (req, res) => {
    const { q } = parse(z.object({ q: z.string().max(200).default('') }), req.query);
    if (faults.has('F13') && /'/.test(q)) {
      throw new HttpError(
        400,
        `SQLITE_ERROR: near "${q.slice(q.indexOf("'") + 1, q.indexOf("'") + 8)}": syntax error`,
      );
    }
    res.json(findTemplates(q));
  });

  router.get('/tutorial', (req, res) => {
    const me = requireUser(state, req);
    const progress = state.tutorial.get(me.id) ?? { completed: [], skipped: false };
    res.json({ steps: TUTORIAL.map((title, i) => ({ step: i + 1, title })), ...progress });
  });
  router.post('/tutorial/progress', (req, res) => {
    const me = requireUser(state, req);
    const input = parse(
      z.union([
        z.object({ step: z.number().int().min(1).max(TUTORIAL.length) }),
        z.object({ skipped: z.literal(true) }),
      ]),
      req.body,
    );
    const progress = state.tutorial.get(me.id) ?? { completed: [], skipped: false };
    if ('step' in input && !progress.completed.includes(input.step)) progress.completed.push(input.step);
    if ('skipped' in input) progress.skipped = true;
    state.tutorial.set(me.id, progress);
    res.json({ ...progress, finished: progress.completed.length === TUTORIAL.length });
  });
  return router;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
