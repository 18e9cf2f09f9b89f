import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { StartedApp } from '../../../api/test/support/started-app';

/** The flags that let Debian's Chromium run headless in a container without reaching out. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The viewport of every page, and of the screenshots in docs/screenshots. */
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * One Chromium per test file. Playwright gives it a fresh user data folder of its own, which
 * it deletes on close(); each user then gets a context of their own from newPage().
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page in a fresh context (no cookies), with relative URLs resolved against the app. */
export async function newPage(browser: Browser, app: StartedApp): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: app.baseUrl,
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
  });

  return context.newPage();
}

/** The session token the server set in the page's cookie, as the API's Bearer token. */
export async function sessionToken(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'gatehouse_session');
  if (!session) {
    throw new Error('the page has no session cookie');
  }

  return session.value;
}
