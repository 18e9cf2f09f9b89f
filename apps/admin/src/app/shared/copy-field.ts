import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/**
 * A value to copy (a key's secret, an invitation link): shown in full as selectable text, with a
 * copy button that says whether copying worked.
 */
@Component({
  selector: 'gh-copy-field',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div class="field">
      <code class="value" [attr.data-testid]="testId()" [attr.aria-label]="label()">{{
        value()
      }}</code>
      <button
        mat-stroked-button
        type="button"
        [attr.data-testid]="testId() + '-copy'"
        [attr.aria-label]="'Copy ' + label()"
        (click)="copy()"
      >
        <mat-icon aria-hidden="true">content_copy</mat-icon>
        Copy
      </button>
    </div>
    <p class="status" role="status" [attr.data-testid]="testId() + '-copy-status'">
      {{ status() }}
    </p>
  `,
  styles: `
    .field {
      display: flex;
      gap: 8px;
      align-items: center;
    }

    .value {
      flex: 1;
      padding: 10px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      font-family: 'Roboto Mono', ui-monospace, monospace;
      word-break: break-all;
      user-select: all;
    }

    .status {
      min-height: 1.25em;
      margin: 4px 0 0;
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CopyField {
  private readonly clipboard = inject(Clipboard);

  readonly value = input.required<string>();

  /** What the value is, for screen readers: "secret key", "invitation link". */
  readonly label = input.required<string>();

  /** Prefix of the data-testid attributes, for browser tests. */
  readonly testId = input('copy-field');

  protected readonly status = signal('');

  protected copy(): void {
    const copied = this.clipboard.copy(this.value());
    this.status.set(
      copied ? 'Copied to the clipboard.' : 'Copying failed: select the text and copy it.',
    );
  }
}
