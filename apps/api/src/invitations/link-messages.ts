import { escapeHtml } from '../mail/html';
import { Message } from '../mail/mail.service';

export type LinkPurpose = 'invitation' | 'password_reset';

/** The email that carries a one-time link: plain text and HTML, with when it expires. */
export function linkMessage(
  purpose: LinkPurpose,
  to: string,
  link: string,
  expiresAt: Date,
): Message {
  const expires = expiresAt.toUTCString();
  const invitation = purpose === 'invitation';
  const subject = invitation ? 'Your invitation to Gatehouse' : 'Reset your Gatehouse password';
  const intro = invitation
    ? 'You have been invited to Gatehouse, where you create and manage your LLM API keys.'
    : 'An administrator started a password reset for your Gatehouse account.';
  const action = invitation ? 'Set your password' : 'Choose a new password';

  const text = [
    intro,
    '',
    `${action}: ${link}`,
    '',
    `The link works once and expires on ${expires}.`,
    'If you did not expect this email, you can ignore it.',
  ].join('\n');

  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>
<p>Or open this address: ${escapeHtml(link)}</p>
<p>The link works once and expires on ${escapeHtml(expires)}.<br>
If you did not expect this email, you can ignore it.</p>
</body></html>`;

  return { to, subject, text, html };
}
