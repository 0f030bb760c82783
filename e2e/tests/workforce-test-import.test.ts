/**
 * An enterprise imports its employees' test results from a file, in the browser against the real server in
 * demo mode: the roster page's "导入核酸结果" dialog, a CSV for one of its own employees (progress to success),
 * then a file naming someone not on its roster (row-numbered error, nothing imported).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
// The file itself, not the package's index: Node's type stripping needs the `.ts` extensions it lacks.
import { computeIdCheckDigit } from '../../packages/contracts/src/validators.ts';
import { DESKTOP, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

/** A valid 居民身份证号 born in 金水区 (410105) on 1985-03-12, with its GB 11643 check digit. */
function idNumber(serial: number): string {
  const first17 = `41010519850312${String(serial).padStart(3, '0')}`;
  return first17 + computeIdCheckDigit(first17);
}

/** The demo's registered lab (apps/server/src/demo/demo.generate.ts). */
const LAB = '郑州市核酸检测实验室(演示)';

/** Beijing wall-clock time `hours` from now, as people type it: `2022-06-02 08:30`. */
const beijing = (hours: number) =>
  new Date(Date.now() + (hours + 8) * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function resultsCsv(rows: string[][]): Buffer {
  const header = ['身份证号', '姓名', '采样时间', '检测结果', '检测方式', '检测机构', '样本编号'];
  return Buffer.from(`\uFEFF${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
}

const platform = useDemoPlatform();
const { run, signInAs } = platform;

async function importFile(page: Page, name: string, buffer: Buffer) {
  await page.getByTestId('import-test-results').click();
  const dialog = page.getByRole('dialog', { name: '导入本企业员工核酸检测结果' });
  await dialog.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await dialog.getByRole('button', { name: '开始导入' }).click();
  return dialog;
}

describe('workforce test-result import', { timeout: 300_000 }, () => {
  test('an enterprise imports its employees’ results; an ID number off its roster is a row error', async () => {
    await run('workforce-test-import', DESKTOP, async (page) => {
      await signInAs(page, 'enterprise.zhongyuan-foods');
      const added = await page.request.post('/api/v1/workforce/employees', {
        data: {
          name: '核酸甲',
          idNumber: idNumber(861),
          phone: '13812340861',
          roleCategory: 'regular',
          healthCode: 'green',
          itineraryCode: 'normal',
        },
      });
      assert.equal(added.status(), 201, await added.text());

      await page.goto('/workforce/roster');
      const ok = await importFile(
        page,
        '核酸结果.csv',
        resultsCsv([[idNumber(861), '核酸甲', beijing(-2), '阴性', '混检', LAB, 'E2E-861']]),
      );
      await ok.locator('[data-testid=job-progress][data-status=succeeded]').waitFor({ timeout: 60_000 });
      await ok.getByText('导入成功，共导入 1 条').waitFor();
      await screenshot(page, 'workforce-test-import-desktop', false);
      await ok.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await ok.waitFor({ state: 'hidden' });

      const refused = await importFile(
        page,
        '错误.csv',
        resultsCsv([[idNumber(862), '无此人', beijing(-2), '阴性', '混检', LAB, 'E2E-862']]),
      );
      await refused.locator('[data-testid=job-progress][data-status=failed]').waitFor({ timeout: 60_000 });
      await refused.getByText('该身份证号不在本企业在岗员工名册中', { exact: false }).first().waitFor();
      const text = (await refused.textContent()) ?? '';
      assert.ok(!text.includes(idNumber(862)), 'the error does not echo the full ID number');
      await screenshot(page, 'workforce-test-import-refused-desktop', false);
    });
  });
});
