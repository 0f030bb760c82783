/**
 * 达标即入 from application to the public list, in the browser against the real server in demo mode:
 * the demo enterprise (listed before, it left the whitelist at its own request) applies again on a phone
 * and sees the criteria result at once; the Zhengzhou industry bureau — the reviewer the tier table picks
 * for an enterprise of 18.5 亿元 output (city tier) — approves it in the review queue; a batch is published
 * through the API with that bureau's session; the public page, signed out, lists the enterprise in that
 * batch. Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiCall, DESKTOP, PHONE, wizardQuestion as question, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const ENTERPRISE = '郑州中原食品股份有限公司';

const platform = useDemoPlatform();
const { run, signInAs } = platform;

describe('whitelist application to the public list', { timeout: 300_000 }, () => {
  test('an enterprise applies on a phone, the city bureau approves, a batch makes it public', async () => {
    // Setup through the API: the demo enterprise is listed in the demo data; the Jinshui bureau removes it
    // at the enterprise's request (an ordinary removal, so it may apply again at once).
    await run('whitelist-setup', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.industry');
      const entries = await apiCall(page, 'GET', `/whitelist/entries?q=${encodeURIComponent(ENTERPRISE)}`);
      const items = entries.body.items as Array<{ id: string; status: string }>;
      const listed = items.find((entry) => entry.status !== 'removed');
      assert.ok(listed, 'the demo enterprise is listed in the demo data');
      const removed = await apiCall(page, 'POST', `/whitelist/entries/${listed.id}/remove`, {
        reason: '企业申请退出白名单',
      });
      assert.equal(removed.status, 200);
    });

    await run('whitelist-apply-phone', PHONE, async (page) => {
      await signInAs(page, 'enterprise.zhongyuan-foods');
      await page.goto('/whitelist/apply');
      await page.getByRole('button', { name: '新建申报' }).click();
      const wizard = page.getByTestId('apply-wizard');
      await wizard.getByText('工业生产领域“四保”白名单遴选标准').waitFor();
      await screenshot(page, 'whitelist-apply-criteria-phone');
      await wizard.getByRole('button', { name: '下一步' }).click();

      await question(page, '闭环管理方式').getByText('气泡式闭环').click();
      await page.getByLabel('宿舍床位数').fill('1100');
      await question(page, '内部食堂').getByText('是', { exact: true }).click();
      await question(page, '已设立疫情防控专班').getByText('是', { exact: true }).click();
      await page.getByLabel('专班负责人(班子成员)').fill('王副总经理');
      await page.getByLabel('临时留观点、观察宿舍间数').fill('3');
      await question(page, '核酸采样安排').getByText('纳入属地采样网络').click();
      await question(page, '已制定应急处置预案').getByText('是', { exact: true }).click();
      await page.getByLabel('防疫物资和生活用品储备天数').fill('21');
      await screenshot(page, 'whitelist-apply-answers-phone');
      await wizard.getByRole('button', { name: '下一步' }).click();
      await wizard.locator('input[type=file]').setInputFiles({
        name: '闭环管理方案.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4 demo'),
      });
      await wizard.getByText('闭环管理方案.pdf').waitFor();
      await wizard.getByRole('button', { name: '提交申报' }).click();

      const result = page.getByTestId('criteria-result');
      await result.waitFor();
      const text = (await result.textContent()) ?? '';
      assert.match(text, /符合遴选标准/);
      assert.doesNotMatch(text, /✗|待补充/);
      assert.match(text, /审核部门：市级/);
      await screenshot(page, 'whitelist-apply-result-phone');
      await wizard.getByRole('button', { name: '完成' }).click();

      const mine = page.getByTestId('my-application');
      await mine.first().waitFor();
      assert.match((await mine.first().textContent()) ?? '', /审核中/);
    });

    await run('whitelist-review', DESKTOP, async (page) => {
      await signInAs(page, 'zhengzhou.industry');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '白名单审核' }).click();
      await page.waitForURL('**/whitelist/review');
      const table = page.getByTestId('review-table');
      await table.locator('.ant-table-row').first().waitFor();
      await screenshot(page, 'whitelist-review-queue', false);
      await table.getByText(ENTERPRISE, { exact: true }).click();
      const detail = page.getByTestId('application-detail');
      await detail.waitFor();
      // The answers load after the drawer opens: wait for them before reading the text.
      await detail.getByText('1100 张').first().waitFor();
      assert.match((await detail.textContent()) ?? '', /宿舍床位数[\s\S]*1100 张/);
      await screenshot(page, 'whitelist-review-detail', false);
      await page.getByRole('button', { name: '审核通过' }).click();
      const dialog = page.getByRole('dialog', { name: '审核通过' });
      await dialog.getByRole('button', { name: '确定' }).click();
      await page.getByText('已通过，纳入白名单').first().waitFor();
      await detail.getByText('已纳入').waitFor();

      const batch = await apiCall(page, 'POST', '/whitelist/batches', { sector: 'industry' });
      assert.equal(batch.status, 201, JSON.stringify(batch.body));
      assert.match(String(batch.body.label), /^郑州市工业生产白名单第\d+批$/);
    });

    await run('whitelist-public', DESKTOP, async (page) => {
      await page.goto('/login');
      await page.getByRole('link', { name: '查看公开的白名单与遴选标准' }).click();
      await page.waitForURL('**/public/whitelist');
      await page.getByRole('combobox', { name: '批次' }).click();
      await page.getByRole('combobox', { name: '批次' }).fill('郑州市工业生产');
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: '郑州市工业生产白名单' })
        .first()
        .click();
      await page.waitForURL((url) => url.searchParams.has('batch'));
      const table = page.getByTestId('public-table');
      await table.getByText(ENTERPRISE, { exact: true }).waitFor();
      assert.match((await table.textContent()) ?? '', /在册/);
      await screenshot(page, 'whitelist-public-desktop');

      // The same enterprise's earlier entry shows as removed, with its date.
      // Search first, then clear the batch filter with the batch select's own clear icon (it shows on hover;
      // the region cascader has one too). Nothing is typed after the clear: the cleared select keeps focus
      // with its dropdown open, and an Enter there would pick a batch again.
      await page.getByLabel('企业名称或统一社会信用代码').fill(ENTERPRISE);
      await page.getByLabel('企业名称或统一社会信用代码').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === ENTERPRISE);
      const batchSelect = page
        .locator('.ant-select')
        .filter({ has: page.getByRole('combobox', { name: '批次' }) });
      await batchSelect.hover();
      await batchSelect.locator('.ant-select-clear').click();
      await page.waitForURL(
        (url) => !url.searchParams.has('batch') && url.searchParams.get('q') === ENTERPRISE,
      );
      await page.keyboard.press('Escape');
      await table.getByText(/已移出（\d{4}-\d{2}-\d{2}）/).waitFor();

      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'whitelist-public-print');
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('tab', { name: '遴选标准与管理办法' }).click();
      await page.getByTestId('public-criteria').getByText('管理办法').waitFor();
      await screenshot(page, 'whitelist-public-criteria');
    });

    await run('whitelist-public-phone', PHONE, async (page) => {
      await page.goto(`/public/whitelist?q=${encodeURIComponent(ENTERPRISE)}`);
      await page.getByTestId('public-cards').getByText(ENTERPRISE).first().waitFor();
      await screenshot(page, 'whitelist-public-phone');
    });
  });
});
