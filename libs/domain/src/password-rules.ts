/** Length bounds of a password, shown by the console and enforced by the API. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** The policy in words, as the console shows it beside a new password. */
export const PASSWORD_POLICY_TEXT =
  `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not a common password, ` +
  'not your email address, and more than a few different characters.';
