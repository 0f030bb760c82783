/**
 * Whitelist management for officials against the real server in demo mode: the province command office
 * reads the coverage page (bar chart against the target, the region table); the Zhengzhou industry bureau
 * records a failed spot check on an active entry, suspends it with a reason and finds both in the history
 * and the checks; the same pages on a phone. Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { animationsDone, DESKTOP, PHONE, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const platform = useDemoPlatform();
const { run, signInAs } = platform;

/** Types a date into an antd DatePicker and confirms it. */
async function pickDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByRole('dialog').getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

const REASON = '抽查发现核酸检测超过48小时，暂停保障待整改';

describe('whitelist management', { timeout: 300_000 }, () => {
  test('the province command office sees coverage by sector against the target and by city', async () => {
    await run('wl-coverage', DESKTOP, async (page) => {
      await signInAs(page, 'province.command');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '覆盖率' }).click();
      await page.waitForURL('**/whitelist/coverage');
      await page.getByTestId('coverage-bars').locator('canvas').waitFor();
      await page.getByTestId('coverage-trend').locator('canvas').waitFor();
      const cities = page.getByTestId('coverage-regions').locator('.ant-table-tbody .ant-table-row');
      await cities.first().waitFor();
      assert.equal(await cities.count(), 18, 'the 17 cities and 济源示范区');
      await cities.filter({ hasText: '郑州市' }).waitFor();
      // Every city shows a percentage or the explicit "no statistics" state, never a blank.
      for (const text of await cities.locator('td:nth-child(2)').allInnerTexts())
        assert.match(text.trim(), /^(\d+\.\d%|无统计数据)$/);
      await page.getByText('超过 70.0%').waitFor();
      await screenshot(page, 'wl-coverage-desktop');
      await page.getByRole('tab', { name: '统计数据' }).click();
      await page.getByRole('button', { name: '下载导入模板' }).waitFor();
      await page.getByTestId('statistics-table').locator('.ant-table-tbody .ant-table-row').first().waitFor();
      await page.getByRole('tab', { name: '入库规划' }).click();
      await page.getByText('待审核和退回补正的申报', { exact: false }).waitFor();
      await screenshot(page, 'wl-coverage-planner', false);
    });
  });

  test('the Zhengzhou industry bureau records a failed spot check and suspends the entry', async () => {
    let entryPath = '';
    await run('wl-suspend', DESKTOP, async (page) => {
      await signInAs(page, 'zhengzhou.industry');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '白名单企业' }).click();
      await page.waitForURL('**/whitelist/entries');
      await page.getByRole('combobox', { name: '状态' }).click();
      await page.locator('.ant-select-item-option').filter({ hasText: '在册' }).click();
      await page.waitForURL((url) => url.searchParams.get('status') === 'active');
      const rows = page.locator('.ant-table-tbody .ant-table-row');
      await rows.first().waitFor();
      await screenshot(page, 'wl-entries-desktop', false);
      const first = rows.first().locator('a').first();
      const name = (await first.textContent())?.trim() ?? '';
      await first.click();
      await page.waitForURL('**/whitelist/entries/*');
      entryPath = new URL(page.url()).pathname;
      await page.getByRole('heading', { name }).waitFor();
      await page.getByTestId('entry-status').getByText('在册').waitFor();

      // A failed spot check: the suspension is a separate, visible choice, left off here.
      await page.getByRole('button', { name: '登记抽查' }).click();
      const dialog = page.getByRole('dialog');
      await pickDate(page, '抽查日期', '2022-06-29');
      await dialog.getByLabel('发现的问题').fill('部分员工核酸检测超过48小时');
      await dialog.getByText('不合格', { exact: true }).click();
      await pickDate(page, '整改期限', '2022-07-05');
      await dialog.getByText('仅登记抽查结果和整改期限，企业仍在册。').waitFor();
      await screenshot(page, 'wl-spot-check-dialog', false);
      await dialog.getByRole('button', { name: '保存抽查' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const check = page.getByTestId('spot-checks').locator('.ant-table-tbody .ant-table-row').first();
      await check.getByText('不合格').waitFor();
      await check.getByText('2022-07-05').waitFor();

      // Suspend with a reason, confirmed in a dialog.
      await page.getByTestId('entry-actions').getByRole('button', { name: '暂停保障' }).click();
      const confirm = page.getByRole('dialog', { name: `暂停保障：${name}` });
      await confirm.waitFor();
      await animationsDone(page);
      await confirm.getByRole('button', { name: '暂停保障' }).click();
      await confirm.getByText('请填写原因（至少 2 个字）').waitFor();
      await confirm.getByLabel('原因').fill(REASON);
      await confirm.getByRole('button', { name: '暂停保障' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await page.getByTestId('entry-status').getByText('暂停保障').waitFor();
      const history = page.getByTestId('entry-history');
      await history.getByText(REASON).waitFor();
      await history.getByText('zhengzhou.industry', { exact: false }).waitFor();
      // Now suspended: reinstate is offered, suspend is not.
      await page.getByTestId('entry-actions').getByRole('button', { name: '恢复保障' }).waitFor();
      assert.equal(
        await page.getByTestId('entry-actions').getByRole('button', { name: '暂停保障' }).count(),
        0,
      );
      await screenshot(page, 'wl-entry-suspended');
    });

    await run('wl-phone', PHONE, async (page) => {
      await signInAs(page, 'zhengzhou.industry');
      await page.goto(entryPath);
      await page.getByTestId('entry-history').getByText(REASON).waitFor();
      await screenshot(page, 'wl-entry-phone');
      await page.goto('/whitelist/spot-checks?overdue=true');
      await page
        .getByTestId('checks-count')
        .getByText(/^共 \d+ 条$/)
        .waitFor();
      await screenshot(page, 'wl-checks-phone');
      await page.goto('/whitelist/coverage');
      await page.getByTestId('coverage-bars').locator('canvas').waitFor();
      await screenshot(page, 'wl-coverage-phone');
    });
  });
});
