/**
 * Registry flows against the real server in demo mode. (i) The 金水区 industry bureau registers a new
 * enterprise in the web form, links a demo enterprise as its downstream partner (链式保障) and assigns the
 * liaison cadre (包保干部); after a reload the enterprise's page shows both, the phone masked. (ii) On a
 * phone, an enterprise not yet in the registry registers itself; the 金水区 command office confirms it in the
 * registration queue; the enterprise then signs in with the account it chose. Screenshots land in
 * e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
// The file itself, not the package's index: Node's type stripping needs the `.ts` extensions it lacks.
import { computeUsccCheckChar } from '../../packages/contracts/src/validators.ts';
import { DESKTOP, PHONE, screenshot, signIn } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const platform = useDemoPlatform();
const { run, signInAs } = platform;

/** A valid USCC in 金水区 (410105) that no demo enterprise has. */
function uscc(serial: number): string {
  const first17 = `91410105MAF2E${String(serial).padStart(4, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

const CREATED = { uscc: uscc(1), name: '金水晨光精密仪器有限公司' };
const LIAISON = { name: '张包保', phone: '13912345678', unit: '金水区工信局' };
const REGISTERED = { uscc: uscc(2), name: '金水晨光冷链配送有限公司' };
const NEW_USER = 'jinshui.chenguang-cold';
const NEW_PASSWORD = 'Lenglian#Peisong2022';

describe('registry flows', { timeout: 300_000 }, () => {
  test('an official creates an enterprise, links a downstream enterprise and sets the liaison', async () => {
    await run('reg-create-link-liaison', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.industry');
      // A demo enterprise of the county to link to.
      const list = (await (await page.request.get('/api/v1/enterprises?limit=5')).json()) as {
        items: { name: string; uscc: string }[];
      };
      const partner = list.items[0];
      assert.ok(partner, 'a demo enterprise in 金水区');

      await page.getByTestId('main-menu').getByRole('menuitem', { name: '企业名录' }).click();
      await page.waitForURL('**/enterprises');
      await page.getByRole('button', { name: '新增企业' }).click();
      const dialog = page.getByRole('dialog', { name: '新增企业(项目)' });
      await dialog.getByLabel('统一社会信用代码').fill(CREATED.uscc);
      await dialog.getByLabel('企业(项目)名称').fill(CREATED.name);
      // The county official's own county and sector come filled in.
      await dialog.getByText('金水区', { exact: true }).waitFor();
      await dialog.getByText('工业生产', { exact: true }).waitFor();
      await dialog.getByLabel('地址').fill('郑州市金水区文化路 88 号');
      await dialog.getByLabel('员工人数').fill('260');
      await dialog.getByLabel('年产值/计划总投资（万元）').fill('8800');
      await screenshot(page, 'reg-create-dialog', false);
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // The new enterprise's page opens at once.
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByText(CREATED.name).first().waitFor();
      await drawer.getByText(CREATED.uscc).first().waitFor();
      const links = drawer.getByTestId('enterprise-links');
      await links.getByText('暂无关联企业').waitFor();

      await links.getByRole('button', { name: '添加关联' }).click();
      const linkDialog = page.getByRole('dialog', { name: `添加关联：${CREATED.name}` });
      await linkDialog.getByText('下游', { exact: true }).click();
      const picker = linkDialog.getByLabel('关联企业');
      await picker.click();
      await picker.fill(partner.uscc);
      await page
        .locator('.ant-select-dropdown:visible')
        .getByText(`${partner.name}（${partner.uscc}）`)
        .click();
      await linkDialog.getByLabel('备注（可选）').fill('冷链配送');
      await linkDialog.getByRole('button', { name: '保存' }).click();
      await linkDialog.waitFor({ state: 'hidden' });
      await links.getByText(partner.name).waitFor();

      const liaison = drawer.getByTestId('enterprise-liaison');
      await liaison.getByText('尚未指定包保干部').waitFor();
      await liaison.getByRole('button', { name: '指定包保干部' }).click();
      await liaison.getByLabel('姓名').fill(LIAISON.name);
      await liaison.getByLabel('手机号码').fill(LIAISON.phone);
      await liaison.getByLabel('所在单位（可选）').fill(LIAISON.unit);
      await liaison.getByRole('button', { name: '保存' }).click();
      await liaison.getByText(LIAISON.name).waitFor();

      // A fresh page: the enterprise, found by its USCC, still shows the link and the liaison.
      await page.goto(`/enterprises?q=${encodeURIComponent(CREATED.uscc)}`);
      await page.locator('.ant-table-tbody').getByText(CREATED.name, { exact: true }).click();
      const reopened = page.locator('.ant-drawer-body');
      const link = reopened.getByTestId('enterprise-links').locator('.ant-list-item');
      await link.first().waitFor();
      assert.equal(await link.count(), 1);
      await link.getByText('下游', { exact: true }).waitFor();
      await link.getByText(partner.name).waitFor();
      await link.getByText('冷链配送', { exact: false }).waitFor();
      const shown = reopened.getByTestId('enterprise-liaison');
      await shown.getByText(LIAISON.name).waitFor();
      await shown.getByText(LIAISON.unit).waitFor();
      await shown.getByText('139****5678').waitFor();
      assert.equal(await shown.getByText(LIAISON.phone).count(), 0, 'the phone is masked');
      await screenshot(page, 'reg-enterprise-linked');
    });
  });

  test('a new enterprise registers on a phone, the county confirms it, and it signs in', async () => {
    await run('reg-self-register-phone', PHONE, async (page) => {
      await page.goto('/login');
      await page.getByRole('link', { name: '企业账户认领 / 新企业登记' }).click();
      await page.waitForURL('**/claim');
      await page.getByRole('tab', { name: '新企业登记' }).click();
      const form = page.getByRole('tabpanel', { name: '新企业登记' });
      await form.getByLabel('统一社会信用代码').fill(REGISTERED.uscc);
      await form.getByLabel('企业(项目)名称').fill(REGISTERED.name);
      const sectors = form.getByLabel('行业领域');
      await sectors.fill('商贸');
      await page.locator('.ant-select-dropdown:visible').getByText('商贸流通', { exact: true }).waitFor();
      await sectors.press('Enter');
      await sectors.press('Escape');
      await form.locator('.ant-select-selection-item').getByText('商贸流通').waitFor();
      await form.getByLabel('所在县(市、区)区划代码').fill('410105');
      await form.getByLabel('地址').fill('郑州市金水区北三环 6 号');
      await form.getByLabel('员工人数').fill('85');
      await form.getByLabel('年产值/计划总投资（万元）').fill('980');
      await form.getByLabel('登录用户名').fill(NEW_USER);
      await form.getByLabel('联系人姓名').fill('李经理');
      await form.getByLabel('登录密码').fill(NEW_PASSWORD);
      await form.getByLabel('确认密码').fill(NEW_PASSWORD);
      await screenshot(page, 'reg-self-register-phone');
      await form.getByRole('button', { name: '提交登记' }).click();
      await page.getByText('登记已提交').waitFor();
      await page.getByText(`所在县(市、区)确认后，即可使用用户名 ${NEW_USER} 登录。`).waitFor();
      assert.ok(!decodeURIComponent(page.url()).includes(NEW_PASSWORD), 'no secret in the address');

      // Not confirmed yet: signing in is refused.
      await signIn(page, { username: NEW_USER, password: NEW_PASSWORD });
      await page.getByRole('alert').first().waitFor();
      assert.ok(page.url().endsWith('/login'), 'still on the sign-in page');
    });

    await run('reg-confirm', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.command');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '企业登记确认' }).click();
      await page.waitForURL('**/registrations');
      const card = page.getByTestId('registration').filter({ hasText: REGISTERED.name });
      await card.getByText(REGISTERED.uscc).waitFor();
      await card.getByText('商贸流通').waitFor();
      await card.getByText(NEW_USER).waitFor();
      await card.getByText('待确认').waitFor();
      await screenshot(page, 'reg-queue-pending', false);
      await card.getByRole('button', { name: '确认', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `确认登记：${REGISTERED.name}` });
      await dialog.getByText('确认后将建立该企业的名录信息和企业账户。').waitFor();
      await dialog.getByRole('button', { name: '确认', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      // Gone from the pending list, listed as confirmed.
      await card.waitFor({ state: 'detached' });
      await page.getByText('已确认', { exact: true }).first().click();
      const confirmed = page.getByTestId('registration').filter({ hasText: REGISTERED.name });
      await confirmed.getByText('已确认', { exact: true }).waitFor();
      // And in the registry.
      await page.goto(`/enterprises?q=${encodeURIComponent(REGISTERED.uscc)}`);
      await page.locator('.ant-table-tbody').getByText(REGISTERED.name, { exact: true }).waitFor();
    });

    await run('reg-registered-signs-in', PHONE, async (page) => {
      await signIn(page, { username: NEW_USER, password: NEW_PASSWORD });
      await page.waitForURL(`${platform.server.baseUrl}/`);
      // The enterprise's own home: greeted by the contact's name, its unit the new enterprise.
      await page.getByText('您好，李经理').waitFor();
      await page.getByText(REGISTERED.name).first().waitFor();
      await screenshot(page, 'reg-registered-home');
    });
  });
});
