import { call, cookieOf, expectError, Member, onboard } from './support/http';
import { StartedApp } from './support/started-app';

describe('console sessions', () => {
  let app: StartedApp;
  let admin: Member;

  beforeAll(async () => {
    app = await StartedApp.start({
      env: { PROXY_LOGOUT_URL: 'https://sso.example.com/logout', SESSION_IDLE_TIMEOUT: '3s' },
    });
    admin = await onboard(app, 'proxy_admin');
  });

  afterAll(() => app.close());

  it('needs the CSRF header for changes made with the cookie', async () => {
    const body = { user_email: `csrf-${Date.now()}@example.com`, auto_create_key: false };

    const without = await call(app, 'POST', '/user/new', {
      auth: { cookie: admin.sessionToken },
      body,
    });
    expectError(without, 403);

    const wrong = await call(app, 'POST', '/user/new', {
      auth: { cookie: admin.sessionToken, csrf: 'forged' },
      body,
    });
    expectError(wrong, 403);

    const right = await call(app, 'POST', '/user/new', { auth: admin.cookie, body });
    expect(right.status).toBe(200);

    // Reading needs no CSRF header, and bearer tokens need none at all.
    expect(
      (await call(app, 'GET', '/user/list', { auth: { cookie: admin.sessionToken } })).status,
    ).toBe(200);
  });

  it('sends logout to PROXY_LOGOUT_URL and says where it leads', async () => {
    const login = await call(app, 'POST', '/v2/login', {
      body: { username: admin.email, password: admin.password },
    });
    const logout = await call(app, 'POST', '/logout', { auth: { bearer: login.body.token } });

    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('https://sso.example.com/logout');

    const where = await call(app, 'GET', '/sso/get/logout_url');
    expect(where.body).toEqual({
      PROXY_BASE_URL: app.baseUrl,
      PROXY_LOGOUT_URL: 'https://sso.example.com/logout',
    });
  });

  it('ends a session after the idle timeout', async () => {
    const login = await call(app, 'POST', '/v2/login', {
      body: { username: admin.email, password: admin.password },
    });
    expect(
      (await call(app, 'GET', '/user/info', { auth: { bearer: login.body.token } })).status,
    ).toBe(200);

    await new Promise((done) => setTimeout(done, 3_500));

    expectError(await call(app, 'GET', '/user/info', { auth: { bearer: login.body.token } }), 401);
  });

  it('changes the password with the current one and ends the other sessions', async () => {
    const member = await onboard(app, 'internal_user_viewer');
    const other = await call(app, 'POST', '/v2/login', {
      body: { username: member.email, password: member.password },
    });
    const newPassword = 'a brand new passphrase 42';

    const wrong = await call(app, 'POST', '/user/password/change', {
      auth: member.session,
      body: { current_password: 'not it at all', new_password: newPassword },
    });
    expectError(wrong, 400, 'current_password');

    const weak = await call(app, 'POST', '/user/password/change', {
      auth: member.session,
      body: { current_password: member.password, new_password: 'qwertyuiop123' },
    });
    expectError(weak, 400, 'new_password');

    const changed = await call(app, 'POST', '/user/password/change', {
      auth: member.cookie,
      body: { current_password: member.password, new_password: newPassword },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.sessions_ended).toBe(1);

    // The session that changed it stays; the other one is gone.
    expect((await call(app, 'GET', '/user/info', { auth: member.session })).status).toBe(200);
    expectError(await call(app, 'GET', '/user/info', { auth: { bearer: other.body.token } }), 401);

    const oldLogin = await call(app, 'POST', '/v2/login', {
      body: { username: member.email, password: member.password },
    });
    expectError(oldLogin, 401);
    const newLogin = await call(app, 'POST', '/v2/login', {
      body: { username: member.email, password: newPassword },
    });
    expect(newLogin.status).toBe(200);
    expect(cookieOf(newLogin, 'XSRF-TOKEN')).toBeTruthy();
  });

  it('stores only digests of session tokens', async () => {
    const rows = await app.sql<{ token_hash: string }>('SELECT token_hash FROM sessions');

    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toBe(admin.sessionToken);
    }
  });
});
