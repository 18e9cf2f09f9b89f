/** The four roles of Gatehouse, from most to least privileged. */
export const ROLES = [
  'proxy_admin',
  'proxy_admin_viewer',
  'internal_user',
  'internal_user_viewer',
] as const;

export type Role = (typeof ROLES)[number];

/** The role a new user gets when none is given: the least privileged one. */
export const DEFAULT_ROLE: Role = 'internal_user_viewer';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Admin roles see every user's keys and spend; the others see only their own. */
export function isAdminRole(role: Role | null | undefined): boolean {
  return role === 'proxy_admin' || role === 'proxy_admin_viewer';
}
