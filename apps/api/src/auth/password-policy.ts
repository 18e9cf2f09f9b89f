import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@gatehouse/domain';
import { COMMON_PASSWORD_WORDS } from './common-passwords';

const COMMON = new Set(COMMON_PASSWORD_WORDS);

/**
 * Why a password is not acceptable, in words for the user, or null when it is.
 * Lengths count Unicode characters, so a passphrase in any script is measured fairly.
 */
export function passwordProblem(password: string, email?: string | null): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  }

  if (new Set(password).size < 4) {
    return 'Password repeats too few characters; choose a longer phrase';
  }

  if (isCommon(password)) {
    return 'Password is too common; choose one that is not in lists of leaked passwords';
  }

  const mailbox = email?.split('@')[0]?.toLowerCase();
  if (mailbox && mailbox.length >= 4 && password.toLowerCase().includes(mailbox)) {
    return 'Password must not contain your email address';
  }

  return null;
}

/** True for a common word or sequence, decorated with digits or symbols, or repeated. */
function isCommon(password: string): boolean {
  const core = password.toLowerCase().replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (core === '') {
    return isSequence(password);
  }

  if (COMMON.has(core) || COMMON.has(password.toLowerCase())) {
    return true;
  }

  return [...COMMON].some((word) => word.length >= 3 && isRepeatOf(core, word));
}

function isRepeatOf(text: string, word: string): boolean {
  return text.length % word.length === 0 && word.repeat(text.length / word.length) === text;
}

/** Digits only, in a run like 123456789012 or 111111111111, or any digits alone. */
function isSequence(password: string): boolean {
  return /^\d+$/.test(password) || /^(.)\1+$/.test(password);
}
