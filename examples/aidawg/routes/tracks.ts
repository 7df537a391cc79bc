// Tracks, clips and clip edits of a project, with an undo history of the edits.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import multer from 'multer';
import type { Request } from 'express';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import { readWav } from '../audio.ts';
import type { Faults } from '../faults.ts';
import { HttpError, parse } from '../http-error.ts';
import type { Clip, Project, State, Track } from '../state.ts';
import { newTrack, projectFor, view } from './projects.ts';

export const MAX_TRACKS = 100;
export const MAX_SAMPLE_BYTES = 5 * 1024 * 1024;
const samples = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_SAMPLE_BYTES, files: 1 } });
const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #ff8800');
const Seconds = z.number().finite();
const Edit = z.discriminatedUnion('op', [
  z.object({ op: z.literal('trim'), start: Seconds.min(0), end: Seconds.min(0) }),
  z.object({ op: z.literal('split'), at: Seconds.min(0) }),
  z.object({ op: z.literal('fade'), fadeIn: Seconds.min(0), fadeOut: Seconds.min(0) }),
  z.object({ op: z.literal('gain'), gainDb: Seconds.min(-48).max(12) }),
  z.object({ op: z.literal('duplicate') }),
]);

type Params = { id: string; trackId?: string; clipId?: string };

export function trackRoutes(state: State, faults: Faults): Router {
  const router = Router({ mergeParams: true });
  const project = (req: Request<Params>, access: 'read' | 'write' = 'write') =>
    projectFor(state, requireUser(state, req), req.params.id, access);
  const track = (p: Project, id: string | undefined) => {
    const found = p.tracks.find((t) => t.id === id);
    if (!found) throw new HttpError(404, 'no such track');
    return found;
  };
  const clipOf = (p: Project, id: string | undefined): { track: Track; clip: Clip } => {
    for (const t of p.tracks) {
      const clip = t.clips.find((c) => c.id === id);
      if (clip) return { track: t, clip };
    }
    throw new HttpError(404, 'no such clip');
  };
  const remember = (p: Project) => {
    p.undo.push(structuredClone(p.tracks));
    p.redo = [];
  };

  router.get('/tracks', (req: Request<Params>, res) => {
    res.json(project(req, 'read').tracks);
  });
  router.post('/tracks', (req: Request<Params>, res) => {
    const p = project(req);
    const input = parse(
      z.object({
        type: z.enum(['audio', 'midi']),
        name: z.string().trim().min(1).max(60).optional(),
        color: Color.optional(),
      }),
      req.body,
    );
    const limit = faults.has('F9') ? MAX_TRACKS + 1 : MAX_TRACKS;
    if (p.tracks.length >= limit) throw new HttpError(409, `a project holds at most ${MAX_TRACKS} tracks`);
    const created = newTrack(input.type, input.name, p.tracks.length, input.color);
    p.tracks.push(created);
    res.status(201).json(created);
  });
  router.patch('/tracks/:trackId', (req: Request<Params>, res) => {
    const t = track(project(req), req.params.trackId);
    const input = parse(
      z.object({
        name: z.string().trim().min(1).max(60).optional(),
        color: Color.optional(),
        volume: z.number().min(0).max(2).optional(),
        pan: z.number().min(-1).max(1).optional(),
        effects: z
          .array(
            z
              .looseObject({ type: z.enum(['eq', 'compressor', 'reverb']) })
              .catchall(z.union([z.number(), z.string()])),
          )
          .max(16)
          .optional(),
      }),
      req.body,
    );
    Object.assign(t, input);
    res.json(t);
  });
  router.post('/tracks/:trackId/clips', (req: Request<Params>, res) => {
    const p = project(req);
    const t = track(p, req.params.trackId);
    const input = parse(
      z.object({ start: Seconds.min(0).max(36000), length: Seconds.gt(0).max(3600) }),
      req.body,
    );
    remember(p);
    const clip: Clip = { id: randomUUID(), ...input, gainDb: 0, fadeIn: 0, fadeOut: 0 };
    t.clips.push(clip);
    res.status(201).json(clip);
  });
  // A sample file (WAV) becomes a clip as long as the audio it holds.
  router.post('/tracks/:trackId/samples', samples.single('sample'), (req: Request<Params>, res) => {
    const p = project(req);
    const t = track(p, req.params.trackId);
    if (!req.file) throw new HttpError(400, 'sample: attach a WAV file as the "sample" field');
    const info = readWav(req.file.buffer);
    if (!info) throw new HttpError(415, 'sample: only PCM WAV files are accepted');
    if (info.seconds === 0) throw new HttpError(400, 'sample: the file holds no audio');
    const { start } = parse(z.object({ start: z.coerce.number().min(0).max(36000).default(0) }), req.body);
    remember(p);
    const clip: Clip = {
      id: randomUUID(),
      start,
      length: Math.round(info.seconds * 1000) / 1000,
      gainDb: 0,
      fadeIn: 0,
      fadeOut: 0,
      sample: {
        name: req.file.originalname,
        bytes: req.file.size,
        sampleRate: info.sampleRate,
        channels: info.channels,
      },
    };
    t.clips.push(clip);
    res.status(201).json(clip);
  });
  router.post('/clips/:clipId/edits', (req: Request<Params>, res) => {
    const p = project(req);
    const { track: t, clip } = clipOf(p, req.params.clipId);
    const edit = parse(Edit, req.body);
    const end = clip.start + clip.length;
    remember(p);
    let clips: Clip[] = [clip];
    switch (edit.op) {
      case 'trim':
        if (edit.end <= edit.start || edit.start < clip.start || edit.end > end) {
          p.undo.pop();
          throw new HttpError(400, `trim must keep a part of the clip (${clip.start}–${end} s)`);
        }
        Object.assign(clip, { start: edit.start, length: edit.end - edit.start });
        break;
      case 'split': {
        if (edit.at <= clip.start || edit.at >= end) {
          p.undo.pop();
          throw new HttpError(400, `split point must fall inside the clip (${clip.start}–${end} s)`);
        }
        const right: Clip = { ...clip, id: randomUUID(), start: edit.at, length: end - edit.at };
        clip.length = edit.at - clip.start;
        t.clips.push(right);
        clips = [clip, right];
        break;
      }
      case 'fade':
        if (edit.fadeIn + edit.fadeOut > clip.length) {
          p.undo.pop();
          throw new HttpError(400, 'fades cannot be longer than the clip');
        }
        // F18: the fade curve is shaped by the share of the fade-in in both fades, which is 0 / 0 when both go.
        if (faults.has('F18')) fadeCurve(edit.fadeIn, edit.fadeOut);
        Object.assign(clip, { fadeIn: edit.fadeIn, fadeOut: edit.fadeOut });
        break;
      case 'gain':
        clip.gainDb = edit.gainDb;
        break;
      case 'duplicate': {
        const copy: Clip = { ...clip, id: randomUUID(), start: end };
        t.clips.push(copy);
        clips = [clip, copy];
        break;
      }
    }
    res.json({ clips });
  });
  router.delete('/clips/:clipId', (req: Request<Params>, res) => {
    const p = project(req);
    const { track: t, clip } = clipOf(p, req.params.clipId);
    remember(p);
    t.clips = t.clips.filter((c) => c !== clip);
    res.status(204).end();
  });
  for (const [path, from, to] of [
    ['/undo', 'undo', 'redo'],
    ['/redo', 'redo', 'undo'],
  ] as const) {
    router.post(path, (req: Request<Params>, res) => {
      const p = project(req);
      const previous = p[from].pop();
      if (!previous) throw new HttpError(409, `nothing to ${from}`);
      p[to].push(p.tracks);
      p.tracks = previous;
      res.json(view(p));
    });
  }
  return router;
}

/** The gain of a fade at ten points, from the share of the fade-in in both fades (F18: not guarded against 0 / 0). */
function fadeCurve(fadeIn: number, fadeOut: number): string[] {
  const CURVES = [0, 0.25, 0.5, 0.75, 1].map((share) => [share, 1 - share]);
  const shape = CURVES[Math.round((fadeIn / (fadeIn + fadeOut)) * 4)]!;
  return Array.from({ length: 10 }, (_, i) => (shape[0]! * i + shape[1]! * (9 - i)).toFixed(2));
}
