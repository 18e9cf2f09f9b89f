import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

import { byTestId, makeGeneratedKey } from '../../testing/fixtures';
import { KeySecretData, KeySecretDialog } from './key-secret-dialog';

describe('KeySecretDialog', () => {
  let copy: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    copy = vi.fn().mockReturnValue(true);
    TestBed.configureTestingModule({ providers: [{ provide: Clipboard, useValue: { copy } }] });
  });

  function open(regenerated = false) {
    const data: KeySecretData = { key: makeGeneratedKey('sk-shown-once-xyz'), regenerated };

    return TestBed.inject(MatDialog).open(KeySecretDialog, { data, disableClose: true });
  }

  it('shows the secret with a warning that it will not be shown again', () => {
    const ref = open();
    TestBed.tick();

    expect(byTestId('key-secret')?.textContent).toBe('sk-shown-once-xyz');
    expect(byTestId('key-secret-dialog')?.textContent).toContain("It won't be shown again");
    ref.close();
  });

  it('copies the secret and says so', () => {
    const ref = open();
    TestBed.tick();

    byTestId('key-secret-copy')?.click();
    TestBed.tick();

    expect(copy).toHaveBeenCalledWith('sk-shown-once-xyz');
    expect(byTestId('key-secret-copy-status')?.textContent).toContain('Copied');
    ref.close();
  });

  it('forgets the secret once closed', async () => {
    const ref = open(true);
    TestBed.tick();
    expect(document.body.textContent).toContain('previous secret of this key no longer works');

    const closed = firstValueFrom(ref.afterClosed());
    byTestId('key-secret-done')?.click();
    TestBed.tick();
    await closed;

    expect(document.body.textContent).not.toContain('sk-shown-once-xyz');
  });
});
