// The GitHub App's own endpoints: who the app is, where it is installed, and installation access tokens. They take
// the app's JWT; everything else takes a token (see `APP_JWT_OPERATIONS` in the server).
import { created, input, intParam, list, ok } from './call.ts';
import type { RestHandlers } from './call.ts';
import { orNotFound } from '../errors.ts';

/** Operations GitHub serves only to the app itself, authenticated with its JWT. */
export const APP_JWT_OPERATIONS = new Set([
  'apps/get-authenticated',
  'apps/list-installations',
  'apps/get-installation',
  'apps/create-installation-access-token',
  'apps/get-repo-installation',
  'apps/get-org-installation',
]);

export const appHandlers: RestHandlers = {
  'apps/get-authenticated': ({ state, present }) => ok(present.app(state.app)),

  'apps/list-installations': (call) =>
    list(call, call.state.installations, (i) => call.present.installation(i, call.state.app)),

  'apps/get-installation': (call) =>
    ok(call.present.installation(call.state.installation(intParam(call, 'installation_id')), call.state.app)),

  'apps/create-installation-access-token': (call) => {
    const installation = call.state.installation(intParam(call, 'installation_id'));
    const { permissions } = input<{ permissions?: Record<string, 'read' | 'write'> }>(call);
    const token = call.state.createInstallationToken(installation);
    return created({
      token: token.token,
      expires_at: token.expiresAt,
      permissions: permissions ?? installation.permissions,
      repository_selection: 'all',
    });
  },

  'apps/get-repo-installation': (call) => {
    const repo = call.state.repository(call.params.owner!, call.params.repo!);
    const installation = orNotFound(call.state.installationFor(repo.owner.login));
    return ok(call.present.installation(installation, call.state.app));
  },

  'apps/get-org-installation': (call) => {
    const installation = orNotFound(call.state.installationFor(call.params.org!));
    return ok(call.present.installation(installation, call.state.app));
  },
};
