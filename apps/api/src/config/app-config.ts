import { randomBytes } from 'node:crypto';
import { isDuration, parseDuration, addDuration } from '@gatehouse/domain';
import { loadModelList, ModelDeployment } from './model-list';

/**
 * The typed, validated settings of Gatehouse. Built once from the environment by
 * `loadConfig`; nothing else in the API reads `process.env`.
 */
export class AppConfig {
  readonly production!: boolean;
  readonly port!: number;
  readonly host!: string;
  /** A PostgreSQL server, or null to start the embedded PGlite in `dataDir`. */
  readonly databaseUrl!: string | null;
  readonly dataDir!: string;
  readonly masterKey!: string;
  /** True when no master key was configured and one was made up for this run. */
  readonly masterKeyGenerated!: boolean;
  readonly baseUrl!: string;
  readonly logoutUrl!: string | null;
  readonly adminEmail!: string;
  /** The first admin's password; null means generate one when the admin is created. */
  readonly adminPassword!: string | null;
  readonly sessionIdleMs!: number;
  readonly sessionAbsoluteMs!: number;
  readonly logLevel!: string;
  /** Where the built console lives; served under `/ui` when the folder exists. */
  readonly consoleDir!: string;
  /** Origins whose pages may call the API from a browser; empty keeps CORS closed. */
  readonly corsOrigins!: string[];
  /** The SMTP server that invitation and password-reset emails go through, if any. */
  readonly smtp!: SmtpSettings | null;
  /** The LiteLLM-style config file, when one is given. */
  readonly configFile!: string | null;
  /** The gateway's models, from `model_list` in the config file. */
  readonly models!: ModelDeployment[];
  /**
   * Redis shared by several instances (key cache invalidation, rate limits, budgets), or
   * null for a single instance that keeps all of that in its own memory.
   */
  readonly redisUrl!: string | null;
  /** Starts every Redis key and channel name, so that deployments can share one Redis. */
  readonly redisPrefix!: string;
  /** How long requests under way (streams too) may run on after SIGTERM. */
  readonly shutdownTimeoutMs!: number;

  /**
   * Where a redirect to one of our own pages points: always on the base URL, never on the
   * Host header a client sent. Deployments reached under another name set PROXY_BASE_URL.
   */
  redirectTo(path: string): string {
    return `${this.baseUrl}${path}`;
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  sender: string;
  /** Require TLS (STARTTLS, or TLS from the start on port 465). */
  tls: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks every setting, and reports all the wrong ones at once. */
export function loadConfig(env: Env, options: { configFile?: string } = {}): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';

  const port = integer(env, 'PORT', 4000, problems);

  const databaseUrl = blankToNull(env.DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const configuredKey = blankToNull(env.PROXY_MASTER_KEY) ?? blankToNull(env.LITELLM_MASTER_KEY);
  if (configuredKey !== null && !/^sk-[\x21-\x7e]{8,}$/.test(configuredKey)) {
    problems.push('PROXY_MASTER_KEY must start with "sk-" and have at least 8 more characters');
  }
  if (configuredKey === null && production) {
    problems.push('PROXY_MASTER_KEY is required when NODE_ENV=production');
  }

  const baseUrl = trimSlash(blankToNull(env.PROXY_BASE_URL) ?? `http://localhost:${port}`);
  if (!isHttpUrl(baseUrl)) {
    problems.push('PROXY_BASE_URL must be an http:// or https:// URL');
  }

  const logoutUrl = blankToNull(env.PROXY_LOGOUT_URL);
  if (logoutUrl !== null && !isHttpUrl(logoutUrl)) {
    problems.push('PROXY_LOGOUT_URL must be an http:// or https:// URL');
  }

  const adminEmail = (blankToNull(env.UI_USERNAME) ?? 'admin@gatehouse.local').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    problems.push('UI_USERNAME must be an email address (it is the first admin login)');
  }

  const sessionIdleMs = durationMs(env, 'SESSION_IDLE_TIMEOUT', '30m', problems);
  const sessionAbsoluteMs = durationMs(env, 'SESSION_ABSOLUTE_TIMEOUT', '12h', problems);
  if (sessionIdleMs > sessionAbsoluteMs) {
    problems.push('SESSION_IDLE_TIMEOUT must not be longer than SESSION_ABSOLUTE_TIMEOUT');
  }

  const logLevel = (blankToNull(env.LOG_LEVEL) ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const smtp = smtpSettings(env, problems);

  const corsOrigins = (blankToNull(env.CORS_ORIGINS) ?? '')
    .split(',')
    .map((origin) => trimSlash(origin.trim()))
    .filter(Boolean);
  if (corsOrigins.some((origin) => !isHttpUrl(origin) || origin === '*')) {
    problems.push('CORS_ORIGINS must be a comma-separated list of http(s) origins (no "*")');
  }

  const redisUrl = blankToNull(env.REDIS_URL);
  if (redisUrl !== null && !isRedisUrl(redisUrl)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL such as redis://redis:6379/0');
  }

  const redisPrefix = blankToNull(env.REDIS_PREFIX) ?? 'gatehouse:';
  if (!/^[\w:.-]{1,64}$/.test(redisPrefix)) {
    problems.push('REDIS_PREFIX must be 1 to 64 letters, digits or _ : . -');
  }

  const shutdownTimeoutMs = durationMs(env, 'SHUTDOWN_TIMEOUT', '30s', problems);

  const configFile = blankToNull(options.configFile ?? env.CONFIG_FILE_PATH);
  let models: ModelDeployment[] = [];
  if (configFile) {
    try {
      models = loadModelList(configFile, env);
    } catch (error) {
      problems.push(`CONFIG_FILE_PATH: ${(error as Error).message}`);
    }
  }

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }

  return Object.assign(new AppConfig(), {
    production,
    port,
    host: blankToNull(env.HOST) ?? '0.0.0.0',
    databaseUrl,
    dataDir: blankToNull(env.GATEHOUSE_DATA_DIR) ?? 'data',
    masterKey: configuredKey ?? `sk-${randomBytes(24).toString('base64url')}`,
    masterKeyGenerated: configuredKey === null,
    baseUrl,
    logoutUrl,
    adminEmail,
    adminPassword: blankToNull(env.UI_PASSWORD),
    sessionIdleMs,
    sessionAbsoluteMs,
    logLevel,
    consoleDir: blankToNull(env.GATEHOUSE_CONSOLE_DIR) ?? 'dist/admin/browser',
    corsOrigins,
    smtp,
    configFile,
    models,
    redisUrl,
    redisPrefix,
    shutdownTimeoutMs,
  });
}

/** SMTP is on when SMTP_HOST is set; then the sender address is required too. */
function smtpSettings(env: Env, problems: string[]): SmtpSettings | null {
  const host = blankToNull(env.SMTP_HOST);
  if (!host) {
    return null;
  }

  const sender = blankToNull(env.SMTP_SENDER_EMAIL);
  if (!sender || !/^[^\s@]+@[^\s@]+$/.test(sender)) {
    problems.push('SMTP_SENDER_EMAIL must be an email address when SMTP_HOST is set');
  }

  const tls = (blankToNull(env.SMTP_TLS) ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(tls)) {
    problems.push('SMTP_TLS must be true or false');
  }

  return {
    host,
    port: integer(env, 'SMTP_PORT', 587, problems),
    username: blankToNull(env.SMTP_USERNAME),
    password: blankToNull(env.SMTP_PASSWORD),
    sender: sender ?? '',
    tls: tls === 'true' || tls === '1',
  };
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();

  return trimmed ? trimmed : null;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);

    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);

    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function integer(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = blankToNull(env[name]);
  if (raw === null) {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    problems.push(`${name} must be a whole number from 0 to 65535`);
  }

  return value;
}

function durationMs(env: Env, name: string, fallback: string, problems: string[]): number {
  const raw = blankToNull(env[name]) ?? fallback;
  if (!isDuration(raw) || parseDuration(raw)?.unit === 'mo') {
    problems.push(`${name} must be a duration such as 30m, 12h or 7d`);

    return 0;
  }

  const start = new Date(0);

  return addDuration(start, raw).getTime() - start.getTime();
}
