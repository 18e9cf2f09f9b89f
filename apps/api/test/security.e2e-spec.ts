import { call, expectError, MASTER, Member, onboard } from './support/http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, StartedApp } from './support/started-app';

describe('HTTP hardening and secrets', () => {
  let app: StartedApp;
  let alice: Member;

  beforeAll(async () => {
    app = await StartedApp.start();
    alice = await onboard(app, 'internal_user');
  });

  afterAll(() => app.close());

  it('sends security headers on every answer', async () => {
    for (const path of ['/health/liveliness', '/user/info', '/ui/', '/docs']) {
      const reply = await call(app, 'GET', path, { auth: alice.session });
      expect(reply.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(reply.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves deep links and hashed files of the console, and 404 for missing ones', async () => {
    const index = readFileSync(join(REPO, 'dist/admin/browser/index.html'), 'utf8');
    const script = /src="(main-[0-9A-Z]{8}\.js)"/.exec(index)?.[1];
    expect(script).toBeDefined();

    for (const path of ['/ui', '/ui/onboarding?id=x', '/ui/keys/deep/link']) {
      const page = await call(app, 'GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }

    const file = await call(app, 'GET', `/ui/${script}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    expectError(await call(app, 'GET', '/ui/chunk-GONE1234.js'), 404);
  });

  it('forbids caching of answers that carry secrets or personal data', async () => {
    const answers = [
      await call(app, 'POST', '/key/generate', { auth: alice.session, body: {} }),
      await call(app, 'GET', '/user/info', { auth: alice.session }),
      await call(app, 'POST', '/v2/login', {
        body: { username: alice.email, password: alice.password },
      }),
      await call(app, 'GET', '/key/list', { auth: alice.session }),
    ];

    for (const reply of answers) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('keeps CORS closed by default', async () => {
    const preflight = await call(app, 'OPTIONS', '/user/info', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const simple = await call(app, 'GET', '/user/info', {
      auth: alice.session,
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never builds links or redirects from the Host header', async () => {
    const evil = { host: 'evil.example' };
    const login = await call(app, 'POST', '/login', {
      form: { username: alice.email, password: alice.password },
      headers: evil,
    });
    expect(login.headers.get('location')).not.toContain('evil.example');

    const invitation = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: alice.userId },
      headers: evil,
    });
    const token = await call(app, 'GET', '/onboarding/get_token', {
      query: { invite_link: invitation.body.id },
      headers: evil,
    });
    expect(token.body.login_url).toBe(`${app.baseUrl}/ui?login=success`);
    expect((await call(app, 'GET', '/sso/get/logout_url', { headers: evil })).text).not.toContain(
      'evil.example',
    );
  });

  it('keeps only digests of keys and session tokens in the database', async () => {
    const key = await call(app, 'POST', '/key/generate', { auth: alice.session, body: {} });
    const tables = ['users', 'keys', 'sessions', 'invitations', 'audit_events', 'spend_logs'];

    for (const table of tables) {
      const rows = await app.sql(`SELECT * FROM ${table}`);
      const dump = JSON.stringify(rows);
      for (const [secret, kind] of app.secrets) {
        if (kind !== 'invitation link') {
          expect({ table, kind, found: dump.includes(secret) }).toEqual({
            table,
            kind,
            found: false,
          });
        }
      }
    }

    const [stored] = await app.sql<{ token: string }>('SELECT token FROM keys WHERE token = $1', [
      key.body.token,
    ]);
    expect(stored.token).toMatch(/^[0-9a-f]{64}$/);
    const passwords = await app.sql<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE password_hash IS NOT NULL',
    );
    expect(passwords.every((row) => row.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('never echoes a key in an error', async () => {
    const wrong = 'sk-this-key-does-not-exist-42';
    for (const reply of [
      await call(app, 'GET', '/key/info', { auth: { bearer: wrong } }),
      await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: wrong } }),
      await call(app, 'POST', '/key/delete', { auth: MASTER, body: { keys: [wrong] } }),
      await call(app, 'POST', '/chat/completions', { auth: { bearer: wrong }, body: {} }),
    ]) {
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.text).not.toContain(wrong);
    }
  });

  it('refuses a query parameter given twice', async () => {
    const reply = await call(app, 'GET', '/user/list?page=1&page=2', { auth: MASTER });

    expectError(reply, 400, 'page');
  });

  it('has seen the secrets it scans the log for', () => {
    const kinds = new Set(app.secrets.values());

    for (const kind of ['key', 'password', 'session or onboarding token', 'invitation link']) {
      expect(kinds).toContain(kind);
    }
    expect(app.leakedSecrets()).toEqual([]);
  });
});

describe('CORS for configured origins', () => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await StartedApp.start({ env: { CORS_ORIGINS: 'https://portal.example.com' } });
  });

  afterAll(() => app.close());

  it('answers the configured origin and nobody else', async () => {
    const allowed = await call(app, 'OPTIONS', '/user/info', {
      headers: {
        origin: 'https://portal.example.com',
        'access-control-request-method': 'POST',
      },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');

    const other = await call(app, 'OPTIONS', '/user/info', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
