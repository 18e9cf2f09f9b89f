import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import {
  OnboardingTokenResponse,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_POLICY_TEXT,
} from '@gatehouse/domain';

import { toApiError } from '../core/api-error';
import { OnboardingApi } from '../core/onboarding-api';
import { Session } from '../core/session';

export const LINK_USED_OR_EXPIRED =
  'This invitation link has already been used or has expired. ' +
  'Ask your administrator for a new link.';

export const LINK_MISSING =
  'This page needs the invitation link your administrator sent you. ' +
  'Open that link, or ask your administrator for a new one.';

/** The confirmation must repeat the password exactly. */
function passwordsMatch(group: AbstractControl): ValidationErrors | null {
  const { password, confirm } = group.value as { password: string; confirm: string };

  return password === confirm ? null : { mismatch: true };
}

/**
 * Claiming an invitation link: check the link, let the user choose a password, then open a
 * session and go to the keys page.
 */
@Component({
  selector: 'gh-onboarding-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './onboarding-page.html',
  styleUrl: './onboarding-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OnboardingPage implements OnInit {
  private readonly api = inject(OnboardingApi);
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** The invitation id, from the `id` query parameter. */
  readonly id = input<string>();

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly maxLength = PASSWORD_MAX_LENGTH;
  protected readonly policy = PASSWORD_POLICY_TEXT;

  /** The checked invitation; null while checking or when the link is not usable. */
  protected readonly invitation = signal<OnboardingTokenResponse | null>(null);
  protected readonly checking = signal(true);

  /** Why the link cannot be used; the page then offers no form. */
  protected readonly linkError = signal('');

  /** Why the password was refused; the user may try again. */
  protected readonly formError = signal('');
  protected readonly busy = signal(false);

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      password: [
        '',
        [
          Validators.required,
          Validators.minLength(PASSWORD_MIN_LENGTH),
          Validators.maxLength(PASSWORD_MAX_LENGTH),
        ],
      ],
      confirm: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );

  ngOnInit(): void {
    const id = this.id();
    if (!id) {
      this.fail(LINK_MISSING);

      return;
    }

    this.api.getToken(id).subscribe({
      next: (invitation) => {
        this.invitation.set(invitation);
        this.checking.set(false);
      },
      error: (err: unknown) => {
        const error = toApiError(err);
        this.fail(error.status === 401 ? LINK_USED_OR_EXPIRED : error.message);
      },
    });
  }

  protected submit(): void {
    const invitation = this.invitation();
    const id = this.id();
    if (this.form.invalid || this.busy() || !invitation || !id) {
      this.form.markAllAsTouched();

      return;
    }

    this.busy.set(true);
    this.formError.set('');
    const request = {
      invitation_link: id,
      user_id: invitation.user_id,
      password: this.form.getRawValue().password,
    };

    this.api.claim(invitation.token, request).subscribe({
      next: (claimed) => {
        this.session.signedIn(claimed.user);
        void this.router.navigateByUrl('/keys');
      },
      error: (err: unknown) => {
        this.busy.set(false);
        const error = toApiError(err);
        if (error.status === 401) {
          // Used meanwhile, or the 15-minute onboarding token ran out: the form is of no use.
          this.invitation.set(null);
          this.fail(LINK_USED_OR_EXPIRED);

          return;
        }

        this.formError.set(error.message);
      },
    });
  }

  private fail(message: string): void {
    this.linkError.set(message);
    this.checking.set(false);
  }
}
