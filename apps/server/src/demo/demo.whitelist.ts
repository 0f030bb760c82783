import {
  SECTOR_LABELS,
  SECTORS,
  type Sector,
  type ServiceTier,
  type WhitelistAnswers,
} from '@sibao/contracts';
import type { enterprises } from '../modules/enterprises/enterprises.tables';
import { loadParameterStore } from '../modules/parameters';
import {
  standardCriteria,
  whitelistApplications,
  whitelistBatches,
  whitelistCriteria,
  whitelistEntries,
  whitelistEntryEvents,
  whitelistSpotChecks,
} from '../modules/whitelist';
import { applicationFacts, evaluateCriteria } from '../modules/whitelist/whitelist.criteria';
import type { Db } from '../platform/db';
import { newId } from '../platform/ids';
import type { Random } from './random';

type EnterpriseRow = typeof enterprises.$inferInsert;

/**
 * Share of each sector's enterprises on the whitelist — chosen, with the statistics' factors in
 * demo.generate, so the coverage page tells a story: industry and city operations above 70 %, commerce
 * near it, key projects below, transport and tourism far below.
 */
const LISTED_SHARE: Record<Sector, number> = {
  industry: 0.93,
  city_operations: 0.97,
  commerce: 0.86,
  key_project: 0.7,
  transport: 0.55,
  culture_tourism: 0.4,
};

const day = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const JUNE = (d: number) => `2022-06-${String(d).padStart(2, '0')}`;

const GOOD: WhitelistAnswers = {
  closedLoopMode: 'bubble',
  canteen: true,
  taskForce: true,
  taskForceLeader: '分管副总经理',
  stockpileDays: 21,
  observationRooms: 2,
  samplingArrangement: 'local_network',
  emergencyPlan: true,
};

function tierOf(valueFen: number, headcount: number): ServiceTier {
  if (valueFen >= 5e12 || headcount >= 5000) return 'province';
  if (valueFen >= 5e11) return 'city';
  return 'county';
}

/**
 * The demo whitelist: published standard criteria for every sector, entries in every state with their
 * history, batches per county and sector (end of May, mid-June), spot checks (some failed, some overdue),
 * and pending, returned and rejected applications for the review queue and the planner. Deterministic for
 * the random source; inserted in the caller's transaction.
 */
export async function seedDemoWhitelist(
  tx: Db,
  rnd: Random,
  rows: readonly EnterpriseRow[],
  regionNames: ReadonlyMap<string, string>,
) {
  const params = await loadParameterStore(tx);
  const criteria = new Map<Sector, { id: string; row: typeof whitelistCriteria.$inferInsert }>();
  for (const sector of SECTORS) {
    const body = standardCriteria(sector);
    const row = {
      id: newId(),
      sector,
      version: 1,
      status: 'published' as const,
      title: body.title,
      rule: body.rule,
      tests: body.tests,
      tierTable: body.tierTable,
      managementText: body.managementText,
      createdBy: 'demo',
      createdAt: day('2022-05-26'),
      publishedAt: day('2022-05-27'),
      publishedBy: 'province.industry',
    };
    criteria.set(sector, { id: row.id, row });
  }
  await tx.insert(whitelistCriteria).values([...criteria.values()].map((c) => c.row));

  const entries: Array<typeof whitelistEntries.$inferInsert> = [];
  const events: Array<typeof whitelistEntryEvents.$inferInsert> = [];
  const checks: Array<typeof whitelistSpotChecks.$inferInsert> = [];
  const applications: Array<typeof whitelistApplications.$inferInsert> = [];
  const batches = new Map<string, typeof whitelistBatches.$inferInsert>();
  const batchOf = (sector: Sector, regionCode: string, n: 1 | 2) => {
    const key = `${sector}|${regionCode}|${n}`;
    let b = batches.get(key);
    if (!b) {
      b = {
        id: newId(),
        sector,
        regionCode,
        number: n,
        label: `${regionNames.get(regionCode) ?? regionCode}${SECTOR_LABELS[sector].zh}白名单第${n}批`,
        title: null,
        entryCount: 0,
        publishedAt: day(n === 1 ? '2022-05-31' : '2022-06-20', 17),
        publishedBy: 'demo',
      };
      batches.set(key, b);
    }
    b.entryCount += 1;
    return b.id!;
  };

  for (const e of rows) {
    if (e.kind === 'park') continue;
    const sector = (e.sectors as Sector[])[0]!;
    const beds = Math.round((e.headcount ?? 0) * (0.6 + rnd.next() * 0.6));
    const roll = rnd.next();
    if (roll < LISTED_SHARE[sector]) {
      const sinceDay = rnd.int(-3, 25); // 05-28 … 06-25
      const since = sinceDay <= 0 ? day(`2022-05-${28 + sinceDay + 3}`) : day(JUNE(sinceDay));
      const sinceDate = since.toISOString();
      const id = newId();
      const fate = rnd.next();
      const status = fate < 0.03 ? 'removed' : fate < 0.07 ? 'suspended' : 'active';
      const breaker = status === 'removed' && rnd.bool(0.4);
      const batch =
        sinceDate < day('2022-05-31', 12).toISOString()
          ? 1
          : sinceDate < day('2022-06-20').toISOString()
            ? 2
            : 0;
      const reason = '符合遴选标准第1版，经审核纳入白名单';
      const entry: typeof whitelistEntries.$inferInsert = {
        id,
        enterpriseId: e.id!,
        sector,
        regionCode: e.regionCode,
        status,
        serviceTier: tierOf(e.annualValueFen ?? 0, e.headcount ?? 0),
        since,
        reason,
        batchId: batch ? batchOf(sector, e.regionCode, batch) : null,
      };
      events.push({
        id: newId(),
        entryId: id,
        action: 'admitted',
        toStatus: 'active',
        reason,
        actorName: 'demo',
        at: since,
      });
      if (status !== 'active') {
        const at = new Date(Math.max(since.getTime(), day(JUNE(26)).getTime()) + rnd.int(1, 3) * 86_400_000);
        const why =
          status === 'suspended'
            ? '抽查发现闭环管理落实不到位，暂停保障待整改'
            : breaker
              ? '未按要求落实防控措施导致疫情输入，熔断移出'
              : '企业申请退出白名单';
        entry.reason = why;
        if (status === 'removed') {
          entry.removedAt = at;
          entry.removalKind = breaker ? 'circuit_breaker' : null;
        }
        events.push({
          id: newId(),
          entryId: id,
          action: status,
          fromStatus: 'active',
          toStatus: status,
          reason: why,
          kind: breaker ? 'circuit_breaker' : null,
          evidence: breaker ? ['属地疫情防控指挥部流调报告'] : null,
          actorName: 'demo',
          at,
        });
      }
      entries.push(entry);
      if (status !== 'removed' && rnd.bool(0.06)) {
        const failed = status === 'suspended' || rnd.bool(0.3);
        const checkedOn = JUNE(rnd.int(8, 24));
        checks.push({
          id: newId(),
          entryId: id,
          enterpriseId: e.id!,
          sector,
          regionCode: e.regionCode,
          checkedOn,
          items: [
            { item: '场所码全覆盖', ok: true },
            { item: '48小时核酸检测', ok: !failed },
            { item: '防疫物资储备', ok: true },
          ],
          findings: failed ? '部分员工核酸检测超过48小时' : '',
          result: failed ? 'failed' : 'passed',
          rectificationDue: failed ? JUNE(Math.min(30, Number(checkedOn.slice(8)) + 5)) : null,
          rectifiedAt: failed && rnd.bool(0.5) ? day(JUNE(28)) : null,
          createdBy: 'demo',
          createdAt: day(checkedOn, 16),
        });
      }
      continue;
    }
    // Not listed: some are waiting in the review queue, some were returned or rejected.
    const r = rnd.next();
    if (r > 0.55) continue;
    const status = r < 0.35 ? 'submitted' : r < 0.45 ? 'returned' : 'rejected';
    const answers: WhitelistAnswers = { ...GOOD, dormitoryBeds: beds };
    if (rnd.bool(0.3)) delete answers.stockpileDays;
    if (rnd.bool(0.15)) answers.taskForce = false;
    const c = criteria.get(sector)!;
    const result = evaluateCriteria(
      { id: c.id, version: 1, rule: c.row.rule as never, tierTable: c.row.tierTable as never },
      applicationFacts(
        {
          kind: e.kind!,
          headcount: e.headcount ?? 0,
          annualValueFen: e.annualValueFen ?? 0,
          cityOperations: !!e.cityOperations,
        },
        answers,
        false,
      ),
      '2022-06-25',
      params,
    );
    const submittedAt = day(JUNE(rnd.int(15, 28)));
    applications.push({
      id: newId(),
      enterpriseId: e.id!,
      sector,
      regionCode: e.regionCode,
      status,
      criteriaId: c.id,
      answers,
      attachments: [],
      result,
      criteriaStatus: result.status,
      reviewTier: result.suggestedTier ?? 'county',
      cityOperations: !!e.cityOperations,
      linkedToListed: false,
      submittedAt,
      dueAt: new Date(submittedAt.getTime() + 5 * 86_400_000),
      pausedAt: status === 'returned' ? new Date(submittedAt.getTime() + 86_400_000) : null,
      decidedAt: status === 'rejected' ? new Date(submittedAt.getTime() + 2 * 86_400_000) : null,
      decidedBy: status === 'rejected' ? 'demo' : null,
      decisionReason:
        status === 'rejected'
          ? '不具备闭环管理条件'
          : status === 'returned'
            ? '请补充防疫物资储备情况'
            : null,
    });
  }
  const chunk = async <T>(values: T[], insert: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < values.length; i += 1000) await insert(values.slice(i, i + 1000));
  };
  await chunk([...batches.values()], (p) => tx.insert(whitelistBatches).values(p));
  await chunk(entries, (p) => tx.insert(whitelistEntries).values(p));
  await chunk(events, (p) => tx.insert(whitelistEntryEvents).values(p));
  await chunk(checks, (p) => tx.insert(whitelistSpotChecks).values(p));
  await chunk(applications, (p) => tx.insert(whitelistApplications).values(p));
  return {
    criteria: criteria.size,
    entries: entries.length,
    batches: batches.size,
    spotChecks: checks.length,
    applications: applications.length,
  };
}
