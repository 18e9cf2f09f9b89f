import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Role } from '@gatehouse/domain';

import {
  allByTestId,
  byTestId,
  makeGeneratedKey,
  makeKey,
  signInAs,
  testProviders,
  typeInto,
} from '../../testing/fixtures';
import { KeysPage } from './keys-page';

describe('KeysPage', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [KeysPage], providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
    document.body.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
  });

  /** Renders the page for `role` and answers its first calls. */
  async function render(role: Role, keys = [makeKey()]) {
    signInAs(role);
    const fixture = TestBed.createComponent(KeysPage);
    await fixture.whenStable();
    flushList(keys);
    backend
      .match((r) => r.url === '/user/list')
      .forEach((req) => req.flush(usersPage('internal_user-id', 'owner@example.com')));
    await fixture.whenStable();

    return fixture;
  }

  /** A `/user/list` answer naming one user. */
  function usersPage(userId: string, email: string) {
    const users = [{ user_id: userId, user_email: email, key_count: 1 }];

    return { users, total: 1, page: 1, page_size: 100, total_pages: 1 };
  }

  function flushList(keys = [makeKey()]): TestRequest {
    const req = backend.expectOne((r) => r.url === '/key/list');
    req.flush({ keys, total_count: keys.length, current_page: 1, total_pages: 1 });

    return req;
  }

  it('offers a viewer no Create button and no row actions', async () => {
    const fixture = await render('internal_user_viewer');

    expect(byTestId('create-key')).toBeNull();
    expect(byTestId('key-delete')).toBeNull();
    expect(allByTestId('key-row')).toHaveLength(1);
    expect(fixture.nativeElement.textContent).not.toContain('Owner');
  });

  it('lets an internal user create and delete own keys, without an owner column', async () => {
    await render('internal_user');

    expect(byTestId('create-key')).not.toBeNull();
    expect(byTestId('key-delete')).not.toBeNull();
    expect(byTestId('key-owner-cell')).toBeNull();
  });

  it('shows admins whose key each is, by email', async () => {
    await render('proxy_admin_viewer');

    expect(byTestId('key-owner-cell')?.textContent?.trim()).toBe('owner@example.com');
    expect(byTestId('create-key')).toBeNull();
  });

  it('asks for the owners the first page of users did not name, by id', async () => {
    signInAs('proxy_admin');
    const fixture = TestBed.createComponent(KeysPage);
    await fixture.whenStable();
    backend
      .expectOne((r) => r.url === '/user/list' && !r.params.has('user_ids'))
      .flush({ users: [], total: 0, page: 1, page_size: 100, total_pages: 0 });
    flushList([makeKey({ user_id: 'far-away' })]);
    await fixture.whenStable();

    const owners = backend.expectOne((r) => r.url === '/user/list' && r.params.has('user_ids'));
    expect(owners.request.params.get('user_ids')).toBe('far-away');
    owners.flush(usersPage('far-away', 'far@example.com'));
    await fixture.whenStable();

    expect(byTestId('key-owner-cell')?.textContent?.trim()).toBe('far@example.com');
  });

  it('shows alias, masked name and status of each key', async () => {
    await render('internal_user', [
      makeKey({ key_alias: 'ci', key_name: 'sk-...wxyz' }),
      makeKey({ token: 'b'.repeat(64), key_alias: 'old', expires: '2020-01-01T00:00:00Z' }),
      makeKey({ token: 'c'.repeat(64), key_alias: 'stopped', blocked: true }),
    ]);

    expect(allByTestId('key-name')[0].textContent).toBe('sk-...wxyz');
    const statuses = allByTestId('key-status').map((el) => el.textContent?.trim());
    expect(statuses).toEqual(['active', 'expired', 'blocked']);
  });

  it('creates a key and shows its secret once, in a dialog', async () => {
    const fixture = await render('internal_user');

    byTestId('create-key')?.click();
    await fixture.whenStable();
    typeInto(byTestId<HTMLInputElement>('key-alias'), 'laptop');
    typeInto(byTestId<HTMLInputElement>('key-duration'), '30d');
    byTestId('create-key-submit')?.click();

    const generate = backend.expectOne('/key/generate');
    expect(generate.request.body).toEqual({ key_alias: 'laptop', duration: '30d' });
    generate.flush(makeGeneratedKey('sk-live-secret-123', { key_alias: 'laptop' }));
    await fixture.whenStable();
    flushList();
    await fixture.whenStable();

    expect(byTestId('key-secret')?.textContent).toBe('sk-live-secret-123');
    expect(fixture.nativeElement.textContent).not.toContain('sk-live-secret-123');
  });

  it('deletes a key only after confirmation', async () => {
    const fixture = await render('internal_user');

    byTestId('key-delete')?.click();
    await fixture.whenStable();
    expect(byTestId('confirm-ok')?.textContent).toContain('Delete');
    byTestId('confirm-ok')?.click();
    await fixture.whenStable();

    const remove = backend.expectOne('/key/delete');
    expect(remove.request.body).toEqual({ keys: [makeKey().token] });
    remove.flush({ deleted_keys: [makeKey().token] });
    flushList([]);
    await fixture.whenStable();

    expect(allByTestId('key-row')).toHaveLength(0);
  });

  it('says in words why a delete failed', async () => {
    const fixture = await render('internal_user');

    byTestId('key-delete')?.click();
    await fixture.whenStable();
    byTestId('confirm-ok')?.click();
    await fixture.whenStable();
    backend
      .expectOne('/key/delete')
      .flush(
        { error: { message: 'Key belongs to another user', type: 'auth_error', code: '403' } },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();

    expect(byTestId('keys-action-error')?.textContent).toContain('Key belongs to another user');
  });
});
