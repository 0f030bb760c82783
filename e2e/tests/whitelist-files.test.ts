// Whitelist journeys beyond the first application: materials in the wizard and the review
// drawer, bulk approve in one call, tier change dialog, public city → county cascader.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiCall, DESKTOP, PHONE, wizardQuestion as question, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const ENTERPRISE = '郑州中原食品股份有限公司';
const platform = useDemoPlatform();
const { run, signInAs } = platform;

describe('whitelist materials, bulk review, tier change, public regions', { timeout: 400_000 }, () => {
  test('materials, bulk review, tier change, public cascader', async () => {
    await run('whitelist-files-setup', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.industry');
      const entries = await apiCall(page, 'GET', `/whitelist/entries?q=${encodeURIComponent(ENTERPRISE)}`);
      const listed = (entries.body.items as Array<{ id: string; status: string }>).find(
        (e) => e.status !== 'removed',
      );
      assert.ok(listed, 'the demo enterprise is listed in the demo data');
      const removed = await apiCall(page, 'POST', `/whitelist/entries/${listed.id}/remove`, {
        reason: '企业申请退出白名单',
      });
      assert.equal(removed.status, 200);
    });

    await run('whitelist-files-apply', PHONE, async (page) => {
      await signInAs(page, 'enterprise.zhongyuan-foods');
      await page.goto('/whitelist/apply');
      await page.getByRole('button', { name: '新建申报' }).click();
      const wizard = page.getByTestId('apply-wizard');
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
      await wizard.getByRole('button', { name: '下一步' }).click();
      await wizard.locator('input[type=file]').setInputFiles([
        { name: '安全生产承诺书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 承诺书') },
        { name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') },
      ]);
      await wizard.getByText('安全生产承诺书.pdf').waitFor();
      await screenshot(page, 'whitelist-files-apply-materials-phone');
      await wizard.getByRole('button', { name: '提交申报' }).click();
      await page.getByTestId('criteria-result').waitFor();
      const uploads = page.getByTestId('material-uploads');
      await uploads.getByText('1 个材料上传失败').waitFor();
      await screenshot(page, 'whitelist-files-apply-uploaded-phone');
      await wizard.getByRole('button', { name: '完成' }).click();
      const mine = page.getByTestId('my-application').first();
      await mine.getByText('安全生产承诺书.pdf').waitFor();
      assert.doesNotMatch((await mine.textContent()) ?? '', /伪装/);
      // Add one more from the card (direct upload with progress), then delete it.
      await mine.locator('input[type=file]').setInputFiles({
        name: '闭环方案.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4 方案'),
      });
      await mine.getByText('闭环方案.pdf').waitFor();
      await mine.getByRole('button', { name: '删除 闭环方案.pdf' }).click();
      await page.getByRole('button', { name: '确定' }).click();
      await page.getByText('已删除 闭环方案.pdf').waitFor();
      await screenshot(page, 'whitelist-files-my-application-phone');
    });

    await run('whitelist-files-review', DESKTOP, async (page) => {
      await signInAs(page, 'zhengzhou.industry');
      await page.goto('/whitelist/review');
      const table = page.getByTestId('review-table');
      await table.getByText(ENTERPRISE, { exact: true }).click();
      const files = page.getByTestId('application-detail').getByTestId('application-files');
      await files.getByText('安全生产承诺书.pdf').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        files.getByText('安全生产承诺书.pdf').click(),
      ]);
      assert.equal(download.suggestedFilename(), '安全生产承诺书.pdf');
      await screenshot(page, 'whitelist-files-review-drawer', false);
      await page.keyboard.press('Escape');
      // Bulk: select every approvable row and approve in one call.
      await table.locator('.ant-table-row').first().waitFor();
      const boxes = table.locator('.ant-table-row .ant-checkbox-input:not([disabled])');
      const n = Math.min(await boxes.count(), 3);
      assert.ok(n >= 1, 'something to approve');
      for (let i = 0; i < n; i++) await boxes.nth(i).check();
      const calls: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().includes('/whitelist/applications/')) calls.push(r.url());
      });
      await page.getByRole('button', { name: new RegExp(`批量通过（${n}）`) }).click();
      const dialog = page.getByTestId('bulk-dialog');
      await page.getByRole('button', { name: '确认通过' }).click();
      await dialog.getByText(`已办理 ${n} 件`).waitFor();
      assert.deepEqual(
        calls.map((u) => new URL(u).pathname),
        ['/api/v1/whitelist/applications/review-batch'],
      );
      await screenshot(page, 'whitelist-files-bulk-done', false);
    });

    await run('whitelist-files-tier', DESKTOP, async (page) => {
      await signInAs(page, 'zhengzhou.industry');
      const entries = await apiCall(
        page,
        'GET',
        `/whitelist/entries?q=${encodeURIComponent(ENTERPRISE)}&status=active`,
      );
      const entry = (entries.body.items as Array<{ id: string }>)[0];
      assert.ok(entry, 'the entry is active again');
      await page.goto(`/whitelist/entries/${entry.id}`);
      await page.getByRole('button', { name: '调整保障层级' }).click();
      const form = page.getByTestId('tier-form');
      await form.locator('.ant-select').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '县级' }).click();
      await form.getByLabel('原因').fill('属地县区承接保障');
      await screenshot(page, 'whitelist-files-tier-dialog', false);
      await page.getByRole('dialog').getByRole('button', { name: '调整保障层级' }).click();
      await page.getByTestId('entry-history').getByTestId('tier-change').first().waitFor();
      assert.match(
        (await page.getByTestId('entry-history').textContent()) ?? '',
        /市级 → 县级[\s\S]*属地县区承接保障/,
      );
      await screenshot(page, 'whitelist-files-tier-history');
    });

    await run('whitelist-files-public', DESKTOP, async (page) => {
      await page.goto('/public/whitelist');
      const area = page.getByTestId('public-area');
      await area.click();
      await page.locator('.ant-cascader-menu-item').filter({ hasText: '郑州市' }).click();
      await page.locator('.ant-cascader-menu-item').filter({ hasText: '金水区' }).click();
      await page.waitForURL((url) => url.searchParams.get('region') === '410105');
      // The unfiltered rows stay on screen until the filtered answer arrives: wait until every row's
      // location (the fifth column) is in 金水区, which the unfiltered first page is not.
      await page.waitForFunction(() => {
        const cells = [
          ...document.querySelectorAll('[data-testid="public-table"] .ant-table-row td:nth-child(5)'),
        ];
        return cells.length > 0 && cells.every((cell) => cell.textContent?.includes('金水区'));
      });
      await screenshot(page, 'whitelist-files-public-cascader', false);
    });
  });
});
