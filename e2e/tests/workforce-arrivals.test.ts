/**
 * 入豫报备 in the browser against the real server in demo mode (whose risk-area table lists 上海市浦东新区
 * 310115 as high risk): the demo enterprise user, on a phone, records a visitor from 浦东 who did not register
 * in advance → sees the required action (red code, 7 days central quarantine) and the unregistered-arrival
 * alert, finds the alert in the inbox, and completes the registration. The county's official then finds the
 * enterprise on the compliance view (its arrival counted) and follows it to the arrival. Screenshots land in
 * e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
// The file itself, not the package's index: Node's type stripping needs the `.ts` extensions it lacks.
import { computeIdCheckDigit } from '../../packages/contracts/src/validators.ts';
import { DESKTOP, PHONE, screenshot } from '../lib/browser.ts';
import { useDemoPlatform } from '../lib/platform.ts';

/** A valid 居民身份证号 born in 浦东新区 (310115). */
const first17 = '31011519860414527';
const ID_NUMBER = first17 + computeIdCheckDigit(first17);
const NAME = '浦东来访者';
const MASKED = '浦****';

const platform = useDemoPlatform();
const { run, signInAs } = platform;

describe('workforce arrivals', { timeout: 300_000 }, () => {
  test('an enterprise records an unregistered arrival from a risk county on a phone; the county sees it', async () => {
    let enterpriseId = '';
    let arrivalId = '';

    await run('arrivals-enterprise-phone', PHONE, async (page) => {
      await signInAs(page, 'enterprise.zhongyuan-foods');
      await page.goto('/workforce/arrivals');
      await page
        .getByTestId('arrivals-count')
        .filter({ hasText: /^共 \d+ 人次$/ })
        .waitFor();

      await page.getByRole('button', { name: '登记入豫人员' }).click();
      const dialog = page.getByRole('dialog', { name: '登记入豫人员' });
      await dialog.getByLabel('姓名').fill(NAME);
      await dialog.getByLabel('身份证号').fill(ID_NUMBER);
      await dialog.getByLabel('来源县(市、区)行政区划代码').fill('310115');
      // Arrived an hour ago (the field reads the browser's own time, as a person would type it).
      const anHourAgo = await page.evaluate(() => {
        const at = new Date(Date.now() - 3_600_000);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
      });
      await dialog.getByLabel('到达时间').fill(anHourAgo);
      await dialog.getByText('未报备', { exact: true }).click();
      await screenshot(page, 'arrivals-record-phone', false);

      const answer = page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && response.url().endsWith('/api/v1/workforce/arrivals'),
      );
      await dialog.getByRole('button', { name: '登记并判定' }).click();
      const created = await answer;
      assert.equal(created.status(), 201);
      const body = (await created.json()) as { id: string; enterpriseId: string; idNumber: string };
      enterpriseId = body.enterpriseId;
      arrivalId = body.id;
      assert.notEqual(body.idNumber, ID_NUMBER, 'the answer carries the ID number masked');

      // The decision: red code and central quarantine (浦东 is high risk), and the alert for not registering.
      const decided = page.getByRole('dialog', { name: '登记完成：须采取以下措施' });
      const decision = decided.getByTestId('arrival-decision');
      await decision.getByText('赋红码·集中隔离').waitFor();
      await decision.getByText('高风险').first().waitFor();
      await decision.getByText(/隔离至/).waitFor();
      await decision.getByText('未报备', { exact: true }).waitFor();
      await decision
        .getByTestId('arrival-alert')
        .getByText(/已生成“未报备入豫”预警/)
        .waitFor();
      await decision.getByText(/实施7天集中隔离/).waitFor();
      const shown = (await decision.textContent()) ?? '';
      assert.ok(!shown.includes(ID_NUMBER) && !shown.includes(NAME), 'only masked personal data');
      await screenshot(page, 'arrivals-decision-phone', false);
      await decided.getByRole('button', { name: '完成' }).click();
      await decided.waitFor({ state: 'hidden' });

      // The card in the list, and the alert in the sentinel inbox.
      const card = page.getByTestId('arrival-card').filter({ hasText: MASKED }).first();
      await card.getByText('未报备', { exact: true }).waitFor();
      await card.getByText('已移交属地').waitFor();
      await page.goto('/workforce/alerts?kind=unregistered_arrival');
      await page
        .getByTestId('alert-cards')
        .locator('.ant-card')
        .filter({ hasText: `入豫人员 ${MASKED}` })
        .first()
        .waitFor();
      await screenshot(page, 'arrivals-alert-phone', false);

      // Completing the registration later resolves the alert.
      await page.goto('/workforce/arrivals?unregistered=true');
      const open = page.getByTestId('arrival-card').filter({ hasText: MASKED }).first();
      await open.getByRole('button', { name: '补充报备' }).click();
      const complete = page.getByRole('dialog', { name: '补充报备' });
      await complete.getByLabel('报备编号（可选）').fill('YSB-2026-0001');
      await complete.getByRole('button', { name: '确定' }).click();
      await page.getByText('已补充报备，相关预警已办结').waitFor();
      await page.goto('/workforce/arrivals');
      const done = page.getByTestId('arrival-card').filter({ hasText: MASKED }).first();
      await done.getByText('已补充报备').waitFor();
      assert.equal(await done.getByRole('button', { name: '补充报备' }).count(), 0);
      await screenshot(page, 'arrivals-registered-phone');

      const alerts = (await (
        await page.request.get('/api/v1/workforce/alerts?kind=unregistered_arrival&limit=200')
      ).json()) as { items: { arrivalId: string | null; state: string }[] };
      assert.equal(alerts.items.find((a) => a.arrivalId === arrivalId)?.state, 'resolved');
    });

    await run('arrivals-county-desktop', DESKTOP, async (page) => {
      await signInAs(page, 'jinshui.gov');
      await page.getByTestId('main-menu').getByRole('menuitem', { name: '企业防疫合规' }).click();
      await page.waitForURL('**/workforce/compliance');
      await page
        .getByTestId('compliance-count')
        .filter({ hasText: /^共 \d+ 家企业，\d+ 家较差$/ })
        .waitFor();
      const table = (await (await page.request.get('/api/v1/workforce/compliance?limit=5000')).json()) as {
        dueSoonHours: number;
        items: {
          enterpriseId: string;
          enterpriseName: string;
          arrivalsWeek: number;
          employees: number;
          dueSoon: number;
        }[];
      };
      const row = table.items.find((item) => item.enterpriseId === enterpriseId);
      assert.ok(row, 'the enterprise is on its county’s compliance view');
      assert.ok(row.arrivalsWeek >= 1, 'its arrival is counted');
      const line = page
        .getByTestId('compliance-table')
        .locator('.ant-table-row')
        .filter({ hasText: row.enterpriseName });
      await line.waitFor();
      await line.getByText(String(row.employees), { exact: true }).first().waitFor();
      // Due soon: the column names the server's window, and the row its count.
      assert.equal(table.dueSoonHours, 12);
      await page
        .getByTestId('compliance-table')
        .locator('.ant-table-thead')
        .getByText('即将到期（12小时内）', { exact: true })
        .waitFor();
      assert.equal(await line.getByTestId('due-soon').textContent(), String(row.dueSoon));
      // …and links to the roster filtered to them (the demo has people due within the window).
      const soon = table.items.find((item) => item.dueSoon > 0);
      assert.ok(soon, 'someone in the county is due soon');
      await page
        .getByTestId('compliance-table')
        .locator('.ant-table-row')
        .filter({ hasText: soon.enterpriseName })
        .getByTestId('due-soon')
        .click();
      await page.waitForURL(/\/workforce\/roster\?.*dueSoon=true/);
      await page
        .getByTestId('roster-count')
        .filter({ hasText: `共 ${soon.dueSoon} 人` })
        .waitFor();
      await page
        .getByTestId('test-filter')
        .locator('.ant-segmented-item-selected')
        .getByText('即将到期')
        .waitFor();
      // The server marks each listed person due soon: amber tags, none green.
      await page.locator('[data-compliance="dueSoon"]').first().waitFor();
      assert.equal(await page.locator('[data-compliance="current"]').count(), 0);
      await screenshot(page, 'roster-due-soon-desktop', false);
      await page.goBack();
      await line.waitFor();
      await page.getByText('合计', { exact: true }).waitFor();
      await screenshot(page, 'compliance-county-desktop', false);

      // Through to the enterprise's arrivals: the person masked, the action, the completed registration.
      await line.getByRole('link', { name: '入豫' }).click();
      await page.waitForURL(/\/workforce\/arrivals\?enterpriseId=/);
      const arrival = page
        .getByTestId('arrivals-table')
        .locator('.ant-table-row')
        .filter({ hasText: MASKED })
        .first();
      await arrival.getByText('赋红码·集中隔离').waitFor();
      await arrival.getByText('已补充报备').waitFor();
      await arrival.getByText(row.enterpriseName).waitFor();
      assert.equal(await page.getByRole('button', { name: '登记入豫人员' }).count(), 0);
      await screenshot(page, 'arrivals-county-desktop', false);
    });
  });

  test('the provincial epidemic office imports the risk-area table; a bad row refuses the whole file', async () => {
    await run('risk-areas-province-desktop', DESKTOP, async (page) => {
      await signInAs(page, 'province.epidemic');
      await page.goto('/workforce/arrivals?tab=risk-areas');
      const table = page.getByTestId('risk-areas');
      await table.getByText('上海市 310115').waitFor();

      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const csv = (rows: string) =>
        Buffer.from(`\uFEFF地区代码,风险等级,起始日期,解除日期,发布来源\r\n${rows}`, 'utf8');
      await page.getByRole('button', { name: '导入风险地区' }).click();
      const dialog = page.getByRole('dialog', { name: '导入风险地区' });
      await dialog.locator('input[type=file]').setInputFiles({
        name: '风险地区.csv',
        mimeType: 'text/csv',
        buffer: csv(`440303,中风险,${today},,国务院客户端公告\r\n110105,很高,${today},,公告\r\n`),
      });
      await dialog.getByRole('button', { name: '开始导入' }).click();
      const errors = dialog.getByTestId('import-errors');
      await errors.getByText('第 3 行').waitFor();
      await screenshot(page, 'risk-areas-refused-desktop', false);
      assert.equal(await table.getByText('广东省 440303').count(), 0, 'nothing imported');

      await dialog.getByText('风险地区.csv').hover();
      await dialog.locator('.ant-upload-list-item button').first().click();
      await dialog.locator('input[type=file]').setInputFiles({
        name: '风险地区.csv',
        mimeType: 'text/csv',
        buffer: csv(`440303,中风险,${today},,国务院客户端公告\r\n`),
      });
      await dialog.getByRole('button', { name: '开始导入' }).click();
      await dialog.getByText('导入成功，共导入 1 条').waitFor();
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const added = table.locator('.ant-table-row').filter({ hasText: '广东省 440303' });
      await added.getByText('中风险').waitFor();
      await added.getByText('国务院客户端公告').waitFor();
      await screenshot(page, 'risk-areas-desktop', false);
    });
  });
});
