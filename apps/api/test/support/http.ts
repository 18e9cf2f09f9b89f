import { randomBytes } from 'node:crypto';
import { Role } from '@gatehouse/domain';
import { MASTER_KEY, StartedApp } from './started-app';

/** How a test request proves who it is. */
export type Auth =
  { bearer: string } | { cookie: string; csrf?: string } | { header: string; value: string } | null;

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  auth?: Auth;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of JSON. */
  form?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

export const MASTER: Auth = { bearer: MASTER_KEY };

/** One real HTTP request to a started app; redirects are returned, not followed. */
export async function call<T = any>(
  app: StartedApp,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply<T>> {
  const url = new URL(path, app.baseUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) {
      url.searchParams.set(name, String(value));
    }
  }

  const headers: Record<string, string> = { ...authHeaders(options.auth), ...options.headers };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }

  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  const reply = {
    status: response.status,
    text,
    body: parse(text) as T,
    headers: response.headers,
  };
  rememberSecrets(app, options, reply);

  return reply;
}

/** Field names whose values are secrets, in requests and in answers. */
const SECRET_FIELDS: Record<string, string> = {
  password: 'password',
  new_password: 'password',
  current_password: 'password',
  key: 'key',
  token: 'session or onboarding token',
  invitation_link: 'invitation link',
  invitation_id: 'invitation link',
  invite_link: 'invitation link',
  reset_link: 'invitation link',
};

/** Tells the app which secrets went by, for the log scan when it closes. */
function rememberSecrets(app: StartedApp, options: RequestOptions, reply: Reply): void {
  for (const source of [options.body, options.form, options.query, reply.body]) {
    collect(app, source, 0);
  }
  for (const cookie of reply.headers.getSetCookie()) {
    const [name, value] = cookie.split(';')[0].split('=');
    if (name === 'gatehouse_session') {
      app.remember(value, 'session token');
    }
  }
  // An invitation's own id is its link's secret.
  const body = reply.body as { id?: unknown; expires_at?: unknown } | null;
  if (body && typeof body === 'object' && body.expires_at && typeof body.id === 'string') {
    app.remember(body.id, 'invitation link');
  }
}

function collect(app: StartedApp, value: unknown, depth: number): void {
  if (!value || typeof value !== 'object' || depth > 3) {
    return;
  }
  for (const [name, field] of Object.entries(value)) {
    const kind = SECRET_FIELDS[name];
    // A key's token (its SHA-256) is an identifier, not a secret.
    if (kind && typeof field === 'string' && !/^[0-9a-f]{64}$/.test(field)) {
      app.remember(field, kind);
    }
    collect(app, field, depth + 1);
  }
}

function authHeaders(auth: Auth | undefined): Record<string, string> {
  if (!auth) {
    return {};
  }
  if ('bearer' in auth) {
    return { authorization: `Bearer ${auth.bearer}` };
  }
  if ('cookie' in auth) {
    const headers: Record<string, string> = { cookie: `gatehouse_session=${auth.cookie}` };

    return auth.csrf ? { ...headers, 'x-xsrf-token': auth.csrf } : headers;
  }

  return { [auth.header]: auth.value };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The value of a cookie the response sets. */
export function cookieOf(reply: Reply, name: string): string | undefined {
  for (const line of reply.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [key, value] = pair.split('=');
    if (key.trim() === name) {
      return value;
    }
  }

  return undefined;
}

/** A user who has been through the whole onboarding: invited, password set, signed in. */
export interface Member {
  userId: string;
  email: string;
  password: string;
  role: Role;
  /** The key created with the user. */
  key: string;
  keyToken: string;
  sessionToken: string;
  csrf: string;
  session: Auth;
  cookie: Auth;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
}

/** Adds a user with the master key, invites them and claims the invitation as they would. */
export async function onboard(app: StartedApp, role: Role): Promise<Member> {
  const email = uniqueEmail(role.replace(/_/g, '-'));
  const password = `correct horse ${randomBytes(6).toString('hex')} staple`;

  const created = await call(app, 'POST', '/user/new', {
    auth: MASTER,
    body: { user_email: email, user_role: role },
  });
  expect(created.status).toBe(200);

  const invitation = await call(app, 'POST', '/invitation/new', {
    auth: MASTER,
    body: { user_id: created.body.user_id },
  });
  expect(invitation.status).toBe(200);

  const token = await call(app, 'GET', '/onboarding/get_token', {
    query: { invite_link: invitation.body.id },
  });
  expect(token.status).toBe(200);

  const claimed = await call(app, 'POST', '/onboarding/claim_token', {
    auth: { bearer: token.body.token },
    body: { invitation_link: invitation.body.id, user_id: created.body.user_id, password },
  });
  expect(claimed.status).toBe(200);

  const sessionToken = claimed.body.token as string;
  const csrf = cookieOf(claimed, 'XSRF-TOKEN') as string;

  return {
    userId: created.body.user_id,
    email,
    password,
    role,
    key: created.body.key,
    keyToken: created.body.token,
    sessionToken,
    csrf,
    session: { bearer: sessionToken },
    cookie: { cookie: sessionToken, csrf },
  };
}

/** Asserts the contract's error shape and returns the error for further checks. */
export function expectError(
  reply: Reply,
  status: number,
  param?: string | null,
): { message: string; type: string; param: string | null; code: string } {
  expect({ status: reply.status, body: reply.body }).toMatchObject({
    status,
    body: { error: { code: String(status) } },
  });

  const error = reply.body.error;
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.type).toBe('string');
  expect(error.message).not.toMatch(/\n\s+at /);
  if (param !== undefined) {
    expect(error.param).toBe(param);
  }

  return error;
}
