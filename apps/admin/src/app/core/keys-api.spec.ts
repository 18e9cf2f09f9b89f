import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { makeGeneratedKey, makeKey, testProviders } from '../../testing/fixtures';
import { KeysApi } from './keys-api';

describe('KeysApi', () => {
  let api: KeysApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    api = TestBed.inject(KeysApi);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('lists a page of full key objects', async () => {
    const page = firstValueFrom(api.list(2, 25));

    const req = backend.expectOne((r) => r.url === '/key/list');
    expect(req.request.params.get('return_full_object')).toBe('true');
    expect(req.request.params.get('page')).toBe('2');
    expect(req.request.params.get('size')).toBe('25');
    const key = makeKey();
    req.flush({ keys: [key, 'bare-token'], total_count: 26, current_page: 2, total_pages: 2 });

    await expect(page).resolves.toEqual({ keys: [key], total: 26, page: 2, totalPages: 2 });
  });

  it('creates a key and returns its secret', async () => {
    const created = firstValueFrom(api.generate({ key_alias: 'ci', duration: '30d' }));

    const req = backend.expectOne('/key/generate');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ key_alias: 'ci', duration: '30d' });
    req.flush(makeGeneratedKey('sk-secret-once'));

    await expect(created).resolves.toMatchObject({ key: 'sk-secret-once' });
  });

  it('deletes keys by token', () => {
    api.delete(['t1']).subscribe();

    const req = backend.expectOne('/key/delete');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ keys: ['t1'] });
    req.flush({ deleted_keys: ['t1'] });
  });

  it('regenerates a key by token', () => {
    api.regenerate('t1').subscribe();

    const req = backend.expectOne('/key/regenerate');
    expect(req.request.body).toEqual({ key: 't1' });
    req.flush(makeGeneratedKey('sk-new'));
  });
});
