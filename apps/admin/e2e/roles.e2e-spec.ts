import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { ROLES, Role } from '@gatehouse/domain';
import { call, MASTER, Member, onboard } from '../../api/test/support/http';
import { StartedApp } from '../../api/test/support/started-app';
import { launchBrowser, newPage } from './support/browser';
import { keyRow, login, textOf } from './support/pages';
import { screenshot } from './support/screenshots';

/** What a role should find in the console. */
interface RoleView {
  /** The Internal Users entry in the navigation. */
  users: boolean;
  /** The New User button on the users page. */
  newUser: boolean;
  /** The Create New Key button. */
  createKey: boolean;
  /** Delete and regenerate buttons on the key rows. */
  changeKeys: boolean;
  /** The total spend on the usage page: everyone's for admin roles, else their own. */
  spend: string;
}

/** Written out per role rather than read from the permission matrix, so they check it. */
const EXPECTED: Record<Role, RoleView> = {
  proxy_admin: { users: true, newUser: true, createKey: true, changeKeys: true, spend: '$3.75' },
  proxy_admin_viewer: {
    users: true,
    newUser: false,
    createKey: false,
    changeKeys: false,
    spend: '$3.75',
  },
  internal_user: {
    users: false,
    newUser: false,
    createKey: true,
    changeKeys: true,
    spend: '$1.50',
  },
  internal_user_viewer: {
    users: false,
    newUser: false,
    createKey: false,
    changeKeys: false,
    spend: '$0.00',
  },
};

/** The alias of the key seeded for each member. */
const aliasOf = (role: Role) => `${role.replace(/_/g, '-')}-key`;
const OTHER_ALIAS = 'someone-elses-key';

describe('what each role sees in the console', () => {
  let app: StartedApp;
  let browser: Browser;
  const members = new Map<Role, Member>();

  /** Seeds a key for a user with the master key and returns its secret. */
  async function seedKey(userId: string, alias: string): Promise<string> {
    const reply = await call(app, 'POST', '/key/generate', {
      auth: MASTER,
      body: { user_id: userId, key_alias: alias },
    });
    expect(reply.status).toBe(200);

    return reply.body.key;
  }

  /** One spend row of a key on a day some days ago, as the gateway would record it. */
  function spendRow(key: string, spend: number, daysAgo: number, model = 'gpt-4o') {
    const day = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

    return {
      request_id: randomUUID(),
      api_key: key,
      model,
      prompt_tokens: 1200 * (daysAgo + 1),
      completion_tokens: 300 * (daysAgo + 1),
      spend,
      startTime: `${day}T10:00:00.000Z`,
    };
  }

  /** A fresh browser context signed in through the form as the member with this role. */
  async function signIn(role: Role): Promise<Page> {
    const member = members.get(role) as Member;
    const page = await newPage(browser, app);
    await login(page, member.email, member.password);

    return page;
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([StartedApp.start(), launchBrowser()]);
    for (const role of ROLES) {
      members.set(role, await onboard(app, role));
    }

    // A key for each member, and one for another internal user nobody else here owns.
    const secrets = new Map<Role, string>();
    for (const [role, member] of members) {
      secrets.set(role, await seedKey(member.userId, aliasOf(role)));
    }
    const other = await onboard(app, 'internal_user');
    const otherSecret = await seedKey(other.userId, OTHER_ALIAS);

    // Spend: $1.50 on the internal user's key and $2.25 on the other user's, over a few days.
    const mine = secrets.get('internal_user') as string;
    const imported = await app.importSpend([
      ...[0.5, 0.25, 0.5, 0.25].map((spend, i) => spendRow(mine, spend, i * 3, 'gpt-4o-mini')),
      ...[0.75, 0.5, 0.25, 0.5, 0.25].map((spend, i) => spendRow(otherSecret, spend, i * 2 + 1)),
    ]);
    expect(imported).toEqual({ imported: 9, skipped: 0 });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each(ROLES)('shows %s only the navigation and buttons its role allows', async (role) => {
    const expected = EXPECTED[role];
    const page = await signIn(role);

    // The keys page lists the member's own key; buttons follow the role.
    await keyRow(page, aliasOf(role)).waitFor();
    expect(await page.getByTestId('nav-keys').count()).toBe(1);
    expect(await page.getByTestId('nav-usage').count()).toBe(1);
    expect(await page.getByTestId('nav-users').count()).toBe(expected.users ? 1 : 0);
    expect(await page.getByTestId('create-key').count()).toBe(expected.createKey ? 1 : 0);

    // Delete buttons: on every row for roles that may change keys, on none for viewers.
    const rows = await page.getByTestId('key-row').count();
    const deletes = page.getByTestId('key-delete');
    expect(await deletes.count()).toBe(expected.changeKeys ? rows : 0);
    if (expected.changeKeys) {
      expect(await deletes.first().isEnabled()).toBe(true);
    }
    expect(await page.getByTestId('key-regenerate').count()).toBe(expected.changeKeys ? rows : 0);

    // Admin roles open the users list; only proxy_admin may add users.
    if (expected.users) {
      await page.getByTestId('nav-users').click();
      await page.getByTestId('user-row').first().waitFor();
      expect(await page.getByTestId('new-user').count()).toBe(expected.newUser ? 1 : 0);
      const users = await page.getByTestId('user-row').count();
      expect(await page.getByTestId('user-delete').count()).toBe(expected.newUser ? users : 0);
    }

    await page.context().close();
  });

  it('lists only their own keys to an internal user', async () => {
    // An admin viewer sees the other user's key, so it exists.
    const viewer = await signIn('proxy_admin_viewer');
    await keyRow(viewer, OTHER_ALIAS).waitFor();
    await viewer.context().close();

    // The internal user sees their own keys and not that one.
    const page = await signIn('internal_user');
    await keyRow(page, aliasOf('internal_user')).waitFor();
    expect(await page.getByText('Your keys.').count()).toBe(1);
    expect(await keyRow(page, OTHER_ALIAS).count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(OTHER_ALIAS);
    await page.context().close();
  });

  it('keeps an internal user off the users page typed into the address bar', async () => {
    const page = await signIn('internal_user');

    // Going straight to /ui/users ends on the keys page, without the users list.
    await page.goto('/ui/users');
    await keyRow(page, aliasOf('internal_user')).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/keys');
    expect(await page.getByTestId('users-table').count()).toBe(0);
    expect(await page.getByTestId('user-row').count()).toBe(0);
    await page.context().close();
  });

  it.each(ROLES)('lets %s open the usage page with the spend it may see', async (role) => {
    const page = await signIn(role);

    // The usage page opens from the navigation and totals the spend in the role's scope.
    await page.getByTestId('nav-usage').click();
    await page.getByTestId('usage-totals').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/usage');
    expect(await textOf(page, 'usage-total-spend')).toBe(EXPECTED[role].spend);
    await page.getByTestId('usage-chart').waitFor();
    if (role === 'proxy_admin') {
      await screenshot(page, 'usage');
    }

    await page.context().close();
  });
});
