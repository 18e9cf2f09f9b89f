import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

import { byTestId, makeGeneratedKey, testProviders, typeInto } from '../../testing/fixtures';
import {
  CreateKeyData,
  CreateKeyDialog,
  durationValidator,
  splitModels,
} from './create-key-dialog';

describe('CreateKeyDialog', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  function open(data: CreateKeyData) {
    const ref = TestBed.inject(MatDialog).open(CreateKeyDialog, { data });
    TestBed.tick();

    return ref;
  }

  it('accepts durations in the API notation, or nothing for "never"', () => {
    const check = (value: string) =>
      durationValidator(new FormControl(value, { nonNullable: true }));

    expect(check('')).toBeNull();
    expect(check('30d')).toBeNull();
    expect(check('1mo')).toBeNull();
    expect(check('30 days')).toEqual({ duration: true });
    expect(check('0d')).toEqual({ duration: true });
  });

  it('splits comma-separated model names', () => {
    expect(splitModels('gpt-4o, claude ,, ')).toEqual(['gpt-4o', 'claude']);
  });

  it('sends only the fields given, and the chosen owner for admins', async () => {
    const ref = open({
      owners: [
        { userId: 'me', label: 'me (you)' },
        { userId: 'u2', label: 'u2@example.com' },
      ],
      selfId: 'me',
    });
    const closed = firstValueFrom(ref.afterClosed());
    const dialog = ref.componentInstance as unknown as {
      form: { controls: { owner: FormControl<string> } };
    };
    dialog.form.controls.owner.setValue('u2');
    typeInto(byTestId<HTMLInputElement>('key-max-budget'), '25');
    typeInto(byTestId<HTMLInputElement>('key-models'), 'gpt-4o, claude');
    byTestId<HTMLInputElement>('key-models')?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13 } as KeyboardEventInit),
    );
    TestBed.tick();
    byTestId('create-key-submit')?.click();

    const req = backend.expectOne('/key/generate');
    expect(req.request.body).toEqual({
      max_budget: 25,
      user_id: 'u2',
      models: ['gpt-4o', 'claude'],
    });
    req.flush(makeGeneratedKey('sk-x'));

    await expect(closed).resolves.toMatchObject({ key: 'sk-x' });
  });

  it('refuses a malformed duration without calling the API', () => {
    const ref = open({ owners: null, selfId: 'me' });

    typeInto(byTestId<HTMLInputElement>('key-duration'), 'a month');
    byTestId('create-key-submit')?.click();
    TestBed.tick();

    backend.expectNone('/key/generate');
    expect(document.body.textContent).toContain('Write a duration such as 30d');
    expect(byTestId('key-owner')).toBeNull();
    ref.close();
  });

  it('shows the API error next to the button and stays open', () => {
    const ref = open({ owners: null, selfId: 'me' });

    byTestId('create-key-submit')?.click();
    // While the key is being made, Escape or a click outside must not lose its secret.
    expect(ref.disableClose).toBe(true);
    backend
      .expectOne('/key/generate')
      .flush(
        { error: { message: 'Budget exceeds your own', type: 'bad_request_error', code: '400' } },
        { status: 400, statusText: 'Bad Request' },
      );
    TestBed.tick();

    expect(byTestId('create-key-error')?.textContent).toContain('Budget exceeds your own');
    expect(ref.getState()).toBe(0);
    expect(ref.disableClose).toBe(false);
    ref.close();
  });
});
