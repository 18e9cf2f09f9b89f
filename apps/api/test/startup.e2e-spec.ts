import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { call, expectError, MASTER } from './support/http';
import { ADMIN_EMAIL, ADMIN_PASSWORD, REPO, StartedApp } from './support/started-app';

describe('starting Gatehouse', () => {
  it('creates the first admin, keeps data across a restart and serves the docs', async () => {
    const app = await StartedApp.start();
    try {
      const login = await call(app, 'POST', '/v2/login', {
        body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      });
      expect(login.status).toBe(200);
      const me = await call(app, 'GET', '/user/info', { auth: { bearer: login.body.token } });
      expect(me.body.user_info.user_role).toBe('proxy_admin');

      const created = await call(app, 'POST', '/user/new', {
        auth: MASTER,
        body: { user_email: 'survivor@example.com' },
      });

      await app.stop();
      await (app as unknown as { launch(): Promise<void> }).launch();

      const after = await call(app, 'GET', '/user/info', {
        auth: MASTER,
        query: { user_id: created.body.user_id },
      });
      expect(after.status).toBe(200);
      // The session survives the restart too: it lives in the database.
      expect(
        (await call(app, 'GET', '/user/info', { auth: { bearer: login.body.token } })).status,
      ).toBe(200);

      const docs = await call(app, 'GET', '/docs-json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/user/new',
          '/invitation/new',
          '/onboarding/claim_token',
          '/v2/login',
        ]),
      );
      expect((await call(app, 'GET', '/docs')).status).toBeLessThan(400);
    } finally {
      await app.close();
    }
  });

  it('generates and prints the admin password and the master key when none is set', async () => {
    const app = await StartedApp.start({ env: { UI_PASSWORD: '', PROXY_MASTER_KEY: '' } });
    try {
      const output = app.logs.join('');
      const password = /Password:\s+(\S+)\s+\(generated now/.exec(output)?.[1];
      const masterKey = /Master key:\s+(sk-\S+)/.exec(output)?.[1];
      expect(password).toBeDefined();
      expect(masterKey).toBeDefined();

      const login = await call(app, 'POST', '/v2/login', {
        body: { username: ADMIN_EMAIL, password },
      });
      expect(login.status).toBe(200);
      const list = await call(app, 'GET', '/user/list', { auth: { bearer: masterKey as string } });
      expect(list.status).toBe(200);
      // Printed once on purpose, on the terminal at first start: not a leak.
      app.secrets.delete(password as string);
      app.secrets.delete(masterKey as string);
    } finally {
      await app.close();
    }
  });

  it('refuses to start in production without a master key, naming the variable', () => {
    const result = spawnSync(process.execPath, [join(REPO, 'dist/api/main.js')], {
      env: { ...process.env, NODE_ENV: 'production', PROXY_MASTER_KEY: '', LITELLM_MASTER_KEY: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PROXY_MASTER_KEY is required when NODE_ENV=production/);
  });

  it('refuses a malformed master key', () => {
    const result = spawnSync(process.execPath, [join(REPO, 'dist/api/main.js')], {
      env: { ...process.env, PROXY_MASTER_KEY: 'master' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PROXY_MASTER_KEY must start with "sk-"/);
  });

  it('answers liveness without the database and readiness with it', async () => {
    const app = await StartedApp.start();
    try {
      for (const path of ['/health/liveliness', '/health/liveness']) {
        const alive = await call(app, 'GET', path);
        expect(alive.status).toBe(200);
        expect(alive.headers.get('content-type')).toMatch(/^application\/json/);
        expect(alive.body).toBe("I'm alive!");
      }
      expect((await call(app, 'GET', '/health/readiness')).body).toEqual({
        status: 'healthy',
        db: 'connected',
      });
      expectError(await call(app, 'GET', '/health/other'), 404);
    } finally {
      await app.close();
    }
  });
});
