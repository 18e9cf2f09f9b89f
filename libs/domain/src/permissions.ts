import { Role } from './roles';

/**
 * How far an allowed action reaches: `all` rows, or only the caller's `own` rows.
 * `null` means the action is refused.
 */
export type Scope = 'all' | 'own' | null;

/**
 * The one permission matrix of Gatehouse (action x role). The API's global guard and the
 * console both read it; a handler that names no action is refused.
 */
export const PERMISSIONS = {
  /** Sign in to the console, read and manage one's own account and sessions. */
  'account.use': row('own', 'own', 'own', 'own'),
  /** Add, update and delete internal users. */
  'users.write': row('all', null, null, null),
  /** Read user records: admins anyone, others themselves. */
  'users.read': row('all', 'all', 'own', 'own'),
  /** List every user. */
  'users.list': row('all', 'all', null, null),
  /** Create, change and delete invitation links. */
  'invitations.write': row('all', null, null, null),
  /** Read invitation links. */
  'invitations.read': row('all', 'all', null, null),
  /** Create, update, regenerate and delete keys. */
  'keys.write': row('all', null, 'own', null),
  /** Read keys (never their secrets). */
  'keys.read': row('all', 'all', 'own', 'own'),
  /** Block and unblock keys: stricter than LiteLLM, admin only. */
  'keys.block': row('all', null, null, null),
  /** Read spend logs, daily activity and totals. */
  'spend.read': row('all', 'all', 'own', 'own'),
  /** Proxy-wide spend figures. */
  'spend.global': row('all', 'all', null, null),
  /** Read the audit log. */
  'audit.read': row('all', 'all', null, null),
} as const satisfies Record<string, Record<Role, Scope>>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** What `role` may do with `action`; a missing role (an ownerless key) may do nothing. */
export function scopeOf(role: Role | null | undefined, action: Action): Scope {
  if (!role) {
    return null;
  }

  return PERMISSIONS[action][role];
}

export function can(role: Role | null | undefined, action: Action): boolean {
  return scopeOf(role, action) !== null;
}

function row(
  proxyAdmin: Scope,
  proxyAdminViewer: Scope,
  internalUser: Scope,
  internalUserViewer: Scope,
): Record<Role, Scope> {
  return {
    proxy_admin: proxyAdmin,
    proxy_admin_viewer: proxyAdminViewer,
    internal_user: internalUser,
    internal_user_viewer: internalUserViewer,
  };
}
