/**
 * Browser journeys through the web shell against the real server in demo mode (issue 2, item 17):
 * the province command office and an enterprise user on a phone sign in, see the menu their permissions
 * allow, switch language and sign out; a wrong password reads as a Chinese error.
 * Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot, signIn } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';
import { findAccount } from '../lib/server.ts';

/** The shell's menu as the web defines it (apps/web/src/menu.tsx): label in each language and permission. */
const MENU = [
  { zh: '首页', en: 'Home', permission: null },
  { zh: '企业名录', en: 'Enterprises', permission: 'enterprises.read' },
  { zh: '企业登记确认', en: 'Registrations', permission: 'enterprises.manage' },
  { zh: '行政区划', en: 'Regions', permission: 'regions.read' },
  { zh: '参数', en: 'Parameters', permission: 'parameters.read' },
  { zh: '白名单申报', en: 'Whitelist application', permission: 'whitelist.apply' },
  { zh: '遴选标准', en: 'Criteria', permission: 'whitelist.publish' },
  { zh: '白名单审核', en: 'Whitelist review', permission: 'whitelist.review' },
  { zh: '白名单企业', en: 'Whitelist entries', permission: 'whitelist.oversee' },
  { zh: '抽查', en: 'Spot checks', permission: 'whitelist.oversee' },
  { zh: '公布批次', en: 'Batches', permission: 'whitelist.oversee' },
  { zh: '覆盖率', en: 'Coverage', permission: 'whitelist.oversee' },
  { zh: '员工名册', en: 'Roster', permission: 'workforce.read' },
  { zh: '今日报告', en: 'Daily report', permission: 'workforce.read' },
  { zh: '入豫报备', en: 'Arrivals', permission: 'workforce.read' },
  { zh: '电子哨预警', en: 'Sentinel alerts', permission: 'alerts.read' },
  { zh: '企业防疫合规', en: 'Compliance', permission: 'whitelist.oversee' },
  { zh: '我的账户', en: 'My account', permission: null },
] as const;

const platform = useDemoPlatform();
const journey = platform.run;

/** The labels of the main menu, once it shows. */
async function menuLabels(page: Page): Promise<string[]> {
  const items = page.getByTestId('main-menu').getByRole('menuitem');
  await items.first().waitFor();
  return (await items.allInnerTexts()).map((text) => text.trim());
}

/** What the menu must show for these permissions, in this language. */
function expectedMenu(permissions: string[], lang: 'zh' | 'en'): string[] {
  return MENU.filter((entry) => entry.permission === null || permissions.includes(entry.permission)).map(
    (entry) => entry[lang],
  );
}

async function permissionsOf(page: Page): Promise<string[]> {
  const response = await page.request.get('/api/v1/auth/me');
  assert.equal(response.status(), 200);
  const me = (await response.json()) as { permissions: string[] };
  return me.permissions;
}

async function signOut(page: Page, labels: { userMenu: string; logout: string }): Promise<void> {
  await page.getByRole('button', { name: labels.userMenu }).click();
  await page.getByRole('menuitem', { name: labels.logout }).click();
  await page.waitForURL('**/login');
}

describe('web shell', { timeout: 300_000 }, () => {
  test('the province command office signs in, sees its menu and the regions, reads it in English, signs out', async () => {
    const account = findAccount(platform.server.accounts, 'command_office', 'province');
    await journey('province-command-office', DESKTOP, async (page) => {
      await page.goto('/');
      await page.waitForURL('**/login');
      await signIn(page, account);
      await page.waitForURL(`${platform.server.baseUrl}/`);

      const permissions = await permissionsOf(page);
      const labels = await menuLabels(page);
      assert.deepEqual(labels, expectedMenu(permissions, 'zh'));
      assert.ok(labels.includes('行政区划') && labels.includes('参数'), `menu: ${labels.join(', ')}`);
      await page.getByText(account.orgUnit).first().waitFor();
      await page.getByText('省级 · 指挥部办公室').first().waitFor();
      await page.getByRole('heading', { name: /^您好/ }).waitFor();
      await screenshot(page, 'province-home');

      await page.getByTestId('main-menu').getByRole('menuitem', { name: '行政区划' }).click();
      await page.waitForURL('**/regions');
      const tree = page.locator('.ant-tree');
      await tree.getByText('郑州市', { exact: true }).waitFor();
      // Children load when a node opens: Zhengzhou's districts.
      await tree.locator('.ant-tree-treenode', { hasText: '郑州市' }).locator('.ant-tree-switcher').click();
      await tree.getByText('金水区', { exact: true }).waitFor();
      await tree.getByText('郑州市', { exact: true }).click();
      await page.getByText('410100', { exact: true }).last().waitFor();
      await screenshot(page, 'province-regions');

      await page.getByText('EN', { exact: true }).click();
      await page.getByTestId('main-menu').getByRole('menuitem', { name: 'Regions' }).waitFor();
      assert.deepEqual(await menuLabels(page), expectedMenu(permissions, 'en'));
      await page.getByRole('heading', { name: 'Administrative divisions' }).waitFor();
      await screenshot(page, 'province-regions-en');

      await signOut(page, { userMenu: 'Account menu', logout: 'Sign out' });
      await page.getByText('You have signed out').waitFor();
      await screenshot(page, 'province-signed-out-en');

      // The session is gone: a page behind it leads back to sign-in.
      await page.goto('/regions');
      await page.waitForURL('**/login');
    });
  });

  test('the parameters page shows the seed numbers with their documents', async () => {
    const account = findAccount(platform.server.accounts, 'command_office', 'province');
    await journey('parameters', DESKTOP, async (page) => {
      await signIn(page, account);
      await page.waitForURL(`${platform.server.baseUrl}/`);
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '参数' }).click();
      await page.waitForURL('**/parameters');
      const rows = page.locator('.ant-table-row');
      await rows.first().waitFor();
      assert.ok((await rows.count()) > 0);
      await rows.first().getByRole('button').first().click(); // expand the first row's timeline
      await page.locator('.param-timeline').first().waitFor();
      await screenshot(page, 'province-parameters');
    });
  });

  test('an enterprise user on a phone gets the menu in a drawer and signs out', async () => {
    const account = findAccount(platform.server.accounts, 'enterprise');
    await journey('enterprise-phone', PHONE, async (page) => {
      await signIn(page, account);
      await page.waitForURL(`${platform.server.baseUrl}/`);
      await page.getByRole('heading', { name: /^您好/ }).waitFor();
      await page.getByText('企业(项目)').first().waitFor();
      assert.equal(await page.locator('.ant-layout-sider').count(), 0, 'no side menu on a phone');
      await screenshot(page, 'enterprise-phone-home');

      await page.getByRole('button', { name: '打开菜单' }).click();
      const permissions = await permissionsOf(page);
      const labels = await menuLabels(page);
      assert.deepEqual(labels, expectedMenu(permissions, 'zh'));
      assert.equal(labels.includes('参数'), permissions.includes('parameters.read'));
      await page.getByText(account.orgUnit).first().waitFor();
      await screenshot(page, 'enterprise-phone-menu', false);

      await page.getByTestId('main-menu').getByRole('menuitem', { name: '我的账户' }).click();
      await page.waitForURL('**/account');
      await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
      await page.getByRole('heading', { name: '我的账户' }).waitFor();
      await page.getByText('至少 12 个字符').waitFor();
      await screenshot(page, 'enterprise-phone-account');

      await signOut(page, { userMenu: '用户菜单', logout: '退出登录' });
      await page.getByText('您已安全退出').waitFor();
    });
  });

  test('a user without a permission sees neither its menu entry nor its page', async (t) => {
    const account = platform.server.accounts.find((candidate) => candidate.role === 'checkpoint');
    if (!account) {
      t.skip('no checkpoint account in the demo data');
      return;
    }
    await journey('checkpoint-forbidden', DESKTOP, async (page) => {
      await signIn(page, account);
      await page.waitForURL(`${platform.server.baseUrl}/`);
      const permissions = await permissionsOf(page);
      assert.ok(!permissions.includes('parameters.read'));
      const labels = await menuLabels(page);
      assert.deepEqual(labels, expectedMenu(permissions, 'zh'));
      assert.ok(!labels.includes('参数'));

      await page.goto('/parameters');
      await page.getByText('没有访问权限').waitFor();
      await screenshot(page, 'checkpoint-403');
    });
  });

  test('a session that ends on the server sends the user back to sign in with a notice', async () => {
    const account = findAccount(platform.server.accounts, 'command_office', 'province');
    await journey('session-expired', DESKTOP, async (page) => {
      await signIn(page, account);
      await page.waitForURL(`${platform.server.baseUrl}/`);
      await page.context().clearCookies();
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '参数' }).click();
      await page.waitForURL('**/login');
      await page.getByText('登录已过期，请重新登录').waitFor();
      await screenshot(page, 'session-expired');

      // Signing in again leads back to the page the user was opening.
      await page.getByLabel('用户名', { exact: true }).fill(account.username);
      await page.getByLabel('密码', { exact: true }).fill(account.password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL('**/parameters');
      await page.locator('.ant-table-row').first().waitFor();
    });
  });

  test('a wrong password reads as a Chinese error and stays on the login page', async () => {
    const account = findAccount(platform.server.accounts, 'enterprise');
    await journey('wrong-password', PHONE, async (page) => {
      await signIn(page, { username: account.username, password: `${account.password}-wrong` });
      const alert = page.getByRole('alert').filter({ hasText: '用户名或密码错误' });
      await alert.waitFor();
      assert.match(page.url(), /\/login$/);
      await screenshot(page, 'wrong-password-phone');
    });
  });
});
