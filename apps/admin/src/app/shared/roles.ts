import { ROLES, Role } from '@gatehouse/domain';

/** How each role reads in the console. */
export const ROLE_LABELS: Record<Role, string> = {
  proxy_admin: 'Admin',
  proxy_admin_viewer: 'Admin viewer',
  internal_user: 'Internal user',
  internal_user_viewer: 'Internal viewer',
};

/** The roles with their labels, most privileged first, for selects. */
export const ROLE_OPTIONS = ROLES.map((role) => ({ role, label: ROLE_LABELS[role] }));
