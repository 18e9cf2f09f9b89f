import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { GeneratedKey } from '@gatehouse/domain';

import { CopyField } from '../shared/copy-field';

export interface KeySecretData {
  key: GeneratedKey;
  /** True after regenerating: the old secret no longer works. */
  regenerated: boolean;
}

/**
 * The only place a key's secret ever appears: the API returns it once, the console keeps it in
 * this dialog's data alone, and it is gone when the dialog closes.
 */
@Component({
  selector: 'gh-key-secret-dialog',
  imports: [MatButtonModule, MatDialogModule, MatIconModule, CopyField],
  template: `
    <h2 mat-dialog-title>{{ data.regenerated ? 'New secret for the key' : 'Key created' }}</h2>
    <mat-dialog-content data-testid="key-secret-dialog">
      <p class="warning" role="alert">
        <mat-icon aria-hidden="true">warning</mat-icon>
        <span>
          Copy this secret key now and keep it somewhere safe. It won't be shown again: Gatehouse
          stores only a fingerprint of it.
        </span>
      </p>
      <p>
        {{ data.key.key_alias || 'Unnamed key' }}
        <span class="gh-muted">({{ data.key.key_name }})</span>
        @if (data.regenerated) {
          <br />The previous secret of this key no longer works.
        }
      </p>
      <gh-copy-field [value]="data.key.key" label="secret key" testId="key-secret" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="key-secret-done">
        I have copied it
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .warning {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);

      mat-icon {
        flex: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeySecretDialog {
  protected readonly data = inject<KeySecretData>(MAT_DIALOG_DATA);
}
