import { randomUUID } from 'node:crypto';
import { Action } from '@gatehouse/domain';
import { call, MASTER, RequestOptions, uniqueEmail } from './http';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StartedApp } from './started-app';

/** Whom a request in the access table is made as. */
export interface Actor {
  /** Null for anonymous and the master key. */
  userId: string | null;
}

/**
 * Every route of the API with the permission it declares and a request that succeeds
 * for a caller allowed to make it. The access suite calls each one as every principal
 * and expects exactly what the matrix in `@gatehouse/domain` says.
 */
export interface RouteCase {
  method: 'GET' | 'POST';
  /** As the OpenAPI document names it, with `{param}` placeholders. */
  path: string;
  /** A matrix action, `public`, or `gateway` (any virtual key or the master key). */
  access: Action | 'public' | 'gateway';
  /** Builds a valid request for this actor; may create what it needs with the master key. */
  request: (app: StartedApp, actor: Actor) => Promise<RouteRequest>;
}

export interface RouteRequest extends RequestOptions {
  /** The concrete path, for routes with parameters. */
  path?: string;
}

async function newUser(app: StartedApp): Promise<string> {
  const reply = await call(app, 'POST', '/user/new', {
    auth: MASTER,
    body: { user_email: uniqueEmail('target'), auto_create_key: false },
  });

  return reply.body.user_id;
}

async function newInvitation(app: StartedApp): Promise<string> {
  const reply = await call(app, 'POST', '/invitation/new', {
    auth: MASTER,
    body: { user_id: await newUser(app) },
  });

  return reply.body.id;
}

/** A key the actor owns (an ownerless one for the master key and anonymous callers). */
async function ownKey(app: StartedApp, actor: Actor): Promise<string> {
  const reply = await call(app, 'POST', '/key/generate', {
    auth: MASTER,
    body: actor.userId ? { user_id: actor.userId } : {},
  });

  return reply.body.key;
}

/** A session of its own, so that logging it out leaves the actor's session alone. */
async function adminSession(app: StartedApp): Promise<string> {
  const reply = await call(app, 'POST', '/v2/login', {
    body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });

  return reply.body.token;
}

const none = async (): Promise<RequestOptions> => ({});
const today = () => new Date().toISOString().slice(0, 10);

export const ROUTES: RouteCase[] = [
  {
    method: 'POST',
    path: '/user/new',
    access: 'users.write',
    request: async () => ({ body: { user_email: uniqueEmail('new'), auto_create_key: false } }),
  },
  {
    method: 'GET',
    path: '/user/info',
    access: 'users.read',
    request: async (app, actor) => ({ query: { user_id: actor.userId ?? (await newUser(app)) } }),
  },
  { method: 'GET', path: '/user/list', access: 'users.list', request: none },
  {
    method: 'POST',
    path: '/user/update',
    access: 'users.write',
    request: async (app) => ({ body: { user_id: await newUser(app), user_alias: 'renamed' } }),
  },
  {
    method: 'POST',
    path: '/user/delete',
    access: 'users.write',
    request: async (app) => ({ body: { user_ids: [await newUser(app)] } }),
  },
  {
    method: 'POST',
    path: '/invitation/new',
    access: 'invitations.write',
    request: async (app) => ({ body: { user_id: await newUser(app) } }),
  },
  {
    method: 'GET',
    path: '/invitation/info',
    access: 'invitations.read',
    request: async (app) => ({ query: { invitation_id: await newInvitation(app) } }),
  },
  {
    method: 'POST',
    path: '/invitation/update',
    access: 'invitations.write',
    request: async (app) => ({
      body: { invitation_id: await newInvitation(app), is_accepted: true },
    }),
  },
  {
    method: 'POST',
    path: '/invitation/delete',
    access: 'invitations.write',
    request: async (app) => ({ body: { invitation_id: await newInvitation(app) } }),
  },
  {
    method: 'GET',
    path: '/onboarding/get_token',
    access: 'public',
    request: async (app) => ({ query: { invite_link: await newInvitation(app) } }),
  },
  {
    method: 'POST',
    path: '/onboarding/claim_token',
    access: 'public',
    request: async (app) => {
      const id = await newInvitation(app);
      const token = await call(app, 'GET', '/onboarding/get_token', {
        query: { invite_link: id },
      });

      return {
        headers: { authorization: `Bearer ${token.body.token}` },
        body: {
          invitation_link: id,
          user_id: token.body.user_id,
          password: `a fresh passphrase ${randomUUID().slice(0, 8)}`,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/login',
    access: 'public',
    request: async () => ({ form: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD } }),
  },
  {
    method: 'POST',
    path: '/v2/login',
    access: 'public',
    request: async () => ({ body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD } }),
  },
  {
    method: 'POST',
    path: '/logout',
    access: 'public',
    request: async (app) => ({
      headers: { authorization: `Bearer ${await adminSession(app)}` },
    }),
  },
  {
    method: 'GET',
    path: '/sso/logout',
    access: 'public',
    request: async (app) => ({
      headers: { authorization: `Bearer ${await adminSession(app)}` },
    }),
  },
  { method: 'GET', path: '/sso/get/logout_url', access: 'public', request: none },
  {
    method: 'POST',
    path: '/key/generate',
    access: 'keys.write',
    request: async () => ({ body: {} }),
  },
  {
    method: 'GET',
    path: '/key/info',
    access: 'keys.read',
    request: async (app, actor) => ({ query: { key: await ownKey(app, actor) } }),
  },
  { method: 'GET', path: '/key/list', access: 'keys.read', request: none },
  {
    method: 'POST',
    path: '/key/update',
    access: 'keys.write',
    request: async (app, actor) => ({
      body: { key: await ownKey(app, actor), key_alias: 'updated' },
    }),
  },
  {
    method: 'POST',
    path: '/key/delete',
    access: 'keys.write',
    request: async (app, actor) => ({ body: { keys: [await ownKey(app, actor)] } }),
  },
  {
    method: 'POST',
    path: '/key/regenerate',
    access: 'keys.write',
    request: async (app, actor) => ({ body: { key: await ownKey(app, actor) } }),
  },
  {
    method: 'POST',
    path: '/key/{key}/regenerate',
    access: 'keys.write',
    request: async (app, actor) => ({
      path: `/key/${await ownKey(app, actor)}/regenerate`,
      body: {},
    }),
  },
  {
    method: 'POST',
    path: '/key/block',
    access: 'keys.block',
    request: async (app, actor) => ({ body: { key: await ownKey(app, actor) } }),
  },
  {
    method: 'POST',
    path: '/key/unblock',
    access: 'keys.block',
    request: async (app, actor) => ({ body: { key: await ownKey(app, actor) } }),
  },
  {
    method: 'POST',
    path: '/user/block',
    access: 'users.write',
    request: async (app) => ({ body: { user_id: await newUser(app) } }),
  },
  {
    method: 'POST',
    path: '/user/unblock',
    access: 'users.write',
    request: async (app) => ({ body: { user_id: await newUser(app) } }),
  },
  {
    method: 'POST',
    path: '/user/password/reset',
    access: 'users.write',
    request: async (app) => ({ body: { user_id: await newUser(app) } }),
  },
  {
    method: 'POST',
    path: '/user/sessions/end_all',
    access: 'users.write',
    request: async (app) => ({ body: { user_id: await newUser(app) } }),
  },
  { method: 'GET', path: '/user/sessions', access: 'account.use', request: none },
  { method: 'GET', path: '/audit', access: 'audit.read', request: none },
  { method: 'GET', path: '/spend/logs', access: 'spend.read', request: none },
  {
    method: 'GET',
    path: '/user/daily/activity',
    access: 'spend.read',
    request: async () => ({ query: { start_date: today(), end_date: today() } }),
  },
  { method: 'GET', path: '/global/spend', access: 'spend.global', request: none },
  { method: 'GET', path: '/global/spend/keys', access: 'spend.global', request: none },
  { method: 'GET', path: '/metrics', access: 'spend.global', request: none },
  ...(['/chat/completions', '/v1/chat/completions'] as const).map((path): RouteCase => ({
    method: 'POST',
    path,
    access: 'gateway',
    request: async () => ({
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    }),
  })),
  ...(['/embeddings', '/v1/embeddings'] as const).map((path): RouteCase => ({
    method: 'POST',
    path,
    access: 'gateway',
    request: async () => ({ body: { model: 'text-embedding-3-small', input: 'hi' } }),
  })),
  { method: 'GET', path: '/models', access: 'gateway', request: none },
  { method: 'GET', path: '/v1/models', access: 'gateway', request: none },
  { method: 'GET', path: '/health/liveliness', access: 'public', request: none },
  { method: 'GET', path: '/health/liveness', access: 'public', request: none },
  { method: 'GET', path: '/health/readiness', access: 'public', request: none },
  { method: 'GET', path: '/docs-json', access: 'public', request: none },
];
