import type { Sector } from '@sibao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sectorOutputTotals,
  standardCriteria,
  whitelistApplications,
  whitelistCriteria,
  whitelistEntries,
} from '../src/modules/whitelist';
import { newId } from '../src/platform/ids';
import { buildEnterprise, buildUser, createTestApp, login, type TestApp } from './app';

/**
 * Coverage maths with hand-computed golden cases (方案 二(一), 九(三)): whitelisted value ÷ the official
 * total, for a sector and a region subtree on a date. Values are in fen; small numbers keep the sums
 * checkable by hand.
 */
let t: TestApp;
let province: string;
let jinshui: string;

const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

async function entry(
  spec: { sector: Sector; regionCode: string; valueFen: number; since: string },
  extra: Partial<typeof whitelistEntries.$inferInsert> = {},
) {
  const e = await buildEnterprise(t.db, {
    sectors: [spec.sector],
    regionCode: spec.regionCode,
    annualValueFen: spec.valueFen,
  });
  await t.db.insert(whitelistEntries).values({
    id: newId(),
    enterpriseId: e.id,
    sector: spec.sector,
    regionCode: spec.regionCode,
    status: 'active',
    serviceTier: 'county',
    since: at(spec.since),
    ...extra,
  });
  return e;
}

async function coverage(cookie: string, query: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/whitelist/coverage?${query}`,
    headers: { cookie },
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  const p = await buildUser(t.db, { role: 'command_office', regionCode: '410000', tier: 'province' });
  province = await login(t.app, p.username, p.password);
  const j = await buildUser(t.db, { role: 'command_office', regionCode: '410105', tier: 'county' });
  jinshui = await login(t.app, j.username, j.password);

  await t.db.insert(sectorOutputTotals).values([
    { regionCode: '410105', sector: 'industry', period: '2021', totalFen: 1_000_000, source: '统计年鉴2021' },
    { regionCode: '410103', sector: 'industry', period: '2021', totalFen: 500_000, source: '统计年鉴2021' },
    // A newer period for 金水 only: from July on it replaces 2021 there; 二七 keeps its 2021 figure.
    {
      regionCode: '410105',
      sector: 'industry',
      period: '2022-07',
      totalFen: 2_000_000,
      source: '月报2022-07',
    },
    { regionCode: '410105', sector: 'commerce', period: '2021', totalFen: 1_000_000, source: '统计年鉴2021' },
    // A city-level official total wins over the sum of its counties.
    { regionCode: '410100', sector: 'transport', period: '2021', totalFen: 2_000_000, source: '市统计局' },
    { regionCode: '410105', sector: 'transport', period: '2021', totalFen: 999, source: '区统计局' },
  ]);
  // 金水 industry: A 300,000 from 06-01; B 450,000 from 06-10, removed (熔断) 06-20; C 200,000 from 06-05,
  // suspended (still listed).
  await entry({ sector: 'industry', regionCode: '410105', valueFen: 300_000, since: '2022-06-01' });
  await entry(
    { sector: 'industry', regionCode: '410105', valueFen: 450_000, since: '2022-06-10' },
    { status: 'removed', removedAt: at('2022-06-20'), removalKind: 'circuit_breaker' },
  );
  await entry(
    { sector: 'industry', regionCode: '410105', valueFen: 200_000, since: '2022-06-05' },
    { status: 'suspended' },
  );
  // 二七 industry: D 100,000 from 06-01.
  await entry({ sector: 'industry', regionCode: '410103', valueFen: 100_000, since: '2022-06-01' });
  // 中原 industry: listed, but no statistics at all.
  await entry({ sector: 'industry', regionCode: '410102', valueFen: 5_000, since: '2022-06-01' });
  // 金水 commerce: exactly 70 %.
  await entry({ sector: 'commerce', regionCode: '410105', valueFen: 700_000, since: '2022-06-01' });
  await entry({ sector: 'transport', regionCode: '410105', valueFen: 1_500_000, since: '2022-06-01' });
});
afterAll(async () => t.close());

describe('coverage golden cases', () => {
  it.each([
    // date, whitelisted, total, ratio, meetsTarget
    ['2022-05-31', 0, 1_000_000, 0, false],
    ['2022-06-01', 300_000, 1_000_000, 0.3, false],
    ['2022-06-05', 500_000, 1_000_000, 0.5, false], // A + C
    ['2022-06-15', 950_000, 1_000_000, 0.95, true], // A + B + C
    ['2022-06-20', 500_000, 1_000_000, 0.5, false], // B removed that day
    ['2022-07-15', 500_000, 2_000_000, 0.25, false], // the 2022-07 total replaces 2021
  ])('金水 industry on %s: %i ÷ %i', async (date, whitelisted, total, ratio, meets) => {
    const c = await coverage(province, `sector=industry&region=410105&date=${date}`);
    expect(c).toMatchObject({
      status: 'ok',
      whitelistedValue: whitelisted,
      totalValue: total,
      ratio,
      target: 0.7,
      deadline: '2022-06-30',
      meetsTarget: meets,
    });
  });

  it('a city sums its counties: (950,000 + 100,000 + 5,000) ÷ (1,000,000 + 500,000); exactly 70 % does not exceed the target', async () => {
    const c = await coverage(province, 'sector=industry&region=410100&date=2022-06-15');
    // 中原区 has no statistics: its 5,000 are listed but its total is unknown, so they count in the numerator.
    expect(c).toMatchObject({ whitelistedValue: 1_055_000, totalValue: 1_500_000 });
    expect(c.ratio).toBeCloseTo(1_055_000 / 1_500_000, 12);
    const commerce = await coverage(province, 'sector=commerce&region=410105&date=2022-06-15');
    expect(commerce).toMatchObject({ ratio: 0.7, meetsTarget: false });
  });

  it('each county keeps its own latest period: in July, 金水 2022-07 + 二七 2021', async () => {
    const c = await coverage(province, 'sector=industry&region=410100&date=2022-07-15');
    expect(c).toMatchObject({ whitelistedValue: 605_000, totalValue: 2_500_000, period: '2022-07' });
  });

  it('a region-level official total wins over the sum of its counties', async () => {
    const c = await coverage(province, 'sector=transport&region=410100&date=2022-06-15');
    expect(c).toMatchObject({
      whitelistedValue: 1_500_000,
      totalValue: 2_000_000,
      ratio: 0.75,
      meetsTarget: true,
    });
  });

  it('a region without statistics answers a clear "no statistics" state, not a division by zero', async () => {
    const c = await coverage(province, 'sector=industry&region=410102&date=2022-06-15');
    expect(c).toMatchObject({
      status: 'no_statistics',
      whitelistedValue: 5_000,
      totalValue: null,
      ratio: null,
      meetsTarget: null,
      period: null,
    });
    const none = await coverage(province, 'sector=culture_tourism&region=410000&date=2022-06-15');
    expect(none).toMatchObject({ status: 'no_statistics', whitelistedValue: 0, ratio: null });
  });

  it('a county office cannot read another county (404) and is narrowed to its own from above', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage?sector=industry&region=410103',
      headers: { cookie: jinshui },
    });
    expect(res.statusCode).toBe(404);
    const own = await coverage(jinshui, 'sector=industry&region=410000&date=2022-06-15');
    expect(own).toMatchObject({ region: '410105', whitelistedValue: 950_000 });
  });

  it('the trend steps by week and ends on the last day', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage/trend?sector=industry&region=410105&from=2022-06-01&to=2022-06-29&step=week',
      headers: { cookie: province },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().points.map((p: { date: string; ratio: number }) => [p.date, p.ratio])).toEqual([
      ['2022-06-01', 0.3],
      ['2022-06-08', 0.5],
      ['2022-06-15', 0.95],
      ['2022-06-22', 0.5],
      ['2022-06-29', 0.5],
    ]);
  });

  it('the breakdown gives every sector and the counties of a city', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage/breakdown?region=410100&sector=industry&date=2022-06-15',
      headers: { cookie: province },
    });
    const body = res.json();
    expect(body.bySector).toHaveLength(6);
    const jinshuiRow = body.byRegion.find((r: { region: string }) => r.region === '410105');
    expect(jinshuiRow).toMatchObject({ regionName: '金水区', ratio: 0.95 });
    expect(body.byRegion.find((r: { region: string }) => r.region === '410102').status).toBe('no_statistics');
  });

  it('the planner lists pending applications by what each would add', async () => {
    const criteriaId = newId();
    const body = standardCriteria('industry');
    await t.db.insert(whitelistCriteria).values({
      id: criteriaId,
      sector: 'industry',
      version: 1,
      status: 'published',
      title: body.title,
      rule: body.rule,
      tests: body.tests,
      tierTable: body.tierTable,
      managementText: body.managementText,
      createdBy: 'test',
    });
    for (const value of [150_000, 400_000]) {
      const e = await buildEnterprise(t.db, {
        sectors: ['industry'],
        regionCode: '410105',
        annualValueFen: value,
      });
      await t.db.insert(whitelistApplications).values({
        id: newId(),
        enterpriseId: e.id,
        sector: 'industry',
        regionCode: '410105',
        status: 'submitted',
        criteriaId,
        answers: {},
        attachments: [],
        result: {},
        criteriaStatus: 'undetermined',
        reviewTier: 'county',
        cityOperations: false,
        linkedToListed: false,
        submittedAt: new Date(),
        dueAt: new Date(),
      });
    }
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/whitelist/coverage/planner?sector=industry&region=410105',
      headers: { cookie: province },
    });
    expect(res.statusCode).toBe(200);
    // Today the 2022-07 total (2,000,000) applies and A + C (500,000) are listed.
    expect(res.json().coverage).toMatchObject({ whitelistedValue: 500_000, totalValue: 2_000_000 });
    expect(
      res
        .json()
        .items.map((i: { valueFen: number; addsRatio: number; cumulativeRatio: number }) => [
          i.valueFen,
          i.addsRatio,
          i.cumulativeRatio,
        ]),
    ).toEqual([
      [400_000, 0.2, 0.45],
      [150_000, 0.075, 0.525],
    ]);
  });
});
