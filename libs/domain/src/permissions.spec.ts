import { ACTIONS, can, PERMISSIONS, scopeOf } from './permissions';
import { ROLES } from './roles';

describe('the permission matrix', () => {
  it('gives every action an answer for every role', () => {
    for (const action of ACTIONS) {
      expect(Object.keys(PERMISSIONS[action]).sort()).toEqual([...ROLES].sort());
    }
  });

  it('lets only proxy_admin add, update and delete users and create invitations', () => {
    for (const role of ROLES) {
      expect(can(role, 'users.write')).toBe(role === 'proxy_admin');
      expect(can(role, 'invitations.write')).toBe(role === 'proxy_admin');
    }
  });

  it('lets both admin roles view all users and nobody else', () => {
    expect(scopeOf('proxy_admin', 'users.list')).toBe('all');
    expect(scopeOf('proxy_admin_viewer', 'users.list')).toBe('all');
    expect(scopeOf('internal_user', 'users.list')).toBeNull();
    expect(scopeOf('internal_user_viewer', 'users.list')).toBeNull();
  });

  it('scopes keys: any for proxy_admin, own for internal_user, none for viewers', () => {
    expect(scopeOf('proxy_admin', 'keys.write')).toBe('all');
    expect(scopeOf('internal_user', 'keys.write')).toBe('own');
    expect(scopeOf('proxy_admin_viewer', 'keys.write')).toBeNull();
    expect(scopeOf('internal_user_viewer', 'keys.write')).toBeNull();
  });

  it('shows keys and spend to everyone, own only for the internal roles', () => {
    for (const action of ['keys.read', 'spend.read'] as const) {
      expect(scopeOf('proxy_admin', action)).toBe('all');
      expect(scopeOf('proxy_admin_viewer', action)).toBe('all');
      expect(scopeOf('internal_user', action)).toBe('own');
      expect(scopeOf('internal_user_viewer', action)).toBe('own');
    }
  });

  it('keeps blocking keys to proxy_admin, stricter than LiteLLM', () => {
    expect(ROLES.filter((role) => can(role, 'keys.block'))).toEqual(['proxy_admin']);
  });

  it('refuses everything to a caller without a role', () => {
    for (const action of ACTIONS) {
      expect(scopeOf(null, action)).toBeNull();
    }
  });
});
