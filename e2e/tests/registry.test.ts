/**
 * The enterprise registry (企业名录) in the browser against the real server in demo mode: the Zhengzhou
 * command office searches it, downloads the import template, imports a CSV it wrote (progress bar to
 * success, the rows in the list, money in 万元), exports the filtered list, then uploads a file with one
 * bad USCC and gets the row-numbered error with nothing imported. On a phone the list is cards.
 * Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
// The file itself, not the package's index: Node's type stripping needs the `.ts` extensions it lacks.
import { computeUsccCheckChar } from '../../packages/contracts/src/validators.ts';
import { DESKTOP, PHONE, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = [
  '统一社会信用代码',
  '企业(项目)名称',
  '类型',
  '行业领域',
  '所在县(市、区)代码',
  '地址',
  '员工人数',
  '年产值或计划总投资(万元)',
  '城市运行保障企业',
];
/** Every name starts with this, so one search finds this journey's rows and nothing of the demo's. */
const MARK = '绿城晨曦';

/** A valid USCC in 金水区 (410105): 工商 (9) enterprise (1), a made-up organisation code, its check char. */
function uscc(serial: number): string {
  const first17 = `91410105MAE2E${String(serial).padStart(4, '0')}`;
  return first17 + computeUsccCheckChar(first17);
}

/** The same code with a wrong check character. */
function badUscc(serial: number): string {
  const good = uscc(serial);
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const wrong = charset[(charset.indexOf(good[17]!) + 1) % charset.length]!;
  return good.slice(0, 17) + wrong;
}

/** A CSV as Excel saves it: UTF-8 with a byte-order mark, CRLF line ends. */
function csv(rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${[HEADER, ...rows].map((row) => row.join(',')).join('\r\n')}\r\n`, 'utf8');
}

const GOOD_ROWS = [
  [
    uscc(1),
    `${MARK}精密机械有限公司`,
    '企业',
    '工业生产',
    '410105',
    '郑州市金水区花园路 1 号',
    '320',
    '12345.67',
    '否',
  ],
  [uscc(2), `${MARK}冷链物流有限公司`, '企业', '商贸流通、交通运输', '410105', '', '85', '980', '是'],
];
/** Row 2 is valid, row 3's USCC is not: the file must import nothing. */
const BAD_ROWS = [
  [uscc(3), `${MARK}新材料有限公司`, '企业', '工业生产', '410105', '', '40', '500', '否'],
  [badUscc(4), `${MARK}食品有限公司`, '企业', '商贸流通', '410105', '', '12', '60', '否'],
];

const platform = useDemoPlatform();
const { run } = platform;

async function openRegistry(page: Page): Promise<void> {
  await platform.signInAs(page, 'zhengzhou.command');
}

/** The registry's count line, e.g. `共 2 家`. */
async function countLine(page: Page): Promise<string> {
  return (await page.getByTestId('registry-count').textContent())?.trim() ?? '';
}

async function searchFor(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('企业名称或统一社会信用代码', { exact: true });
  await box.fill(text);
  await box.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === text);
}

/** Types a county into the region filter (a searchable tree from the official's region down) and picks it. */
async function pickRegion(page: Page, county: string): Promise<void> {
  const box = page.getByRole('combobox', { name: '所在区划' });
  await box.click();
  await box.fill(county);
  await page.locator('.ant-select-tree').getByTitle(county, { exact: true }).click();
  await page.locator('.ant-select-tree').waitFor({ state: 'hidden' });
}

async function uploadInDialog(page: Page, name: string, body: Buffer): Promise<void> {
  const dialog = page.getByRole('dialog', { name: '导入企业名录' });
  await dialog.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: body });
  const sent = page.waitForRequest(
    (request) => request.method() === 'POST' && request.url().endsWith('/api/v1/enterprises/import'),
  );
  await dialog.getByRole('button', { name: '开始导入' }).click();
  const headers = (await sent).headers();
  assert.equal(headers['content-type'], 'text/csv');
  assert.equal(headers['x-file-name'], encodeURIComponent(name));
  assert.match(headers['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
}

describe('enterprise registry', { timeout: 300_000 }, () => {
  test('the Zhengzhou command office searches, imports a CSV with progress, and a bad file imports nothing', async () => {
    await run('registry-import', DESKTOP, async (page) => {
      await openRegistry(page);
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '企业名录' }).click();
      await page.waitForURL('**/enterprises');
      const rows = page.locator('.ant-table-tbody .ant-table-row');
      await rows.first().waitFor();
      assert.match(await countLine(page), /^已显示 50 \/ [\d,]+ 家$/);
      // Scoped by the server: every enterprise listed is in one of Zhengzhou's counties.
      const scoped = (await (await page.request.get('/api/v1/enterprises?limit=200')).json()) as {
        items: { regionCode: string }[];
      };
      assert.ok(scoped.items.length > 0 && scoped.items.every((item) => item.regionCode.startsWith('4101')));
      const firstUscc = (await rows.first().locator('.mono').textContent())?.trim() ?? '';
      await screenshot(page, 'registry-desktop', false);

      // Exact USCC search finds that one enterprise.
      await searchFor(page, firstUscc);
      await page.waitForFunction(
        () => document.querySelectorAll('.ant-table-tbody .ant-table-row').length === 1,
      );
      assert.equal(await countLine(page), '共 1 家');
      assert.equal((await rows.first().locator('.mono').textContent())?.trim() ?? '', firstUscc);

      // The import dialog: the template first.
      await page.getByTestId('registry-toolbar').getByRole('button', { name: '导入' }).click();
      const dialog = page.getByRole('dialog', { name: '导入企业名录' });
      await dialog.waitFor();
      const [templateResponse, templateDownload] = await Promise.all([
        page.waitForResponse((response) => response.url().includes('/api/v1/enterprises/import/template')),
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: '下载导入模板' }).click(),
      ]);
      assert.equal(templateResponse.status(), 200);
      assert.equal(templateResponse.headers()['content-type'], XLSX);
      assert.equal(templateDownload.suggestedFilename(), '企业名录导入模板.xlsx');
      const template = await readFile((await templateDownload.path())!);
      assert.equal(template.subarray(0, 2).toString('latin1'), 'PK', 'the template is an .xlsx (zip) file');

      // Two valid rows: the bar runs to success and says how many were imported.
      await uploadInDialog(page, '郑州企业名录.csv', csv(GOOD_ROWS));
      await dialog.locator('[data-testid=job-progress][data-status=succeeded]').waitFor({ timeout: 60_000 });
      await dialog.getByText('导入成功，共导入 2 条').waitFor();
      await screenshot(page, 'registry-import-succeeded', false);
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // They are in the list, their value in 万元 with separators.
      await searchFor(page, MARK);
      await page.getByText(`${MARK}精密机械有限公司`).waitFor();
      await page.getByText(`${MARK}冷链物流有限公司`).waitFor();
      assert.equal(await countLine(page), '共 2 家');
      const machine = rows.filter({ hasText: `${MARK}精密机械有限公司` });
      await machine.getByText('12,345.67').waitFor();
      await machine.getByText('金水区').waitFor();
      await machine.getByText('工业生产').waitFor();

      // The region filter: a tree from Zhengzhou down. 金水区 keeps both, 中原区 has neither.
      await pickRegion(page, '金水区');
      await page.waitForURL((url) => url.searchParams.get('region') === '410105');
      assert.equal(await countLine(page), '共 2 家');
      await pickRegion(page, '中原区');
      await page.waitForURL((url) => url.searchParams.get('region') === '410102');
      await page.getByText('没有符合条件的企业').waitFor();
      assert.equal(await countLine(page), '共 0 家');
      await page.goBack();
      await page.waitForURL((url) => url.searchParams.get('region') === '410105');
      await machine.waitFor();

      // The detail drawer.
      await machine.getByText(`${MARK}精密机械有限公司`).click();
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByText('郑州市金水区花园路 1 号').waitFor();
      await drawer.getByText('12,345.67 万元').waitFor();
      await drawer.getByText(GOOD_ROWS[0]![0]!, { exact: true }).waitFor();
      await screenshot(page, 'registry-detail', false);
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // The export takes the current filter: the two rows just imported.
      const [exported] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '导出 Excel' }).click(),
      ]);
      assert.equal(exported.suggestedFilename(), '企业名录.xlsx');

      // A file with one bad USCC: row-numbered errors, nothing imported.
      await page.getByTestId('registry-toolbar').getByRole('button', { name: '导入' }).click();
      await dialog.waitFor();
      await uploadInDialog(page, '有错误的名录.csv', csv(BAD_ROWS));
      await dialog.locator('[data-testid=job-progress][data-status=failed]').waitFor({ timeout: 60_000 });
      const errors = dialog.getByTestId('import-errors');
      await errors.getByText('发现 1 处错误，未导入任何数据。请修改后重新上传。').waitFor();
      const errorRow = errors.locator('.ant-table-tbody .ant-table-row');
      assert.equal(await errorRow.count(), 1);
      assert.deepEqual(
        (await errorRow.locator('td').allInnerTexts()).map((text) => text.trim()),
        ['第 3 行', '统一社会信用代码', '统一社会信用代码校验码错误'],
      );
      await screenshot(page, 'registry-import-errors', false);
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // Not even the valid row of that file was added.
      const check = await page.request.get(`/api/v1/enterprises?q=${encodeURIComponent(MARK)}`);
      assert.equal(check.status(), 200);
      const page1 = (await check.json()) as { total: number; items: { name: string }[] };
      assert.equal(page1.total, 2);
      assert.ok(!page1.items.some((item) => item.name === `${MARK}新材料有限公司`));
      await page.reload();
      await rows.first().waitFor();
      assert.equal(await countLine(page), '共 2 家');
    });
  });

  test('on a phone the registry is a list of cards that open the details', async () => {
    await run('registry-phone', PHONE, async (page) => {
      await openRegistry(page);
      await page.goto(`/enterprises?q=${encodeURIComponent(MARK)}`);
      const cards = page.getByTestId('registry-cards').locator('.registry-card');
      await cards.first().waitFor();
      assert.equal(await page.locator('.ant-table').count(), 0, 'no table on a phone');
      assert.equal(await cards.count(), 2);
      await screenshot(page, 'registry-phone');
      await cards.filter({ hasText: `${MARK}冷链物流有限公司` }).click();
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByText('980 万元').waitFor();
      await screenshot(page, 'registry-phone-detail', false);
    });
  });
});
