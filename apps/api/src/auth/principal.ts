import { Role, Scope } from '@gatehouse/domain';

/**
 * Who is calling, resolved once per request by the access guard:
 * the master key, a console session, or a virtual key acting for its owner.
 */
export interface Principal {
  kind: 'master_key' | 'session' | 'virtual_key';
  /** The user acting; null for the master key and for keys that belong to no user. */
  userId: string | null;
  /** The role the request acts with; a key never has more than its owner's. */
  role: Role | null;
  sessionId?: string;
  /** The calling key's SHA-256 token, for a virtual key. */
  keyToken?: string;
}

/** A principal with the reach of the action its handler declared. */
export interface Caller extends Principal {
  scope: Exclude<Scope, null>;
}

/** How a caller is named in `created_by` and `updated_by` columns and in logs. */
export function actorOf(principal: Principal): string {
  return principal.userId ?? (principal.kind === 'master_key' ? 'master_key' : 'unknown');
}
