/**
 * Workforce in the browser against the real server in demo mode: the demo enterprise user, on a phone,
 * imports a small roster CSV it wrote (progress to success, then the list with masked ID numbers and phones
 * only), and files today's zero report; the county's official then sees the report counted in the day's
 * statistics. Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
// The file itself, not the package's index: Node's type stripping needs the `.ts` extensions it lacks.
import { computeIdCheckDigit } from '../../packages/contracts/src/validators.ts';
import { DESKTOP, PHONE, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

/** A valid 居民身份证号 born in 金水区 (410105) on 1979-08-29, with its GB 11643 check digit. */
function idNumber(serial: number): string {
  const first17 = `41010519790829${String(serial).padStart(3, '0')}`;
  return first17 + computeIdCheckDigit(first17);
}

const PEOPLE = [
  ['晨检甲', idNumber(731), '13812340731', '常规', '包装车间', '甲班', '1号楼'],
  ['晨检乙', idNumber(732), '13812340732', '流动', '物流部', '乙班', ''],
  ['晨检丙', idNumber(733), '13812340733', '城市保供', '配送站', '', '2号楼'],
];

/** A CSV as Excel saves it: UTF-8 with a byte-order mark, CRLF line ends. */
function rosterCsv(): Buffer {
  const header = ['姓名', '身份证号', '手机号码', '岗位类别', '工作单元', '班组', '宿舍'];
  const lines = [header, ...PEOPLE].map((row) => row.join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const platform = useDemoPlatform();
const { run, signInAs } = platform;

describe('workforce', { timeout: 300_000 }, () => {
  test('an enterprise imports its roster and files a zero report on a phone; the county sees it counted', async () => {
    await run('workforce-enterprise-phone', PHONE, async (page) => {
      await signInAs(page, 'enterprise.zhongyuan-foods');
      await page.goto('/workforce/roster');
      await page
        .getByTestId('roster-count')
        .filter({ hasText: /^共 \d+ 人$/ })
        .waitFor();

      await page.getByRole('button', { name: '导入名册' }).click();
      const dialog = page.getByRole('dialog', { name: '导入员工名册' });
      await dialog.locator('input[type=file]').setInputFiles({
        name: '员工名册.csv',
        mimeType: 'text/csv',
        buffer: rosterCsv(),
      });
      const sent = page.waitForRequest(
        (request) =>
          request.method() === 'POST' && request.url().endsWith('/api/v1/workforce/employees/import'),
      );
      await dialog.getByRole('button', { name: '开始导入' }).click();
      assert.match((await sent).headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
      await dialog.locator('[data-testid=job-progress][data-status=succeeded]').waitFor({ timeout: 60_000 });
      await dialog.getByText('导入成功，共导入 3 条').waitFor();
      await screenshot(page, 'workforce-import-phone', false);
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // The list is cards on a phone, with masked values only: never a full ID number or phone.
      const cards = page.getByTestId('roster-cards');
      await cards.waitFor();
      const text = (await page.locator('main, body').first().textContent()) ?? '';
      for (const [, id, phone] of PEOPLE) {
        assert.ok(!text.includes(id!), 'no full ID number on the page');
        assert.ok(!text.includes(phone!), 'no full phone number on the page');
      }
      assert.match(text, /4101\*+\d{3}[\dX]/, 'masked ID numbers are shown');
      await screenshot(page, 'workforce-roster-phone');

      // Today's report: one big zero-report button (filing again replaces the day's report).
      await page.goto('/workforce/daily-report');
      const zero = page.getByTestId('zero-report');
      await page.waitForFunction(() => {
        const button = document.querySelector('[data-testid=zero-report]');
        return button instanceof HTMLButtonElement && !button.disabled;
      });
      const filedBefore = await page.getByTestId('report-filed').isVisible();
      await screenshot(page, 'workforce-report-phone');
      await zero.click();
      if (filedBefore) await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
      await page.getByTestId('report-filed').filter({ hasText: '今日已提交零报告' }).waitFor();
      await page.getByText('再次提交将替换今日已提交的报告').first().waitFor();
      await screenshot(page, 'workforce-report-filed-phone');
    });

    await run('workforce-county-desktop', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.gov');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '今日报告' }).click();
      await page.waitForURL('**/workforce/daily-report');
      const table = page.getByTestId('report-stats');
      const jinshui = table.locator('.ant-table-row').filter({ hasText: '金水区' });
      await jinshui.waitFor();
      const stats = (await (await page.request.get('/api/v1/workforce/daily-reports/stats')).json()) as {
        items: { regionCode: string; reported: number; zero: number }[];
      };
      const row = stats.items.find((item) => item.regionCode === '410105');
      assert.ok(row && row.zero >= 1 && row.reported >= 1, 'the zero report is counted for 金水区');
      await jinshui.getByText(String(row.zero), { exact: true }).first().waitFor();
      await screenshot(page, 'workforce-stats-desktop', false);

      // The roster is read-only for officials, masked like everywhere else.
      await page.goto('/workforce/roster');
      await page.getByTestId('roster-table').locator('.ant-table-row').first().waitFor();
      assert.equal(await page.getByRole('button', { name: '新增员工' }).count(), 0);
      await screenshot(page, 'workforce-roster-desktop', false);

      // The alerts inbox with open alerts counted by county.
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '电子哨预警' }).click();
      await page
        .getByTestId('alerts-count')
        .filter({ hasText: /^共 \d+ 条$/ })
        .waitFor();
      await page.getByTestId('alert-counts').waitFor();
      await screenshot(page, 'workforce-alerts-desktop', false);
    });
  });
});
