import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { testProviders } from '../../testing/fixtures';
import { UsersApi } from './users-api';

describe('UsersApi', () => {
  let api: UsersApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    api = TestBed.inject(UsersApi);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('lists users by page, with the email search only when given', () => {
    api.list({ page: 3, pageSize: 50, email: '  ana@ ' }).subscribe();
    api.list({ page: 1, pageSize: 25, email: '' }).subscribe();

    const [searched, plain] = backend.match((r) => r.url === '/user/list');
    expect(searched.request.params.get('page')).toBe('3');
    expect(searched.request.params.get('page_size')).toBe('50');
    expect(searched.request.params.get('user_email')).toBe('ana@');
    expect(plain.request.params.has('user_email')).toBe(false);
    searched.flush({ users: [], total: 0, page: 3, page_size: 50, total_pages: 0 });
    plain.flush({ users: [], total: 0, page: 1, page_size: 25, total_pages: 0 });
  });

  it('adds a user without an auto-created key', () => {
    api.create({ user_email: 'ana@example.com', user_role: 'internal_user' }).subscribe();

    const req = backend.expectOne('/user/new');
    expect(req.request.body).toEqual({
      user_email: 'ana@example.com',
      user_role: 'internal_user',
      auto_create_key: false,
    });
    req.flush({});
  });

  it('creates invitations, updates roles and deletes users', () => {
    api.invite('u1').subscribe();
    api.update({ user_id: 'u1', user_role: 'proxy_admin_viewer' }).subscribe();
    api.delete(['u1']).subscribe();

    const invite = backend.expectOne('/invitation/new');
    expect(invite.request.body).toEqual({ user_id: 'u1' });
    const update = backend.expectOne('/user/update');
    expect(update.request.body).toEqual({ user_id: 'u1', user_role: 'proxy_admin_viewer' });
    const remove = backend.expectOne('/user/delete');
    expect(remove.request.body).toEqual({ user_ids: ['u1'] });
    invite.flush({});
    update.flush({});
    remove.flush({ deleted_users: 1 });
  });

  it('asks the API to email the invitation only when told to', () => {
    api.create({ user_email: 'ana@example.com', send_invite_email: true }).subscribe();
    api.invite('u1', true).subscribe();
    api.invitation('inv-1').subscribe();

    expect(backend.expectOne('/user/new').request.body).toEqual({
      user_email: 'ana@example.com',
      send_invite_email: true,
      auto_create_key: false,
    });
    const invite = backend.expectOne('/invitation/new');
    expect(invite.request.body).toEqual({ user_id: 'u1', send_invite_email: true });
    const info = backend.expectOne((r) => r.url === '/invitation/info');
    expect(info.request.method).toBe('GET');
    expect(info.request.params.get('invitation_id')).toBe('inv-1');
  });

  it('blocks, unblocks, resets passwords and ends sessions by user id', () => {
    api.setBlocked('u1', true).subscribe();
    api.setBlocked('u1', false).subscribe();
    api.resetPassword('u1').subscribe();
    api.endSessions('u1').subscribe();

    for (const url of ['/user/block', '/user/unblock', '/user/password/reset']) {
      const req = backend.expectOne(url);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual({ user_id: 'u1' });
    }
    expect(backend.expectOne('/user/sessions/end_all').request.body).toEqual({ user_id: 'u1' });
  });
});
