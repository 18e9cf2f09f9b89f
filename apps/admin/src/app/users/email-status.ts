import { Signal, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Invitation } from '@gatehouse/domain';
import { EMPTY, catchError, exhaustMap, take, takeWhile, timer } from 'rxjs';

import { UsersApi } from '../core/users-api';

/**
 * The server sends link emails after answering, so a fresh link reads `pending` at first. The
 * dialogs ask again every second for ten seconds; a slower mail server stays "sending" and the
 * admin still has the link (or can issue another).
 */
export const EMAIL_POLL_INTERVAL_MS = 1000;
export const EMAIL_POLL_ATTEMPTS = 10;

/**
 * The invitation as a signal that follows its email status while that is `pending`. Call it in
 * an injection context (a field initializer): polling stops when the component goes away.
 */
export function followEmailStatus(initial: Invitation): Signal<Invitation> {
  if (initial.email_status !== 'pending') {
    return signal(initial).asReadonly();
  }

  const api = inject(UsersApi);
  const updates = timer(EMAIL_POLL_INTERVAL_MS, EMAIL_POLL_INTERVAL_MS).pipe(
    take(EMAIL_POLL_ATTEMPTS),
    // A failed check is not worth an error message: the next one may work, and the link does.
    exhaustMap(() => api.invitation(initial.id).pipe(catchError(() => EMPTY))),
    takeWhile((invitation) => invitation.email_status === 'pending', true),
  );

  return toSignal(updates, { initialValue: initial });
}

/** Whether the status says the email left, or is about to: the admin need not pass it on. */
export function isEmailed(invitation: Invitation): boolean {
  return invitation.email_status === 'pending' || invitation.email_status === 'sent';
}

/** What happened to the email with the link, in words for the admin. */
export function emailStatusWords(invitation: Invitation, email: string): string {
  return invitation.purpose === 'password_reset'
    ? resetWords(invitation, email)
    : invitationWords(invitation, email);
}

function invitationWords(invitation: Invitation, email: string): string {
  switch (invitation.email_status) {
    case 'sent':
      return `Emailed to ${email}.`;
    case 'pending':
      return `Sending… The link is on its way to ${email}.`;
    case 'failed':
      return `Email failed: ${failure(invitation)}. Copy the link and send it yourself.`;
    case 'disabled':
      return 'Email is off on this server: copy the link and send it yourself.';
    default:
      return `Copy the link and send it to ${email} yourself.`;
  }
}

// The server hands out a reset link only when it cannot email it (README "Accounts").
function resetWords(invitation: Invitation, email: string): string {
  switch (invitation.email_status) {
    case 'sent':
    case 'pending':
      return `Reset link emailed to ${email}.`;
    case 'failed':
      return `Email failed: ${failure(invitation)}. Reset the password again to retry.`;
    case 'disabled':
      return `Email is off on this server: copy the link and send it to ${email} yourself.`;
    default:
      return `Copy the link and send it to ${email} yourself.`;
  }
}

function failure(invitation: Invitation): string {
  return invitation.email_error?.replace(/\.$/, '') || 'no reason given';
}
