/**
 * The criteria form builder against the real server in demo mode: the provincial industry department starts
 * a new draft from the published criteria, adds "dormitory beds ≥ N" with the form (no JSON typed), sees the
 * JSON view follow and a change there come back to the form, tries the draft on a sample enterprise, brings
 * the rule tests up to date from the sample, edits the tier decision table, saves, publishes; the public
 * criteria page (no sign-in) then lists the new criterion. Screenshots land in e2e/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

const platform = useDemoPlatform();
const { run, signInAs } = platform;

/** Picks an option in the open select dropdown. */
async function pick(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
}

const TITLE = '工业生产领域“四保”白名单遴选标准（2022年6月修订）';
const LABEL = '宿舍床位不少于60张';

describe('criteria form builder', { timeout: 300_000 }, () => {
  test('a department builds a criterion in the form, tests it, publishes, and the public sees it', async () => {
    await run('crit-builder', DESKTOP, async (page) => {
      await signInAs(page, 'province.industry');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '遴选标准' }).click();
      await page.waitForURL('**/criteria');
      await page.locator('[data-testid^="criteria-v"]').first().waitFor();
      await page.getByRole('button', { name: '新建草稿' }).click();
      const drawer = page.locator('.ant-drawer-body');
      await drawer.getByLabel('标题').fill(TITLE);

      // The form shows the published criteria, one card each; a new one is added with the form.
      const builder = drawer.getByTestId('criteria-builder');
      const cards = builder.getByTestId('criterion');
      await cards.first().waitFor();
      const before = await cards.count();
      assert.ok(before >= 5, 'the published criteria are in the form');
      await builder.getByRole('button', { name: '添加一条标准' }).click();
      assert.equal(await cards.count(), before + 1);
      const added = cards.last();
      await pick(page, added.getByLabel('依据'), '宿舍床位数');
      // The operator fits a number; the name follows the fact until it is changed.
      assert.equal(await added.getByLabel('名称').inputValue(), '宿舍床位数');
      await added.getByTitle('≥', { exact: true }).waitFor();
      await added.getByText('请填写取值').waitFor();
      await added.getByLabel('取值').fill('50');
      await added.getByLabel('名称').fill(LABEL);
      await added.getByText('请填写取值').waitFor({ state: 'detached' });
      // The explanation the applicant will read, for the sample enterprise (which has not given its beds).
      await added.getByTestId('criterion-reason').getByText('宿舍床位数 ≥ 50 张（无数据）?').waitFor();

      // The JSON view follows the form …
      await drawer.getByRole('tab', { name: '高级（JSON）' }).click();
      const json = drawer.getByTestId('criteria-rule');
      const text = await json.inputValue();
      const rule = JSON.parse(text) as { all: { id: string; fact: string; op: string; value: unknown }[] };
      assert.deepEqual(rule.all.at(-1), { id: LABEL, fact: 'dormitoryBeds', op: 'gte', value: 50 });
      // … and valid JSON typed there comes back to the form.
      await json.fill(text.replace('"value": 50', '"value": 60'));
      await drawer.getByRole('tab', { name: '表单编辑' }).click();
      assert.equal(await added.getByLabel('取值').inputValue(), '60');
      await added.getByTestId('criterion-reason').getByText('宿舍床位数 ≥ 60 张（无数据）?').waitFor();

      // The old rule tests no longer pass (the beds are not given); the pre-publish check says so.
      const sample = drawer.getByTestId('criteria-sample');
      const tests = sample.getByTestId('criteria-test-list');
      const allMet = tests.locator('tr').filter({ hasText: '全部达标' });
      await allMet.getByText('未通过').waitFor();
      await sample
        .getByTestId('publish-check')
        .getByText(/^发布前检查：还有 \d+ 个问题$/)
        .waitFor();
      await screenshot(page, 'crit-builder-form');

      // Load the test into the sample, give the beds, see it eligible, update the test.
      for (const name of ['全部达标', '未填报物资储备天数']) {
        await tests.locator('tr').filter({ hasText: name }).getByRole('button', { name: '载入试算' }).click();
        assert.equal(await sample.getByLabel('测试名称').inputValue(), name);
        await sample.getByLabel('宿舍床位数').fill('200');
        await sample.getByText('由床位数和员工人数计算：1').waitFor();
        await sample.getByRole('button', { name: '更新同名测试' }).click();
      }
      await sample.getByTestId('sample-result').getByText('试算结果：信息不全，暂无法判定').waitFor();
      await sample.getByLabel('防疫物资和生活用品储备天数').fill('21');
      await sample.getByTestId('sample-result').getByText('试算结果：符合遴选标准').waitFor();
      await sample.getByTestId('sample-result').getByText('宿舍床位数 ≥ 60 张（实际 200 张）✓').waitFor();
      await added.getByTestId('criterion-reason').getByText('宿舍床位数 ≥ 60 张（实际 200 张）✓').waitFor();
      await allMet.getByText('通过', { exact: true }).waitFor();
      await sample.getByTestId('publish-check').getByText('发布前检查：可以发布').waitFor();
      await screenshot(page, 'crit-builder-sample');

      // The tier decision table, edited in the form, decides the sample's tier at once.
      const rows = drawer.getByTestId('tier-builder').getByTestId('tier-row');
      assert.equal(await rows.count(), 2, 'province and city rows of the published table');
      await sample.getByLabel('年产值或计划总投资').fill('60000');
      await sample.getByTestId('sample-result').getByText('保障层级：市级').waitFor();
      const cityValue = rows.nth(1).getByLabel('取值');
      assert.equal(await cityValue.inputValue(), '50000');
      await cityValue.fill('80000');
      await sample.getByTestId('sample-result').getByText('保障层级：县级').waitFor();
      await rows.nth(1).scrollIntoViewIfNeeded();
      await screenshot(page, 'crit-builder-tiers', false);

      await page.locator('.ant-drawer-extra').getByRole('button', { name: '保存' }).click();
      await drawer.waitFor({ state: 'hidden' });
      const newest = page.locator('[data-testid^="criteria-v"]').filter({ hasText: '草稿' }).first();
      await newest.getByText(TITLE).waitFor();
      // By its version from here on: publishing changes its status.
      const draft = page.getByTestId((await newest.getAttribute('data-testid')) ?? '');
      await draft.getByText('草稿', { exact: true }).waitFor();
      await draft.getByText('宿舍床位数 ≥ 60 张').waitFor();
      await draft.getByRole('button', { name: '发布' }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '发布' }).click();
      await draft.getByText('已发布', { exact: true }).waitFor();
      // The version it replaced is retired.
      await page.getByTestId('criteria-v1').getByText('已停用', { exact: true }).waitFor();
      await screenshot(page, 'crit-builder-published', false);
    });

    await run('crit-public', PHONE, async (page) => {
      await page.goto('/public/whitelist?tab=criteria');
      const card = page.getByTestId('public-criteria');
      await card.getByText(TITLE).waitFor();
      await card.getByText('宿舍床位数 ≥ 60 张', { exact: true }).waitFor();
      await screenshot(page, 'crit-public-phone');
    });
  });
});
