// Sign-up, login, logout, the current user, and password reset.
import { Router } from 'express';
import { z } from 'zod';
import { requireUser, setSessionCookie, tokenOf } from '../auth.ts';
import type { Faults } from '../faults.ts';
import { HttpError, parse } from '../http-error.ts';
import { publicUser } from '../state.ts';
import type { State } from '../state.ts';

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'expected a valid e-mail address' }));
const Password = z
  .string()
  .min(8, 'the password needs at least 8 characters')
  .max(200)
  .regex(/[A-Za-z]/, 'the password needs a letter')
  .regex(/\d/, 'the password needs a digit');
const SignUp = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(100).optional(),
});
const Login = z.object({ email: z.string().max(254), password: z.string().max(200) });

export function signUp(state: State, faults: Faults, body: unknown) {
  const input = parse(SignUp, body);
  if (state.findUserByEmail(input.email) && !faults.has('F10')) {
    throw new HttpError(409, 'an account with this e-mail address already exists');
  }
  const user = state.addUser(input.email, input.password, input.name ?? input.email.split('@')[0]!);
  return { token: state.openSession(user.id), user: publicUser(user) };
}

export function logIn(state: State, body: unknown) {
  const input = parse(Login, body);
  const user = state.findUserByEmail(input.email);
  if (!user || !state.checkPassword(user, input.password))
    throw new HttpError(401, 'invalid email or password');
  return { token: state.openSession(user.id), user: publicUser(user) };
}

export function authRoutes(state: State, faults: Faults): Router {
  const router = Router();
  router.post('/signup', (req, res) => {
    const session = signUp(state, faults, req.body);
    setSessionCookie(res, session.token);
    res.status(201).json(session);
  });
  router.post('/login', (req, res) => {
    const session = logIn(state, req.body);
    setSessionCookie(res, session.token);
    res.json(session);
  });
  router.post('/logout', (req, res) => {
    requireUser(state, req);
    state.sessions.delete(tokenOf(req)!);
    res.clearCookie('sid').status(204).end();
  });
  router.post('/password-reset', (req, res) => {
    const { email } = parse(z.object({ email: Email }), req.body);
    if (faults.has('F12') && !state.findUserByEmail(email))
      throw new HttpError(404, 'no account with that email');
    res.status(202).json({ status: 'sent-if-registered' });
  });
  router.post('/oauth/:provider', (req) => {
    throw new HttpError(400, `sign-in with ${req.params.provider} is not available on this server`);
  });
  return router;
}

export function meRoute(state: State, faults: Faults): Router {
  return Router().get('/', (req, res) => {
    const { email, ...withoutEmail } = publicUser(requireUser(state, req));
    res.json(faults.has('F16') ? withoutEmail : { ...withoutEmail, email });
  });
}
