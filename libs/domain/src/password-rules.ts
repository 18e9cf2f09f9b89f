/** Length bounds of a password, shown by the console and enforced by the API. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
