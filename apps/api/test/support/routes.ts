import { randomUUID } from 'node:crypto';
import { Action } from '@gatehouse/domain';
import { call, MASTER, RequestOptions, uniqueEmail } from './http';
import { StartedApp } from './started-app';

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
  path: string;
  access: Action | 'public';
  /** Builds a valid request for this actor; may create what it needs with the master key. */
  request: (app: StartedApp, actor: Actor) => Promise<RequestOptions>;
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

const none = async (): Promise<RequestOptions> => ({});

export const FOUNDATION_ROUTES: RouteCase[] = [
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
  { method: 'GET', path: '/sso/get/logout_url', access: 'public', request: none },
  { method: 'GET', path: '/health/liveliness', access: 'public', request: none },
  { method: 'GET', path: '/health/liveness', access: 'public', request: none },
  { method: 'GET', path: '/health/readiness', access: 'public', request: none },
  { method: 'GET', path: '/docs-json', access: 'public', request: none },
];
