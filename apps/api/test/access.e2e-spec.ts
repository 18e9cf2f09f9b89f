import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, scopeOf } from '@gatehouse/domain';
import { Auth, call, MASTER, Member, onboard } from './support/http';
import { ROUTES } from './support/routes';
import { FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { StartedApp } from './support/started-app';

/**
 * Routes that end the caller's own sessions, which the other cases here go on using;
 * accounts.e2e-spec.ts and sessions.e2e-spec.ts test them, for every kind of caller.
 */
const EXEMPT = new Set([
  'POST /user/password/change',
  'POST /user/sessions/end',
  'POST /user/sessions/end_others',
]);

/**
 * Generated from the permission matrix: every route called as anonymous, as the master
 * key, and as each role both by session and by virtual key, expecting exactly the matrix's
 * answer: success when the role may, 403 when it may not, 401 without credentials.
 */
describe('access to every route follows the permission matrix', () => {
  let app: StartedApp;
  let upstream: FakeUpstream;
  const members = new Map<string, Member>();

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-access-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));
    app = await StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY },
    });
    for (const role of ROLES) {
      members.set(role, await onboard(app, role));
    }
  });

  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  interface Principal {
    name: string;
    kind: 'none' | 'master' | 'session' | 'key';
    auth: Auth;
    userId: string | null;
    role: (typeof ROLES)[number] | 'master' | 'anonymous';
  }

  const principals = (): Principal[] => [
    { name: 'anonymous', kind: 'none', auth: null, userId: null, role: 'anonymous' },
    { name: 'master key', kind: 'master', auth: MASTER, userId: null, role: 'master' },
    ...ROLES.flatMap((role): Principal[] => {
      const member = members.get(role) as Member;

      return [
        {
          name: `${role} by session`,
          kind: 'session',
          auth: member.session,
          userId: member.userId,
          role,
        },
        {
          name: `${role} by key`,
          kind: 'key',
          auth: { bearer: member.key },
          userId: member.userId,
          role,
        },
      ];
    }),
  ];

  function expected(access: string, principal: Principal): 'ok' | 401 | 403 {
    if (access === 'public' || principal.role === 'master') {
      return 'ok';
    }
    if (principal.role === 'anonymous') {
      return 401;
    }
    // Models are called with keys: any role's key may, a console session may not.
    if (access === 'gateway') {
      return principal.kind === 'key' ? 'ok' : 401;
    }

    return scopeOf(principal.role, access as never) ? 'ok' : 403;
  }

  it('covers every route of the OpenAPI document, so no route escapes the matrix', async () => {
    const docs = await call(app, 'GET', '/docs-json');
    const documented = Object.entries(docs.body.paths as Record<string, object>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(ROUTES.map((route) => `${route.method} ${route.path}`));

    expect(documented.filter((route) => !covered.has(route) && !EXEMPT.has(route))).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(ROUTES.length);
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path} (${route.access})`, async () => {
      const outcomes: string[] = [];
      const wanted: string[] = [];

      for (const principal of principals()) {
        const options = await route.request(app, { userId: principal.userId });
        const reply = await call(app, route.method, options.path ?? route.path, {
          ...options,
          auth: options.headers?.authorization ? undefined : principal.auth,
        });
        const outcome = reply.status < 400 ? 'ok' : reply.status;

        outcomes.push(`${principal.name}: ${outcome}`);
        wanted.push(`${principal.name}: ${expected(route.access, principal)}`);
        if (reply.status >= 400) {
          expect(reply.body.error.code).toBe(String(reply.status));
        }
      }

      expect(outcomes).toEqual(wanted);
    });
  }
});
