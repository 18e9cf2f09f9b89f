import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { call, onboard } from '../../api/test/support/http';
import { StartedApp } from '../../api/test/support/started-app';
import { launchBrowser, newPage, sessionToken } from './support/browser';
import {
  changePassword,
  login,
  logout,
  submitLogin,
  submitPasswordChange,
  textOf,
} from './support/pages';

/** A stand-in for a company sign-out page: answers every request with 200 "logged out". */
async function startLogoutPage(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('logged out');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));

  return server;
}

describe('console sessions in the browser', () => {
  let app: StartedApp;
  let browser: Browser;
  let logoutPage: Server;
  let logoutUrl: string;

  beforeAll(async () => {
    logoutPage = await startLogoutPage();
    logoutUrl = `http://127.0.0.1:${(logoutPage.address() as AddressInfo).port}/signed-out`;
    [app, browser] = await Promise.all([
      StartedApp.start({ env: { PROXY_LOGOUT_URL: logoutUrl } }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((done) => logoutPage?.close(done));
  });

  it('follows PROXY_LOGOUT_URL on logout and asks to sign in afterwards', async () => {
    const member = await onboard(app, 'internal_user');
    const page = await newPage(browser, app);
    await login(page, member.email, member.password);
    const token = await sessionToken(page);

    // Logging out leaves the console for the configured sign-out page.
    await logout(page);
    expect(page.url()).toBe(logoutUrl);
    expect(await page.locator('body').innerText()).toBe('logged out');

    // The session is over on the server, its cookie is gone, and the console asks to sign in.
    expect((await call(app, 'GET', '/user/info', { auth: { bearer: token } })).status).toBe(401);
    const cookies = await page.context().cookies(app.baseUrl);
    expect(cookies.map((cookie) => cookie.name)).not.toContain('gatehouse_session');
    await page.goto('/ui');
    await page.getByTestId('login-email').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    expect(await page.getByTestId('account-menu').count()).toBe(0);
    await page.context().close();
  });

  it('returns to login when the session ends, then back to the same page', async () => {
    const member = await onboard(app, 'internal_user_viewer');
    const page = await newPage(browser, app);
    await login(page, member.email, member.password);

    // The user is on the usage page.
    await page.getByTestId('nav-usage').click();
    await page.getByTestId('usage-totals').waitFor();

    // The session ends on the server (as on another tab's logout), with the cookie's token.
    const token = await sessionToken(page);
    expect((await call(app, 'POST', '/logout', { auth: { bearer: token } })).status).toBe(303);

    // The next call gets a 401, and the console sends the user to sign in, remembering the page.
    await page.getByTestId('usage-apply').click();
    await page.getByTestId('login-email').waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/ui/login');
    expect(url.searchParams.get('returnUrl')).toBe('/usage');

    // Signing in again returns to the usage page.
    await login(page, member.email, member.password);
    await page.getByTestId('usage-totals').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/usage');
    await page.context().close();
  });

  it('changes the password from the account menu and ends the other sessions', async () => {
    const member = await onboard(app, 'internal_user');
    const newPassword = 'seven lanterns over the bay';
    const page = await newPage(browser, app);
    await login(page, member.email, member.password);
    const elsewhere = await newPage(browser, app);
    await login(elsewhere, member.email, member.password);

    // A wrong current password is refused inside the dialog, without signing out.
    await submitPasswordChange(page, 'not my password at all', newPassword);
    expect(await textOf(page, 'change-password-error')).toMatch(/current password is wrong/i);
    expect(new URL(page.url()).pathname).toBe('/ui/keys');
    await page.keyboard.press('Escape');
    await page.getByTestId('change-password-form').waitFor({ state: 'detached' });

    // The password changes from the account menu; this session stays signed in.
    await changePassword(page, member.password, newPassword);
    await page.getByText('Password changed.').waitFor();
    await page.reload();
    await page.getByTestId('account-menu').waitFor();

    // The user's session in another browser has ended: it is sent to sign in.
    await elsewhere.reload();
    await elsewhere.getByTestId('login-email').waitFor();
    await elsewhere.context().close();

    // After logging out, the old password is refused and the new one works.
    await logout(page);
    await submitLogin(page, member.email, member.password);
    expect(await textOf(page, 'login-error')).not.toBe('');
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await login(page, member.email, newPassword);
    expect(await textOf(page, 'account-email')).toBe(member.email);
    await page.context().close();
  });
});
