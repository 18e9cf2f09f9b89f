import { call, expectError, MASTER } from './support/http';
import { StartedApp } from './support/started-app';

/** Bad input is a 4xx in the contract's shape, naming the field: never a 500 or a trace. */
describe('bad input', () => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await StartedApp.start();
  });

  afterAll(() => app.close());

  const cases: [string, unknown, string][] = [
    ['an unknown field', { user_email: 'x@example.com', is_admin: true }, 'is_admin'],
    ['a bad email', { user_email: 'not-an-email' }, 'user_email'],
    ['an unknown role', { user_role: 'superuser' }, 'user_role'],
    ['a wrong type', { max_budget: 'lots' }, 'max_budget'],
    ['a negative budget', { max_budget: -1 }, 'max_budget'],
    ['a fractional limit', { rpm_limit: 1.5 }, 'rpm_limit'],
    ['a bad duration', { budget_duration: 'fortnight' }, 'budget_duration'],
    ['models that are not strings', { models: [1, 2] }, 'models'],
    ['metadata that is not an object', { metadata: [1] }, 'metadata'],
    ['a bad user_id', { user_id: 'has spaces' }, 'user_id'],
    ['a non-boolean flag', { auto_create_key: 'yes' }, 'auto_create_key'],
  ];

  for (const [name, body, param] of cases) {
    it(`refuses ${name} with 400 naming ${param}`, async () => {
      const reply = await call(app, 'POST', '/user/new', { auth: MASTER, body });

      const error = expectError(reply, 400, param);
      expect(error.type).toBe('bad_request_error');
    });
  }

  it('refuses malformed JSON with 400', async () => {
    const reply = await call(app, 'POST', '/user/new', { auth: MASTER, body: '{"user_email": ' });

    expect(expectError(reply, 400).type).toBe('bad_request_error');
  });

  it('refuses a body over 1 MB with 413', async () => {
    const body = JSON.stringify({ user_alias: 'a'.repeat(1_100_000) });
    const reply = await call(app, 'POST', '/user/new', { auth: MASTER, body });

    expectError(reply, 413);
  });

  it('refuses prototype pollution keys', async () => {
    const body = '{"user_email":"p@example.com","__proto__":{"user_role":"proxy_admin"}}';
    const reply = await call(app, 'POST', '/user/new', { auth: MASTER, body });

    expectError(reply, 400);
  });

  it('refuses unknown query parameters and bad query values', async () => {
    expectError(
      await call(app, 'GET', '/user/list', { auth: MASTER, query: { admin: 1 } }),
      400,
      'admin',
    );
    expectError(
      await call(app, 'GET', '/user/list', { auth: MASTER, query: { page: 'two' } }),
      400,
      'page',
    );
    expectError(
      await call(app, 'GET', '/invitation/info', {
        auth: MASTER,
        query: { invitation_id: "1' OR 1=1" },
      }),
      400,
      'invitation_id',
    );
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const reply = await call(app, 'GET', '/no/such/route', { auth: MASTER });

    expect(expectError(reply, 404).type).toBe('not_found_error');
  });

  it('refuses missing credentials with 401 and a wrong key with 401', async () => {
    expect(expectError(await call(app, 'GET', '/user/list'), 401).type).toBe('auth_error');
    expectError(
      await call(app, 'GET', '/user/list', { auth: { bearer: 'sk-wrong-key-123456' } }),
      401,
    );
    expectError(await call(app, 'GET', '/user/list', { auth: { bearer: 'garbage' } }), 401);
    expectError(
      await call(app, 'GET', '/user/list', { headers: { authorization: 'Basic abc' } }),
      401,
    );
  });

  it('treats SQL in a search as text', async () => {
    const reply = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: { user_email: "%' OR '1'='1" },
    });

    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(0);
  });

  it('refuses login without fields, naming the missing one', async () => {
    expectError(await call(app, 'POST', '/v2/login', { body: { password: 'x' } }), 400, 'username');
    expectError(
      await call(app, 'POST', '/v2/login', { body: { username: 'a@b.c' } }),
      400,
      'password',
    );
  });
});
