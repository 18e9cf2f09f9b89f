import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config';
import { REPO } from './support/started-app';

/**
 * The deployment files, checked without a container engine: docker-compose.yml as
 * docker-compose 1.29 resolves it, the Dockerfile's runtime stage read as text, and
 * .env.example against the variables the app reads, so that none of them drifts.
 */
describe('deployment files', () => {
  it('compose runs postgres, the api once it is healthy, and redis for scaling', () => {
    const { project, config } = composeConfig();
    const { db, api, redis } = config.services;

    expect(Object.keys(config.services).sort()).toEqual(['api', 'db', 'redis']);

    expect(db.image).toMatch(/^postgres:16\b/);
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    const [volume, mountPoint] = db.volumes[0].split(':');
    expect(Object.keys(config.volumes)).toContain(volume);
    expect(mountPoint).toBe('/var/lib/postgresql/data');
    expect(db.ports).toBeUndefined();

    expect(api.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(api.build.context).toBe(project);
    expect(api.build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
    expect(api.ports).toEqual([{ target: 4000, published: 4000 }]);
    expect(api.environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@db:5432\/\w+$/);
    // env_file was read: 1.29 writes its variables into environment.
    expect(api.environment).toHaveProperty('PROXY_MASTER_KEY');
    expect(api.healthcheck.test.join(' ')).toMatch(/\/health\/liveliness/);
    // Docker kills the process after stop_grace_period; the app's own deadline must be earlier.
    expect(seconds(api.stop_grace_period) * 1000).toBeGreaterThan(loadConfig({}).shutdownTimeoutMs);

    expect(redis.image).toMatch(/^redis:7\b/);
    expect(redis.profiles).toEqual(['scale']);
  });

  it('lets several api instances share the host by publishing no fixed host port', () => {
    const { config } = composeConfig({ GATEHOUSE_PUBLISH: '4000' });

    expect(config.services.api.ports).toEqual([{ target: 4000 }]);
  });

  it('builds an image that runs unprivileged, checks its liveness and serves the console', () => {
    const stages = dockerfileStages(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
    const runtime = stages[stages.length - 1];
    const only = (name: string) => runtime.filter((line) => line.name === name).map((l) => l.args);

    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(only('FROM')[0]).toMatch(/^node:20[.-]/);

    const user = only('USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);

    // Exec form or nothing: Docker treats JSON it cannot parse as a shell command.
    const healthcheck = only('HEALTHCHECK')[0];
    const probe = JSON.parse(healthcheck.replace(/^.*?\bCMD\s+/, '')) as string[];
    expect(probe[0]).toBe('node');
    expect(probe.join(' ')).toMatch(/http:\/\/127\.0\.0\.1:.*\/health\/liveliness/);

    expect(JSON.parse(only('CMD')[0])).toEqual(['node', 'dist/api/main.js']);
    expect(only('EXPOSE')).toEqual(['4000']);
    expect(only('ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    expect(only('RUN').join(' ')).toMatch(/npm ci --omit=dev/);
    // The app finds the console relative to its working folder.
    const consoleDir = loadConfig({}).consoleDir;
    expect(only('COPY')).toContain(`--from=build /app/${consoleDir} ${consoleDir}`);
    expect(only('WORKDIR')).toEqual(['/app']);

    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.env']));
  });

  it('documents in .env.example exactly the variables the app and compose read', () => {
    const source = readFileSync(join(REPO, 'apps/api/src/config/app-config.ts'), 'utf8');
    const appReads = new Set(
      [
        ...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g),
        ...source.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g),
        ...source.matchAll(/\benv, '([A-Z][A-Z0-9_]*)'/g),
      ].map((match) => match[1]),
    );
    const compose = readFileSync(join(REPO, 'docker-compose.yml'), 'utf8');
    const composeReads = new Set(
      [...compose.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]),
    );
    const example = readFileSync(join(REPO, '.env.example'), 'utf8');
    const documented = new Set(
      [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]),
    );

    // The scan of the source must not go blind: whatever loadConfig really reads, it found.
    expect([...readsOf(loadConfig)].filter((name) => !appReads.has(name))).toEqual([]);
    expect(appReads.has('PROXY_MASTER_KEY') && appReads.has('SMTP_PORT')).toBe(true);

    expect([...appReads].filter((name) => !documented.has(name))).toEqual([]);
    expect([...composeReads].filter((name) => !documented.has(name))).toEqual([]);
    expect(
      [...documented].filter((name) => !appReads.has(name) && !composeReads.has(name)),
    ).toEqual([]);
  });
});

interface ComposeService {
  image?: string;
  build: { context: string; dockerfile?: string };
  depends_on: Record<string, { condition: string }>;
  environment: Record<string, string>;
  ports?: Array<{ target: number; published?: number }>;
  volumes: string[];
  healthcheck: { test: string[] };
  profiles?: string[];
  stop_grace_period: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/**
 * `docker-compose config` on the repository's compose file, parsed. A clean clone has no
 * .env, which env_file requires: .env.example stands in for it, in a project folder of its
 * own so that a developer's real .env is neither read nor printed. Nothing of the caller's
 * environment reaches compose but PATH and `env`, so the defaults are what is checked.
 */
function composeConfig(env: Record<string, string> = {}): { project: string; config: ComposeFile } {
  const project = mkdtempSync(join(tmpdir(), 'gatehouse-compose-'));
  try {
    copyFileSync(join(REPO, '.env.example'), join(project, '.env'));

    const args = ['-f', join(REPO, 'docker-compose.yml'), '--project-directory', project, 'config'];
    const result = spawnSync('docker-compose', args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error(
        'docker-compose is not installed; install it with ' +
          '`apt-get install -y --no-install-recommends docker-compose` (.ci/run does)',
      );
    }

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });

    return { project, config: parse(result.stdout) as ComposeFile };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

interface Instruction {
  name: string;
  args: string;
}

/** The instructions of each stage, with continued lines joined and comments left out. */
function dockerfileStages(text: string): Instruction[][] {
  const defaults = new Map<string, string>();
  const stages: Instruction[][] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  for (const line of lines) {
    const [, name, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const args = rest.replace(/\s+/g, ' ');
    if (name === 'ARG' && stages.length === 0) {
      const [key, value = ''] = args.split('=');
      defaults.set(key, value);
    } else if (name === 'FROM') {
      const image = args.replace(/\$\{(\w+)\}/g, (_, key: string) => defaults.get(key) ?? '');
      stages.push([{ name, args: image }]);
    } else {
      stages[stages.length - 1].push({ name, args });
    }
  }

  return stages;
}

/** The names a function reads from the environment it is given, with SMTP switched on. */
function readsOf(load: typeof loadConfig): Set<string> {
  const names = new Set<string>();
  const values: Record<string, string> = {
    SMTP_HOST: 'smtp.example.com',
    SMTP_SENDER_EMAIL: 'gatehouse@example.com',
  };
  const env = new Proxy(values, {
    get: (target, name) => {
      names.add(String(name));

      return target[String(name)];
    },
  });

  load(env);

  return names;
}

function seconds(duration: string): number {
  const match = /^(\d+)s$/.exec(duration);
  if (!match) {
    throw new Error(`stop_grace_period ${duration} is not in seconds`);
  }

  return Number(match[1]);
}
