// Who is asking: a bearer token or the sid cookie, and the guards routes use.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './http-error.ts';
import type { State, User } from './state.ts';

export function tokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'sid') return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function currentUser(state: State, req: Request): User | undefined {
  return state.userOfToken(tokenOf(req));
}

/** The signed-in user, or a 401. */
export function requireUser(state: State, req: Request): User {
  const user = currentUser(state, req);
  if (!user) throw new HttpError(401, 'sign in first');
  return user;
}

/** A signed-in operator: 401 without a session, 403 for anyone else. */
export function requireOperator(state: State, req: Request): User {
  const user = requireUser(state, req);
  if (user.role !== 'operator') throw new HttpError(403, 'only operators may do this');
  return user;
}

export function operatorOnly(state: State) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    requireOperator(state, req);
    next();
  };
}

export function setSessionCookie(res: Response, token: string): void {
  res.cookie('sid', token, { httpOnly: true, sameSite: 'lax', path: '/' });
}
