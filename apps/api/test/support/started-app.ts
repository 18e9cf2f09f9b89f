import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

export const REPO = resolve(__dirname, '../../../..');
export const MASTER_KEY = 'sk-gatehouse-test-master-key';
export const ADMIN_EMAIL = 'admin@gatehouse.test';
export const ADMIN_PASSWORD = 'long test passphrase for the console';

const MAIN = join(REPO, 'dist/api/main.js');
const CLI = join(REPO, 'dist/api/cli.js');
const SQL_SCRIPT = join(__dirname, 'pglite-sql.mjs');
const run = promisify(execFile);

export interface AppOptions {
  /** Extra environment for the process, on top of the test defaults. */
  env?: Record<string, string>;
  /** Changes the app's DATABASE_URL (on a server), for instance to go through a proxy. */
  databaseUrl?: (url: string) => string;
}

/**
 * The built API, started as its own process on a free port, exactly as `npm start` runs
 * it. With DATABASE_URL set (as in CI) each app gets a fresh schema on that server;
 * without it, the app starts its embedded PGlite in a fresh folder.
 */
export class StartedApp {
  readonly logs: string[] = [];
  private process: ChildProcess | null = null;
  private port = 0;

  private constructor(
    private readonly env: Record<string, string>,
    private readonly schema: string | null,
    private readonly dataDir: string | null,
    /** Every secret the tests have sent or been given, by value, with what it is. */
    readonly secrets = new Map<string, string>([[MASTER_KEY, 'master key']]),
    /** Set on a second instance: the data belongs to this first one. */
    private readonly first: StartedApp | null = null,
  ) {}

  static async start(options: AppOptions = {}): Promise<StartedApp> {
    const app = await StartedApp.prepare(options);
    try {
      await app.launch();
    } catch (error) {
      await app.close();
      throw error;
    }

    return app;
  }

  /**
   * Several instances launched at the same moment on one empty schema, as replicas of a
   * fresh deployment start: they race for the migrations and the first admin. The first
   * one owns the data. Needs a PostgreSQL server.
   */
  static async startTogether(count: number, options: AppOptions = {}): Promise<StartedApp[]> {
    const first = await StartedApp.prepare(options);
    if (!first.schema) {
      throw new Error('several instances need a PostgreSQL server (DATABASE_URL)');
    }

    const others = Array.from(
      { length: count - 1 },
      () => new StartedApp(first.env, first.schema, null, first.secrets, first),
    );
    const apps = [first, ...others];
    const launched = await Promise.allSettled(apps.map((app) => app.launch()));
    const failure = launched.find((result) => result.status === 'rejected');
    if (failure) {
      await Promise.all(others.map((app) => app.close()));
      await first.close();
      throw failure.reason;
    }

    return apps;
  }

  private static async prepare(options: AppOptions): Promise<StartedApp> {
    const serverUrl = process.env.DATABASE_URL;
    const schema = serverUrl ? `t_${randomBytes(6).toString('hex')}` : null;
    const dataDir = serverUrl ? null : mkdtempSync(join(tmpdir(), 'gatehouse-test-'));

    if (serverUrl && schema) {
      await withClient(serverUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
    }

    const env: Record<string, string> = {
      PROXY_MASTER_KEY: MASTER_KEY,
      UI_USERNAME: ADMIN_EMAIL,
      UI_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
      GATEHOUSE_CONSOLE_DIR: join(REPO, 'dist/admin/browser'),
      ...(serverUrl && schema
        ? { DATABASE_URL: (options.databaseUrl ?? same)(withSearchPath(serverUrl, schema)) }
        : { DATABASE_URL: '', GATEHOUSE_DATA_DIR: dataDir as string }),
      ...options.env,
    };

    return new StartedApp(env, schema, dataDir);
  }

  /**
   * A second instance of this app, as when several run behind a load balancer: the same
   * database schema and environment, its own process and port. Closing it leaves the data
   * to this one. Needs a PostgreSQL server (PGlite has one owner).
   */
  async startSibling(): Promise<StartedApp> {
    if (!this.schema) {
      throw new Error('a second instance needs a PostgreSQL server (DATABASE_URL)');
    }

    const sibling = new StartedApp(this.env, this.schema, null, this.secrets, this);
    try {
      await sibling.launch();
    } catch (error) {
      await sibling.close();
      throw error;
    }

    return sibling;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get embedded(): boolean {
    return this.schema === null;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /**
   * Runs SQL against the app's database, for setting up what the API cannot (an expired
   * invitation). PGlite serves one process at a time, so there the app is stopped around it.
   */
  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.schema) {
      const url = withSearchPath(process.env.DATABASE_URL as string, this.schema);

      return withClient(url, async (client) => (await client.query(text, params)).rows as T[]);
    }

    await this.stop();
    const { stdout } = await run(process.execPath, [
      SQL_SCRIPT,
      this.dataDir as string,
      text,
      JSON.stringify(params),
    ]);
    await this.launch();

    return JSON.parse(stdout) as T[];
  }

  /**
   * Records spend rows through the ledger the gateway uses, with the operator command
   * `cli.js spend:import`. On PGlite the app is stopped around it, as an operator would.
   */
  async importSpend(rows: object[]): Promise<{ imported: number; skipped: number }> {
    const file = join(tmpdir(), `gatehouse-spend-${randomBytes(4).toString('hex')}.jsonl`);
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n'));

    if (this.embedded) {
      await this.stop();
    }
    try {
      const { stdout } = await run(process.execPath, [CLI, 'spend:import', file], {
        cwd: REPO,
        env: { ...process.env, ...this.env },
      });

      return JSON.parse(stdout);
    } finally {
      rmSync(file, { force: true });
      if (this.embedded) {
        await this.launch();
      }
    }
  }

  /**
   * Sends SIGTERM and resolves with the exit code once the process has ended by itself
   * (null when a signal ended it), without the SIGKILL that `stop` sends after 10 s.
   */
  async terminate(): Promise<number | null> {
    const child = this.process;
    if (!child) {
      throw new Error('the app is not running');
    }

    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    const code = await exited;
    this.process = null;

    return code;
  }

  /** Stops the process (SIGTERM, as an orchestrator would) and keeps its data. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }

    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.process = null;
  }

  /** Notes a secret, so that finding it in the log fails the test run. */
  remember(value: unknown, kind: string): void {
    if (typeof value === 'string' && value.length >= 8) {
      this.secrets.set(value, kind);
    }
  }

  /** The kinds of the secrets that appear in what the app has printed. */
  leakedSecrets(): string[] {
    const output = this.logs.join('');

    return [...this.secrets].filter(([value]) => output.includes(value)).map(([, kind]) => kind);
  }

  /**
   * Stops the app for good, drops its data and keeps its log. Fails when the log holds any
   * key, password, session token or invitation link the tests have seen: every suite
   * checks the whole log of every app it starts.
   */
  async close(): Promise<void> {
    await this.stop();
    this.saveLog();
    const leaked = this.leakedSecrets();

    if (this.schema && !this.first) {
      await withClient(process.env.DATABASE_URL as string, (client) =>
        client.query(`DROP SCHEMA ${this.schema} CASCADE`),
      );
    }
    if (this.dataDir) {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
    if (leaked.length > 0) {
      throw new Error(`secrets in the app's log: ${[...new Set(leaked)].join(', ')}`);
    }
  }

  private async launch(): Promise<void> {
    this.port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: REPO,
      env: {
        ...process.env,
        // As a deployment would: links and redirects name the address the app is reached at.
        PROXY_BASE_URL: `http://127.0.0.1:${this.port}`,
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString('utf8')));

    await this.waitUntilReady(child);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;

    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`the app exited with ${child.exitCode}:\n${this.logs.join('')}`);
      }

      try {
        const response = await fetch(`${this.baseUrl}/health/readiness`);
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }

      await new Promise((done) => setTimeout(done, 100));
    }

    throw new Error(`the app did not become ready:\n${this.logs.join('')}`);
  }

  private saveLog(): void {
    const folder = join(REPO, 'test-results/logs');
    mkdirSync(folder, { recursive: true });
    const name = this.first ? `${this.schema}-${this.port}` : (this.schema ?? this.port);
    writeFileSync(join(folder, `${name}.log`), this.logs.join(''));
  }
}

const same = (url: string) => url;

function withSearchPath(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';

  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
