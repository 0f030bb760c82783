/**
 * Registry administration and criteria against the real server in demo mode: the 金水区 command office
 * issues an activation code for a demo enterprise that has no account yet and signs out; on a phone the
 * enterprise claims its account at /claim and signs in with it. Then the provincial industry department
 * saves a draft criteria naming an unknown fact and is refused on publish, the problem listed.
 * Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DESKTOP, PHONE, screenshot, signIn } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const platform = useDemoPlatform();
const { run, account, signInAs } = platform;

interface EnterpriseRow {
  id: string;
  name: string;
  uscc: string;
}

const NEW_USER = 'jinshui.claimed-e2e';
const NEW_PASSWORD = 'Qiye#Renling2022';

describe('registry administration', { timeout: 300_000 }, () => {
  test('the county issues an activation code and the enterprise claims its account on a phone', async () => {
    let enterprise: EnterpriseRow | undefined;
    let code = '';
    await run('reg-issue-code', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.command');
      // A demo enterprise of the county without an account: the only demo enterprise user is 中原食品's.
      const taken = account('enterprise.zhongyuan-foods').orgUnit;
      const list = (await (await page.request.get('/api/v1/enterprises?limit=50')).json()) as {
        items: EnterpriseRow[];
      };
      enterprise = list.items.find((row) => row.name !== taken);
      assert.ok(enterprise, 'a 金水区 enterprise without an account');

      await page.goto(`/enterprises?q=${encodeURIComponent(enterprise.uscc)}`);
      await page.locator('.ant-table-tbody').getByText(enterprise.name, { exact: true }).click();
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByTestId('enterprise-links').waitFor();
      await drawer.getByTestId('enterprise-liaison').waitFor();
      await drawer.getByRole('button', { name: '发放激活码' }).click();
      const dialog = page.getByRole('dialog', { name: '激活码' });
      await dialog.getByText('激活码只显示这一次', { exact: false }).waitFor();
      await dialog.getByText(/^有效期至 /).waitFor();
      code = ((await dialog.getByTestId('activation-code').textContent()) ?? '').trim();
      assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      assert.ok(!page.url().includes(code), 'the code is not in the address');
      await screenshot(page, 'reg-activation-code', false);
      await dialog.getByRole('button', { name: '我已记下，关闭' }).click();
      await dialog.waitFor({ state: 'hidden' });
      // Gone from the page once closed: nothing keeps it.
      await page.getByText(code).waitFor({ state: 'detached' });

      await page.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: '用户菜单' }).click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      await page.waitForURL('**/login');
    });
    assert.ok(enterprise);
    const claimed = enterprise;

    await run('reg-claim-phone', PHONE, async (page) => {
      await page.goto('/login');
      await page.getByRole('link', { name: '企业账户认领 / 新企业登记' }).click();
      await page.waitForURL('**/claim');
      await page.getByLabel('统一社会信用代码').fill(claimed.uscc);
      await page.getByLabel('激活码').fill(code);
      await page.getByLabel('登录用户名').fill(NEW_USER);
      await page.getByLabel('联系人姓名').fill('王防疫');
      await page.getByLabel('登录密码').fill(NEW_PASSWORD);
      await page.getByLabel('确认密码').fill(NEW_PASSWORD);
      await screenshot(page, 'reg-claim-phone');
      await page.getByRole('button', { name: '开通账户' }).click();
      await page.getByText('账户已开通').waitFor();
      await page.getByText(`请使用用户名 ${NEW_USER} 登录。`).waitFor();
      for (const secret of [code, NEW_PASSWORD])
        assert.ok(!decodeURIComponent(page.url()).includes(secret), 'no secret in the address');

      await page.getByRole('button', { name: '去登录' }).click();
      await page.waitForURL('**/login');
      await signIn(page, { username: NEW_USER, password: NEW_PASSWORD });
      await page.waitForURL(`${platform.server.baseUrl}/`);
      const me = (await (await page.request.get('/api/v1/auth/me')).json()) as {
        user: { role: string };
        orgUnit: { enterpriseId: string | null };
      };
      assert.equal(me.user.role, 'enterprise');
      assert.equal(me.orgUnit.enterpriseId, claimed.id);
      await screenshot(page, 'reg-claimed-home');
    });
  });

  test('a draft criteria with an unknown fact is refused on publish with the problem shown', async () => {
    await run('crit-publish-refused', DESKTOP, async (page) => {
      await signInAs(page, 'province.industry');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '遴选标准' }).click();
      await page.waitForURL('**/criteria');
      await page.locator('[data-testid^="criteria-v"]').first().waitFor();
      await page.getByRole('button', { name: '新建草稿' }).click();
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByLabel('标题').fill('工业生产白名单遴选标准（征求意见稿）');
      await drawer.getByRole('tab', { name: '高级（JSON）' }).click();
      const rule = { all: [{ id: 'moon', fact: 'moonPhase', op: 'eq', value: 'full' }] };
      await drawer.getByTestId('criteria-rule').fill(JSON.stringify(rule, null, 2));
      // Flagged while typing, but a draft may still be saved with it.
      await drawer
        .getByTestId('criteria-warnings')
        .getByText('未知的事实“moonPhase”', { exact: false })
        .waitFor();
      await page.locator('.ant-drawer-extra').getByRole('button', { name: '保存' }).click();
      await drawer.waitFor({ state: 'hidden' });

      const draft = page.locator('[data-testid^="criteria-v"]').filter({ hasText: '草稿' }).first();
      await draft.getByText('moonPhase').waitFor();
      await draft.getByRole('button', { name: '发布' }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '发布' }).click();
      const problems = draft.getByTestId('publish-problems');
      await problems.getByText('不能发布，存在以下问题：').waitFor();
      await problems.getByText('未知的事实').first().waitFor();
      await problems.getByText('moonPhase', { exact: false }).first().waitFor();
      await draft.getByText('草稿', { exact: true }).waitFor();
      await screenshot(page, 'crit-publish-refused');
    });
  });
});
