// The server-rendered web UI: plain HTML forms, every interpolated value escaped (but for fault F3).
import { Router } from 'express';
import type { Response } from 'express';
import { currentUser, setSessionCookie } from './auth.ts';
import type { Faults } from './faults.ts';
import { HttpError } from './http-error.ts';
import { logIn, signUp } from './routes/auth.ts';
import { findTemplates } from './routes/music.ts';
import { createProject, projectFor } from './routes/projects.ts';
import type { State } from './state.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: Response, title: string, body: string, status = 200): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · AI DAWG</title></head>` +
        `<body><nav><a href="/">AI DAWG</a> · <a href="/projects">Projects</a> · <a href="/templates">Templates</a> · ` +
        `<a href="/coach">Vocal coach</a> · <a href="/jarvis">JARVIS</a></nav><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

const form = (action: string, fields: [string, string, string][], button: string, error?: string) =>
  `${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}<form method="post" action="${action}">` +
  fields
    .map(
      ([id, label, type]) =>
        `<p><label for="${id}">${label}</label> <input id="${id}" name="${id}" type="${type}" required></p>`,
    )
    .join('') +
  `<button type="submit">${button}</button></form>`;

const SIGNUP: [string, string, string][] = [
  ['email', 'E-mail', 'email'],
  ['password', 'Password', 'password'],
];

export function pageRoutes(state: State, faults: Faults): Router {
  const router = Router();
  const messageOf = (error: unknown) => (error instanceof HttpError ? error.message : 'something went wrong');

  router.get('/', (req, res) => {
    const user = currentUser(state, req);
    page(
      res,
      'Make music with AI DAWG',
      user
        ? `<p>Signed in as ${escapeHtml(user.email)}.</p>`
        : '<p><a href="/signup">Sign up</a> or <a href="/login">log in</a>.</p>',
    );
  });
  for (const [path, title, button, act] of [
    ['/signup', 'Sign up', 'Create account', (body: unknown) => signUp(state, faults, body)],
    ['/login', 'Log in', 'Log in', (body: unknown) => logIn(state, body)],
  ] as const) {
    router.get(path, (_req, res) => page(res, title, form(path, SIGNUP, button)));
    router.post(path, (req, res) => {
      try {
        setSessionCookie(res, act(req.body).token);
        res.redirect(303, '/projects');
      } catch (error) {
        page(
          res,
          title,
          form(path, SIGNUP, button, messageOf(error)),
          error instanceof HttpError ? error.status : 400,
        );
      }
    });
  }
  router.post('/logout', (req, res) => {
    const token = req.get('cookie')?.match(/sid=([^;]+)/)?.[1];
    if (token) state.sessions.delete(decodeURIComponent(token));
    res.clearCookie('sid').redirect(303, '/');
  });

  router.get('/projects', (req, res) => {
    const user = currentUser(state, req);
    if (!user) return res.redirect(303, '/login');
    const mine = [...state.projects.values()].filter((p) => p.ownerId === user.id);
    const list = mine.map((p) => `<li><a href="/projects/${p.id}">${escapeHtml(p.name)}</a></li>`).join('');
    page(
      res,
      'Your projects',
      `<ul id="projects">${list}</ul>${form('/projects', [['name', 'Project name', 'text']], 'Create project')}`,
    );
  });
  router.post('/projects', (req, res) => {
    const user = currentUser(state, req);
    if (!user) return res.redirect(303, '/login');
    try {
      const project = createProject(state, faults, user, req.body);
      res.redirect(303, `/projects/${project.id}`);
    } catch (error) {
      page(
        res,
        'Your projects',
        form('/projects', [['name', 'Project name', 'text']], 'Create project', messageOf(error)),
        400,
      );
    }
  });
  router.get('/projects/:id', (req, res) => {
    const user = currentUser(state, req);
    if (!user) return res.redirect(303, '/login');
    try {
      const p = projectFor(state, user, req.params.id);
      const tracks = p.tracks
        .map(
          (t) =>
            `<li style="border-left: 6px solid ${escapeHtml(t.color)}">${escapeHtml(t.name)} (${t.type}, ${t.clips.length} clips)</li>`,
        )
        .join('');
      page(
        res,
        p.name,
        `<ul id="tracks">${tracks}</ul><p><a id="export" href="/api/projects/${p.id}/export?format=wav">Export to WAV</a></p>`,
      );
    } catch (error) {
      if (!faults.has('F14')) return page(res, 'Not found', '<p>No such project.</p>', 404);
      // The development error page, left on: the error and every frame of its stack.
      const frames = (error as Error).stack!.split('\n').slice(1);
      res
        .status(404)
        .type('html')
        .send(
          `<!doctype html><title>Error</title><div id="wrapper"><h1>Connect</h1><h2><em>404</em> ${escapeHtml(String(error))}</h2>` +
            `<ul id="stacktrace">${frames.map((f) => `<li>${escapeHtml(f.trim())}</li>`).join('')}</ul></div>`,
        );
    }
  });

  router.get('/templates', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const found = findTemplates(q);
    const shown = faults.has('F3') ? q : escapeHtml(q);
    const list = found
      .map((t) => `<li>${escapeHtml(t.name)} <small>${escapeHtml(t.genre)}</small></li>`)
      .join('');
    page(
      res,
      'Templates',
      `<form method="get" action="/templates"><label for="q">Search</label> <input id="q" name="q" value="${escapeHtml(q)}"> <button>Search</button></form>` +
        `<p id="count">${found.length} templates matching “${shown}”</p><ul id="templates">${list}</ul>`,
    );
  });
  router.get('/coach', (_req, res) =>
    page(
      res,
      'Vocal coach',
      '<p>Sing a note; the coach scores your pitch (POST /api/vocal-coach/score).</p>',
    ),
  );
  router.get('/jarvis', (req, res) => {
    const user = currentUser(state, req);
    if (!user) return res.redirect(303, '/login');
    if (user.role !== 'operator') return page(res, 'Forbidden', '<p>JARVIS is for operators.</p>', 403);
    const rows = [...state.services.values()]
      .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${s.status}</td><td>${s.restarts}</td></tr>`)
      .join('');
    page(
      res,
      'JARVIS',
      `<table id="services"><tr><th>Service</th><th>Status</th><th>Restarts</th></tr>${rows}</table>`,
    );
  });
  return router;
}
