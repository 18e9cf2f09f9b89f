import { COMMA, ENTER } from '@angular/cdk/keycodes';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { GenerateKeyRequest, GeneratedKey, isDuration } from '@gatehouse/domain';

import { errorMessage } from '../core/api-error';
import { KeysApi } from '../core/keys-api';

/** A user a key can be made for. */
export interface OwnerOption {
  userId: string;
  label: string;
}

export interface CreateKeyData {
  /** Users to choose the owner from; null when the role may only create its own keys. */
  owners: OwnerOption[] | null;
  /** The signed-in user, the default owner. */
  selfId: string;
}

/** Empty means "never expires"; anything else must be a duration such as 30d or 1mo. */
export function durationValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();

  return value === '' || isDuration(value) ? null : { duration: true };
}

/** Splits typed model names on commas, dropping blanks. */
export function splitModels(text: string): string[] {
  return text
    .split(',')
    .map((model) => model.trim())
    .filter((model) => model !== '');
}

/** Creates a key and closes with the answer, whose secret the caller shows once. */
@Component({
  selector: 'gh-create-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatChipsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './create-key-dialog.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateKeyDialog {
  private readonly api = inject(KeysApi);
  private readonly ref = inject(MatDialogRef<CreateKeyDialog, GeneratedKey>);
  protected readonly data = inject<CreateKeyData>(MAT_DIALOG_DATA);

  protected readonly separators = [ENTER, COMMA];
  protected readonly durations = ['7d', '30d', '90d', '1mo', '12h'];

  /** Allowed models; empty means every model. */
  protected readonly models = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal('');

  protected readonly form = inject(NonNullableFormBuilder).group({
    alias: ['', Validators.maxLength(255)],
    maxBudget: [null as number | null, Validators.min(0)],
    duration: ['', durationValidator],
    owner: [this.data.selfId],
  });

  protected addModels(event: MatChipInputEvent): void {
    const added = splitModels(event.value).filter((model) => !this.models().includes(model));
    this.models.update((models) => [...models, ...added]);
    event.chipInput.clear();
  }

  protected removeModel(model: string): void {
    this.models.update((models) => models.filter((m) => m !== model));
  }

  /** The request for the filled-in form: only the fields given, so API defaults apply. */
  protected request(): GenerateKeyRequest {
    const { alias, maxBudget, duration, owner } = this.form.getRawValue();
    const request: GenerateKeyRequest = {};
    if (alias.trim()) {
      request.key_alias = alias.trim();
    }

    if (this.models().length > 0) {
      request.models = this.models();
    }

    if (maxBudget !== null && `${maxBudget}` !== '') {
      request.max_budget = Number(maxBudget);
    }

    if (duration.trim()) {
      request.duration = duration.trim();
    }

    if (this.data.owners && owner && owner !== this.data.selfId) {
      request.user_id = owner;
    }

    return request;
  }

  protected submit(): void {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();

      return;
    }

    this.busy.set(true);
    this.error.set('');
    // Closed now, the dialog would lose the key's secret, the one time it is shown.
    this.ref.disableClose = true;

    this.api.generate(this.request()).subscribe({
      next: (created) => this.ref.close(created),
      error: (err: unknown) => {
        this.busy.set(false);
        this.ref.disableClose = false;
        this.error.set(errorMessage(err));
      },
    });
  }
}
