// Projects and what they hold: versions, collaborators and comments. Tracks and clips are in tracks.ts.
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import type { Faults } from '../faults.ts';
import { HttpError, parse } from '../http-error.ts';
import type { Project, State, Track, User } from '../state.ts';
import { Email } from './auth.ts';
import { TEMPLATES } from './music.ts';
import { exportProject } from '../audio.ts';

const ProjectName = z
  .string()
  .trim()
  .min(1, 'the name cannot be empty')
  .max(100, 'the name has at most 100 characters');

/** The project the user may see (or, with `owner`, must own); anything else is a 404, so ids reveal nothing. */
export function projectFor(
  state: State,
  user: User,
  id: string,
  access: 'read' | 'write' | 'owner' = 'read',
): Project {
  const project = state.projects.get(id);
  const role =
    project &&
    (project.ownerId === user.id ? 'owner' : project.collaborators.find((c) => c.userId === user.id)?.role);
  const allowed =
    role === 'owner' || (access === 'read' && role) || (access === 'write' && role === 'editor');
  if (!project || !allowed) throw new HttpError(404, 'no such project');
  return project;
}

export function createProject(
  state: State,
  faults: Faults,
  user: User,
  body: unknown,
  { store = true }: { store?: boolean } = {},
): Project {
  const input = parse(
    z.object({ name: faults.has('F2') ? z.string().max(100) : ProjectName, template: z.string().optional() }),
    body,
  );
  const name = input.name.trim();
  const mine = [...state.projects.values()].filter((p) => p.ownerId === user.id);
  if (mine.some((p) => p.name.toLowerCase() === name.toLowerCase() && name !== '')) {
    throw new HttpError(409, 'you already have a project with this name');
  }
  const template = input.template === undefined ? undefined : TEMPLATES.find((t) => t.id === input.template);
  if (input.template !== undefined && !template)
    throw new HttpError(400, `unknown template "${input.template}"`);
  const tracks: Track[] = (template?.tracks ?? []).map((t, i) => newTrack(t.type, t.name, i));
  const project: Project = {
    id: randomUUID(),
    name,
    ownerId: user.id,
    version: 1,
    versions: [],
    tracks,
    collaborators: [],
    comments: [],
    undo: [],
    redo: [],
    createdAt: new Date().toISOString(),
  };
  if (store) state.projects.set(project.id, project);
  return project;
}

/** How long F17's quota lookup takes: two creates sent together both fall in it. */
const QUOTA_LOOKUP_MS = 50;

function uniqueKey(project: Project): string {
  return `${project.ownerId}\n${project.name.toLowerCase()}`;
}

const COLORS = ['#e4572e', '#29335c', '#f3a712', '#669bbc', '#a8c686', '#8e7dbe'];
export function newTrack(
  type: Track['type'],
  name: string | undefined,
  index: number,
  color?: string,
): Track {
  return {
    id: randomUUID(),
    type,
    name: name ?? `${type === 'audio' ? 'Audio' : 'MIDI'} ${index + 1}`,
    color: color ?? COLORS[index % COLORS.length]!,
    volume: 1,
    pan: 0,
    effects: [],
    clips: [],
  };
}

export function view(project: Project) {
  const { undo: _undo, redo: _redo, ...rest } = project;
  return rest;
}

export function projectRoutes(state: State, faults: Faults): Router {
  const router = Router();
  const user = (req: Request) => requireUser(state, req);
  router.get('/', (req, res) => {
    const me = user(req);
    res.json(
      [...state.projects.values()]
        .filter((p) => p.ownerId === me.id || p.collaborators.some((c) => c.userId === me.id))
        .map(view),
    );
  });
  router.post('/', async (req, res) => {
    const me = user(req);
    if (!faults.has('F17')) {
      res.status(201).json(view(createProject(state, faults, me, req.body)));
      return;
    }
    // F17: the name is checked, then the quota is looked up before the project is stored; a second create of the
    // same name in that gap passes the check too, and the store's unique index refuses its insert with an error
    // nobody handles.
    const project = createProject(state, faults, me, req.body, { store: false });
    await setTimeout(QUOTA_LOOKUP_MS);
    const key = uniqueKey(project);
    if (project.name !== '' && [...state.projects.values()].some((p) => uniqueKey(p) === key)) {
      throw new Error('UNIQUE constraint failed: projects.owner_id, projects.name');
    }
    state.projects.set(project.id, project);
    res.status(201).json(view(project));
  });
  router.get('/:id', (req, res) => {
    const me = user(req);
    const leaked = faults.has('F4') ? state.projects.get(req.params.id) : undefined;
    res.json(view(leaked ?? projectFor(state, me, req.params.id)));
  });
  router.patch('/:id', (req, res) => {
    const project = projectFor(state, user(req), req.params.id, 'write');
    const { name } = parse(z.object({ name: ProjectName }), req.body);
    project.name = name;
    res.json(view(project));
  });
  router.delete('/:id', (req, res) => {
    const project = projectFor(state, user(req), req.params.id, 'owner');
    state.projects.delete(project.id);
    res.status(204).end();
  });
  router.post('/:id/save', (req, res) => {
    const project = projectFor(state, user(req), req.params.id, 'write');
    project.version++;
    res.json({ version: project.version, savedAt: new Date().toISOString() });
  });
  router.post('/:id/versions', (req, res) => {
    const project = projectFor(state, user(req), req.params.id, 'write');
    const { label } = parse(z.object({ label: z.string().trim().min(1).max(100).optional() }), req.body);
    project.version++;
    const version = {
      version: project.version,
      label: label ?? `Version ${project.version}`,
      savedAt: new Date().toISOString(),
    };
    project.versions.push(version);
    res.status(201).json(version);
  });
  router.get('/:id/versions', (req, res) => {
    res.json(projectFor(state, user(req), req.params.id).versions);
  });
  router.get('/:id/export', (req, res) => {
    const project = projectFor(state, user(req), req.params.id);
    const { format } = parse(z.object({ format: z.string().max(20).default('wav') }), req.query);
    const file = exportProject(project, format);
    if (!file) throw new HttpError(400, `unsupported format "${format}"; use wav, midi or stems`);
    if ('json' in file) {
      res.json(file.json);
      return;
    }
    res.type(file.contentType).attachment(file.filename).send(file.bytes);
  });
  router.post('/:id/collaborators', (req, res) => {
    const project = projectFor(state, user(req), req.params.id, 'owner');
    const input = parse(z.object({ email: Email, role: z.enum(['viewer', 'editor']) }), req.body);
    const invited = state.findUserByEmail(input.email);
    if (!invited) throw new HttpError(404, 'no account with that e-mail address; ask them to sign up first');
    project.collaborators = project.collaborators.filter((c) => c.userId !== invited.id);
    const collaborator = { userId: invited.id, email: invited.email, role: input.role };
    project.collaborators.push(collaborator);
    res.status(201).json(collaborator);
  });
  router.post('/:id/comments', (req, res) => {
    const me = user(req);
    const project = projectFor(state, me, req.params.id);
    const { text } = parse(z.object({ text: z.string().trim().min(1).max(2000) }), req.body);
    const comment = { id: randomUUID(), authorId: me.id, text, createdAt: new Date().toISOString() };
    project.comments.push(comment);
    res.status(201).json(comment);
  });
  router.get('/:id/comments', (req, res) => {
    res.json(projectFor(state, user(req), req.params.id).comments);
  });
  return router;
}
