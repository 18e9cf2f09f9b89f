import { Page } from 'playwright-core';
import { Role } from '@gatehouse/domain';

/**
 * Page helpers for the console, one job each. They drive the UI only through its
 * `data-testid` hooks (apps/admin/README.md) and wait for what each step should show, since
 * the zoneless console renders after the click returns.
 */

/** Waits until the element with this test id has the focus, as a dialog gives it on opening. */
export async function waitForFocus(page: Page, testId: string): Promise<void> {
  await page.waitForFunction(
    (id) => document.activeElement?.getAttribute('data-testid') === id,
    testId,
  );
}

/** The trimmed text of the element with this test id, once it is visible. */
export async function textOf(page: Page, testId: string): Promise<string> {
  const element = page.getByTestId(testId);
  await element.waitFor();

  return ((await element.textContent()) ?? '').trim();
}

/** Fills in and sends the sign-in form, opening the login page unless it is showing. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/ui/login')) {
    await page.goto('/ui/login');
  }

  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in through the form and waits for the signed-in shell. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await submitLogin(page, email, password);
  await page.getByTestId('account-menu').waitFor();
}

/** Logs out from the account menu and waits until the page has left the signed-in console. */
export async function logout(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/ui/') || url.pathname === '/ui/login');
}

/** Creates a key with this alias and returns the secret; the secret dialog stays open. */
export async function createKey(page: Page, alias: string): Promise<string> {
  await page.getByTestId('create-key').click();
  await waitForFocus(page, 'key-alias');
  await page.getByTestId('key-alias').fill(alias);
  await page.getByTestId('create-key-submit').click();

  return textOf(page, 'key-secret');
}

/** Closes the secret dialog with its only button and waits until the secret is gone. */
export async function closeSecret(page: Page): Promise<void> {
  await page.getByTestId('key-secret-done').click();
  await page.getByTestId('key-secret').waitFor({ state: 'detached' });
}

/** The table row of the key with this alias. */
export function keyRow(page: Page, alias: string) {
  return page.locator(`[data-testid="key-row"][data-key-alias="${alias}"]`);
}

/** Deletes the key with this alias, confirming in the dialog, and waits for its row to go. */
export async function deleteKey(page: Page, alias: string): Promise<void> {
  await keyRow(page, alias).getByTestId('key-delete').click();
  await page.getByTestId('confirm-ok').click();
  await keyRow(page, alias).waitFor({ state: 'detached' });
}

/** Adds a user on the users page and returns the invitation link; its dialog stays open. */
export async function newUser(page: Page, email: string, role: Role): Promise<string> {
  await page.getByTestId('new-user').click();
  await waitForFocus(page, 'new-user-email');
  await page.getByTestId('new-user-email').fill(email);
  await page.getByTestId('new-user-role').click();
  // Options read "Internal user (internal_user)"; the role in brackets tells them apart.
  await page.getByRole('option', { name: `(${role})` }).click();
  await page.getByTestId('new-user-submit').click();

  return textOf(page, 'invitation-link');
}

/** Fills in both password fields of the onboarding page and sends them. */
export async function choosePassword(page: Page, password: string): Promise<void> {
  await page.getByTestId('onboarding-password').fill(password);
  await page.getByTestId('onboarding-confirm').fill(password);
  await page.getByTestId('onboarding-submit').click();
}

/** Opens the change-password dialog from the account menu, fills it in and sends it. */
export async function submitPasswordChange(
  page: Page,
  current: string,
  next: string,
): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('change-password').click();
  await waitForFocus(page, 'current-password');
  await page.getByTestId('current-password').fill(current);
  await page.getByTestId('new-password').fill(next);
  await page.getByTestId('confirm-password').fill(next);
  await page.getByTestId('change-password-submit').click();
}

/** Changes the password from the account menu and waits for the dialog to close. */
export async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await submitPasswordChange(page, current, next);
  await page.getByTestId('change-password-form').waitFor({ state: 'detached' });
}
