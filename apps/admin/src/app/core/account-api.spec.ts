import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { makeSession, testProviders } from '../../testing/fixtures';
import { AccountApi } from './account-api';

describe('AccountApi', () => {
  let api: AccountApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    api = TestBed.inject(AccountApi);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('lists the own sessions', async () => {
    const sessions = firstValueFrom(api.sessions());

    const req = backend.expectOne('/user/sessions');
    expect(req.request.method).toBe('GET');
    req.flush([makeSession({ current: true })]);
    expect((await sessions)[0].current).toBe(true);
  });

  it('ends one session by id, or all the others', async () => {
    const one = firstValueFrom(api.endSession('s2'));
    const others = firstValueFrom(api.endOtherSessions());

    const end = backend.expectOne('/user/sessions/end');
    expect(end.request.method).toBe('POST');
    expect(end.request.body).toEqual({ session_id: 's2' });
    end.flush({ sessions_ended: 1 });
    const endOthers = backend.expectOne('/user/sessions/end_others');
    expect(endOthers.request.method).toBe('POST');
    endOthers.flush({ sessions_ended: 3 });

    expect(await one).toEqual({ sessions_ended: 1 });
    expect(await others).toEqual({ sessions_ended: 3 });
  });
});
