import { Browser, Page } from 'playwright-core';
import { call, MASTER, uniqueEmail } from '../../api/test/support/http';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StartedApp } from '../../api/test/support/started-app';
import { launchBrowser, newPage } from './support/browser';
import {
  choosePassword,
  closeSecret,
  createKey,
  deleteKey,
  keyRow,
  login,
  logout,
  newUser,
  textOf,
} from './support/pages';
import { screenshot } from './support/screenshots';

/**
 * The self-serve flow, in order, through the console alone: the admin invites a user, the user
 * claims the link, chooses a password, makes a key, uses it, deletes it and signs in again.
 * The steps share one app and hand on the invitation link and the user's password.
 */
describe('the self-serve flow in the console', () => {
  let app: StartedApp;
  let browser: Browser;
  let admin: Page;
  let user: Page;

  const email = uniqueEmail('seed');
  const password = 'a quiet harbour at dawn 7';
  let link = '';
  /** The secret of the key the user makes, until it is regenerated. */
  let firstSecret = '';

  /** The role the API has for the user with this email. */
  async function roleOf(address: string): Promise<string> {
    const list = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: { user_email: address },
    });

    return list.body.users[0].user_role;
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([StartedApp.start(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets the admin add an internal user and shows the invitation link', async () => {
    // The admin opens the console and is sent to the login page.
    admin = await newPage(browser, app);
    await admin.goto('/ui');
    await admin.getByTestId('login-email').waitFor();
    expect(new URL(admin.url()).pathname).toBe('/ui/login');
    await screenshot(admin, 'login');

    // The admin signs in with the first admin's email and password.
    await login(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await textOf(admin, 'account-email')).toBe(ADMIN_EMAIL);

    // The admin opens Internal Users from the side navigation.
    await admin.getByTestId('nav-users').click();
    await admin.getByRole('heading', { name: 'Internal Users' }).waitFor();
    await admin.locator(`[data-testid="user-row"][data-user-email="${ADMIN_EMAIL}"]`).waitFor();

    // "+ New User" with the email and the role internal_user gives an invitation link.
    link = await newUser(admin, email, 'internal_user');
    expect(link).toMatch(/^http:\/\/[^/]+\/ui\/onboarding\?id=[\w-]+$/);
    expect(new URL(link).origin).toBe(app.baseUrl);
    expect(await textOf(admin, 'invitation-expiry')).toMatch(/^Expires .+\.$/);
    await screenshot(admin, 'users-invitation');

    // Closing the dialog shows the new user in the list.
    await admin.getByTestId('invitation-done').click();
    await admin.locator(`[data-testid="user-row"][data-user-email="${email}"]`).waitFor();

    // The admin logs out and is back on the login page.
    await logout(admin);
    await admin.getByTestId('login-email').waitFor();
  });

  it('sets the password from the invitation link after refusing a common one', async () => {
    // A fresh browser context, as the invited user's own browser, opens the link.
    user = await newPage(browser, app);
    await user.goto(link);
    expect(await textOf(user, 'onboarding-email')).toBe(email);
    await screenshot(user, 'onboarding');

    // A password on every leaked-password list is refused, with the reason.
    await choosePassword(user, 'password1234');
    expect(await textOf(user, 'onboarding-error')).toMatch(/too common/i);
    expect(new URL(user.url()).pathname).toBe('/ui/onboarding');

    // A good password signs the user in and lands on the keys page.
    await choosePassword(user, password);
    await user.getByTestId('account-menu').waitFor();
    expect(new URL(user.url()).pathname).toBe('/ui/keys');
    expect(await textOf(user, 'account-email')).toBe(email);
  });

  it('refuses the invitation link once it has been used', async () => {
    // Anyone opening the same link again, even in another browser, gets no form.
    const stranger = await newPage(browser, app);
    await stranger.goto(link);

    expect(await textOf(stranger, 'onboarding-link-error')).toMatch(/used or has expired/);
    expect(await stranger.getByTestId('onboarding-password').count()).toBe(0);
    await stranger.context().close();
  });

  it('shows the secret of a new key once, and the secret works as a Bearer key', async () => {
    // The user creates a key; the dialog shows its secret.
    const secret = await createKey(user, 'laptop');
    expect(secret).toMatch(/^sk-/);
    firstSecret = secret;
    await user.getByTestId('key-secret-dialog').getByText('laptop').waitFor();
    await screenshot(user, 'key-created');

    // After "I have copied it" the secret appears nowhere on the page, though the key does.
    await closeSecret(user);
    await keyRow(user, 'laptop').waitFor();
    expect(await user.locator('body').innerText()).not.toContain(secret);
    expect(await user.content()).not.toContain(secret);
    await screenshot(user, 'keys');

    // The secret authenticates API calls as that key.
    const info = await call(app, 'GET', '/key/info', { auth: { bearer: secret } });
    expect(info.status).toBe(200);
    expect(info.body.info.key_alias).toBe('laptop');
  });

  it('regenerates a key after confirmation: a new secret, the old one refused', async () => {
    // The row's regenerate button asks first, then shows the new secret once.
    await keyRow(user, 'laptop').getByTestId('key-regenerate').click();
    await user.getByTestId('confirm-ok').click();
    const secret = await textOf(user, 'key-secret');
    expect(secret).toMatch(/^sk-/);
    expect(secret).not.toBe(firstSecret);
    await closeSecret(user);

    // The new secret acts as the same key; the old one no longer works at all.
    const info = await call(app, 'GET', '/key/info', { auth: { bearer: secret } });
    expect(info.status).toBe(200);
    expect(info.body.info.key_alias).toBe('laptop');
    const old = await call(app, 'GET', '/key/info', { auth: { bearer: firstSecret } });
    expect(old.status).toBe(401);
  });

  it('deletes a key only after confirmation', async () => {
    // Cancelling the confirmation keeps the key.
    await keyRow(user, 'laptop').getByTestId('key-delete').click();
    await user.getByTestId('confirm-cancel').click();
    await user.getByTestId('confirm-cancel').waitFor({ state: 'detached' });
    expect(await keyRow(user, 'laptop').count()).toBe(1);

    // Confirming deletes it: the row goes and the list says there are no keys.
    await deleteKey(user, 'laptop');
    await user.getByText('No keys yet.').waitFor();
    expect(await user.getByTestId('key-row').count()).toBe(0);
  });

  it('signs the user in again with email and password after logging out', async () => {
    // Logging out ends the session: the console asks to sign in.
    await logout(user);
    await user.goto('/ui/keys');
    await user.getByTestId('login-email').waitFor();

    // Email and the chosen password open the console again.
    await login(user, email, password);
    expect(await textOf(user, 'account-email')).toBe(email);
    await user.getByTestId('account-menu').click();
    expect(await textOf(user, 'account-role')).toContain('(internal_user)');
    await user.keyboard.press('Escape');
  });

  it("changes the user's role only once the admin confirms, which signs the user out", async () => {
    await login(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.getByTestId('nav-users').click();
    const row = admin.locator(`[data-testid="user-row"][data-user-email="${email}"]`);

    // Choosing a role asks first; cancelling leaves the role as it was.
    await row.getByTestId('user-role-select').click();
    await admin.getByRole('option', { name: 'Internal viewer' }).click();
    await admin.getByTestId('confirm-cancel').click();
    await admin.getByTestId('confirm-cancel').waitFor({ state: 'detached' });
    expect(await roleOf(email)).toBe('internal_user');

    // Confirming changes it, and the user's console session ends with it.
    await row.getByTestId('user-role-select').click();
    await admin.getByRole('option', { name: 'Internal viewer' }).click();
    await admin.getByTestId('confirm-ok').click();
    await admin.getByTestId('confirm-ok').waitFor({ state: 'detached' });
    // The change reaches the API a moment after the click.
    const deadline = Date.now() + 5_000;
    while ((await roleOf(email)) !== 'internal_user_viewer' && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(await roleOf(email)).toBe('internal_user_viewer');
    await user.goto('/ui/keys');
    await user.getByTestId('login-email').waitFor();
  });
});
