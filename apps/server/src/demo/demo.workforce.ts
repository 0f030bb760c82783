import { computeIdCheckDigit } from '@sibao/contracts';
import { sql } from 'drizzle-orm';
import { loadParameterStore } from '../modules/parameters';
import {
  alerts,
  arrivals,
  assignArrivalCode,
  dailyReports,
  drugPurchases,
  ensurePcrTestPartitions,
  insertEmployees,
  insertPcrTests,
  type PcrTestInsert,
  pcrUnmatchedResults,
  personColumns,
  raiseOverdueAlerts,
  riskAreas,
  trackArrivals,
} from '../modules/workforce';
import { writeAudit } from '../platform/audit';
import { maskIdNumber, maskName, type PiiCipher } from '../platform/crypto';
import { type Db, rows } from '../platform/db';
import { newId } from '../platform/ids';
import type { DemoSize } from './demo.generate';
import { BULK_WORKFORCE_EMPLOYEES, seedBulkWorkforce } from './demo.workforce.bulk';
import { createRandom } from './random';

/**
 * Workforce demo data at size s: rosters for the demo enterprise 郑州中原食品 and four other whitelisted
 * Zhengzhou enterprises, six days of PCR tests (some people lapsed three days ago → overdue alerts), daily
 * reports with gaps and late ones, a risk area, arrivals at the demo enterprise in every state (two awaiting
 * their test — one not pre-registered → alert —, one tested, one who missed it → alert, one from the risk
 * area handed over for central quarantine) and pharmacy purchases of 四类药品 (one by a demo employee →
 * alert, one by nobody on a roster, kept aside). The same seed and `now` give the same people, tests and
 * reports (ciphertexts differ: random IVs). A few hundred rows: first start stays fast.
 *
 * At sizes m and l the rest of the province follows (demo.workforce.bulk.ts): ~3 M people (m) over every
 * other active whitelisted enterprise, a week of tests, overdue alerts and daily reports. Size s is only this.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '郭', '孙'] as const;
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '勇',
  '艳',
  '杰',
  '军',
  '丽',
  '强',
  '霞',
  '涛',
] as const;
const UNITS = ['一车间', '二车间', '包装车间', '仓储物流'] as const;

export async function seedDemoWorkforce(
  db: Db,
  pii: PiiCipher,
  options: { seed?: number; now?: Date; size?: DemoSize; progress?: (line: string) => void } = {},
) {
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / HOUR) * HOUR);
  const handMade = await seedHandMadeWorkforce(db, pii, options.seed, now);
  // Sizes m and l: the rest of the province's whitelisted enterprises get rosters too (demo.workforce.bulk.ts).
  const employees = BULK_WORKFORCE_EMPLOYEES[options.size ?? 's'];
  if (employees === 0 || handMade.employees === 0) return { ...handMade, bulk: null };
  const bulk = await seedBulkWorkforce(db, pii, {
    employees,
    now,
    seed: options.seed,
    progress: options.progress,
  });
  return { ...handMade, bulk };
}

async function seedHandMadeWorkforce(db: Db, pii: PiiCipher, seed: number | undefined, now: Date) {
  const rnd = createRandom((seed ?? 20220525) + 2);
  await ensurePcrTestPartitions(db, new Date(now.getTime() - 7 * DAY));
  await ensurePcrTestPartitions(db, now);
  const picked = await rows<{ id: string; region_code: string; name: string }>(
    db,
    sql`(select id, region_code, name from enterprises where name = '郑州中原食品股份有限公司')
      union all
      (select e.id, e.region_code, e.name from enterprises e
       where e.region_code like '4101%' and e.kind = 'enterprise' and e.name <> '郑州中原食品股份有限公司'
         and exists (select 1 from whitelist_entries w where w.enterprise_id = e.id and w.status = 'active')
       order by e.uscc limit 4)`,
  );
  const [lab] = await rows<{ id: string; region_code: string }>(
    db,
    sql`select id, region_code from org_units where kind = 'lab' order by name limit 1`,
  );
  const [feed] = await rows<{ id: string }>(
    db,
    sql`select id from org_units where kind = 'epidemic_office' and region_code in ('410100', '410000')
        order by region_code desc limit 1`,
  );
  if (picked.length === 0 || !lab) return { employees: 0, tests: 0, arrivals: 0, drugPurchases: 0 };

  const people: Array<Parameters<typeof insertEmployees>[1][number]> = [];
  const tests: PcrTestInsert[] = [];
  let k = 0;
  for (const [index, enterprise] of picked.entries()) {
    const size = index === 0 ? 60 : 30;
    for (let i = 0; i < size; i++, k++) {
      const name = `${rnd.pick(SURNAMES)}${rnd.pick(GIVEN)}${rnd.bool(0.6) ? rnd.pick(GIVEN) : ''}`;
      const first17 = `${enterprise.region_code}19${70 + (k % 30)}0${1 + (k % 9)}1${k % 9}${String(k).padStart(3, '0')}`;
      const idNumber = first17 + computeIdCheckDigit(first17);
      const phone = `13${String(700_000_000 + k * 7919).slice(0, 9)}`;
      const mobile = rnd.bool(0.15);
      const cadence = (mobile ? 24 : 48) * HOUR;
      const lapsed = rnd.bool(0.1);
      const id = newId();
      let last: Date | null = null;
      const stop = now.getTime() - (lapsed ? 80 * HOUR : 2 * HOUR);
      for (let at = now.getTime() - 6 * DAY + rnd.int(0, 20) * HOUR; at <= stop; at += cadence) {
        last = new Date(at);
        tests.push({
          id: newId(),
          sampledAt: last.toISOString(),
          enterpriseId: enterprise.id,
          regionCode: enterprise.region_code,
          employeeId: id,
          labOrgUnitId: lab.id,
          labSampleId: `DEMO-${k}-${at}`,
          tubeId: `DEMO-T-${Math.floor(at / HOUR)}-${index}`,
          method: 'pooled',
          result: 'negative',
          retestOfLabSampleId: null,
          receivedAt: new Date(at + 6 * HOUR).toISOString(),
        });
      }
      const startedAt = new Date(now.getTime() - 30 * DAY);
      people.push({
        id,
        enterpriseId: enterprise.id,
        regionCode: enterprise.region_code,
        ...personColumns(pii, { name, idNumber, phone }),
        roleCategory: mobile ? 'mobile' : 'regular',
        workUnit: mobile ? '仓储物流' : rnd.pick(UNITS),
        status: 'active',
        startedAt,
        healthCode: 'green',
        healthCodeAt: startedAt,
        healthCodeSource: 'import',
        itineraryCode: 'normal',
        itineraryCodeAt: startedAt,
        itineraryCodeSource: 'import',
        lastNegativeAt: last,
        lastTestAt: last,
        lastResult: last ? 'negative' : null,
        nextDueAt: last ? new Date(last.getTime() + cadence) : startedAt,
        createdAt: startedAt,
        updatedAt: startedAt,
      });
    }
  }

  const params = await loadParameterStore(db);
  return db.transaction(async (tx) => {
    await insertEmployees(tx, people);
    await insertPcrTests(tx, tests);
    await raiseOverdueAlerts({ db: tx, now: () => now });
    // Daily reports of the last six days: about one in six missing (gaps), some late.
    const reports: Array<typeof dailyReports.$inferInsert> = [];
    for (const enterprise of picked)
      for (let d = 6; d >= 1; d--) {
        if (rnd.bool(0.17)) continue;
        const date = new Date(now.getTime() - d * DAY + 8 * HOUR).toISOString().slice(0, 10);
        const deadlineAt = new Date(`${date}T10:00:00+08:00`);
        const late = rnd.bool(0.15);
        reports.push({
          id: newId(),
          enterpriseId: enterprise.id,
          regionCode: enterprise.region_code,
          reportDate: date,
          kind: 'zero',
          headcountOnSite: enterprise === picked[0] ? 58 : 28,
          anomalies: null,
          anomalyCount: 0,
          filedAt: new Date(deadlineAt.getTime() + (late ? 3 : -2) * HOUR),
          filedBy: 'demo',
          deadlineAt,
          late,
        });
      }
    await tx.insert(dailyReports).values(reports);
    // A risk area and two arrivals at the demo enterprise: one pre-registered from a low-risk county, one not.
    const demo = picked[0]!;
    const riskFrom = new Date(now.getTime() - 10 * DAY).toISOString().slice(0, 10);
    await tx.insert(riskAreas).values({
      id: newId(),
      code: '310115',
      level: 'high',
      fromDate: riskFrom,
      toDate: null,
      source: '演示数据 demo data',
      importedAt: now,
      importedBy: 'demo',
    });
    // Arrivals in every state: the tracking sweep below moves the tested one and the missed one.
    const visitors = [
      { name: '马文博', seq: 901, origin: '320106', preRegistered: true, hoursAgo: 5, testedAfter: null },
      { name: '胡晓燕', seq: 902, origin: '420102', preRegistered: false, hoursAgo: 5, testedAfter: null },
      { name: '孙立新', seq: 903, origin: '330106', preRegistered: true, hoursAgo: 40, testedAfter: 10 },
      { name: '郑雅琴', seq: 904, origin: '370102', preRegistered: true, hoursAgo: 30, testedAfter: null },
      { name: '钱国栋', seq: 905, origin: '310115', preRegistered: true, hoursAgo: 48, testedAfter: null },
    ];
    for (const v of visitors) {
      const first17 = `${v.origin}19880512${v.seq}`;
      const idNumber = first17 + computeIdCheckDigit(first17);
      const arrivedAt = new Date(now.getTime() - v.hoursAgo * HOUR);
      const decision = assignArrivalCode(
        {
          arrivedAt,
          originCountyCode: v.origin,
          contactStatus: 'none',
          healthCode: 'green',
          itineraryCode: 'normal',
          negativeTestSampledAt: new Date(arrivedAt.getTime() - 20 * HOUR),
          whitelistedStaff: false,
        },
        [{ code: '310115', level: 'high', from: riskFrom, to: null }],
        params,
      );
      const id = newId();
      await tx.insert(arrivals).values({
        id,
        enterpriseId: demo.id,
        regionCode: demo.region_code,
        personKind: 'visitor',
        nameEncrypted: pii.encrypt(v.name),
        nameMasked: maskName(v.name),
        idNumberEncrypted: pii.encrypt(idNumber),
        idNumberHash: pii.lookupHash('id_number', idNumber),
        idNumberMasked: maskIdNumber(idNumber),
        originCountyCode: v.origin,
        preRegistered: v.preRegistered,
        arrivedAt,
        healthCode: 'green',
        itineraryCode: 'normal',
        negativeTestSampledAt: new Date(arrivedAt.getTime() - 20 * HOUR),
        contactStatus: 'none',
        rule: decision.rule,
        action: decision.action,
        codeAssignment: decision.healthCode,
        codeProtected: decision.codeProtected,
        riskLevel: decision.riskLevel,
        dueAt: decision.dueAt,
        quarantineEndsAt: decision.endsAt,
        explain: decision.explain,
        state: decision.action === 'arrival_test' ? 'test_pending' : 'handed_over',
        createdAt: arrivedAt,
        createdBy: 'demo',
        updatedAt: arrivedAt,
      });
      if (!v.preRegistered)
        await tx.insert(alerts).values({
          id: newId(),
          kind: 'unregistered_arrival',
          state: 'new',
          enterpriseId: demo.id,
          regionCode: demo.region_code,
          arrivalId: id,
          raisedAt: arrivedAt,
          deadline: new Date(arrivedAt.getTime() + DAY),
          summary: `入豫人员 ${maskName(v.name)} 未提前报备,请督促其补充报备`,
        });
      // A visitor is on no roster: their arrival test is a lab result kept aside, found by the sweep.
      if (v.testedAfter !== null)
        await tx.insert(pcrUnmatchedResults).values({
          id: newId(),
          labOrgUnitId: lab.id,
          labRegionCode: lab.region_code,
          labSampleId: `DEMO-ARRIVAL-${v.seq}`,
          idNumberEncrypted: pii.encrypt(idNumber),
          idNumberHash: pii.lookupHash('id_number', idNumber),
          sampledAt: new Date(arrivedAt.getTime() + v.testedAfter * HOUR),
          result: 'negative',
          method: 'single',
          tubeId: `DEMO-ARRIVAL-${v.seq}`,
          retestOfLabSampleId: null,
          receivedAt: new Date(arrivedAt.getTime() + (v.testedAfter + 6) * HOUR),
        });
    }
    await trackArrivals({ db: tx, now: () => now });
    const purchases = await seedDrugPurchases(tx, pii, feed?.id ?? lab.id, people[0]!, now);
    const result = {
      employees: people.length,
      tests: tests.length,
      arrivals: visitors.length,
      drugPurchases: purchases,
    };
    await writeAudit(
      tx,
      { actor: null },
      { action: 'demo.workforce_seeded', objectType: 'province', summary: result },
    );
    return result;
  });
}

/**
 * Two pharmacy records from the city's feed: a fever-medicine purchase by a demo employee yesterday evening
 * (matched → a `drug_purchase` alert) and one by a person on no roster (kept aside, as the feed would).
 */
async function seedDrugPurchases(
  tx: Db,
  pii: PiiCipher,
  feedOrgUnitId: string,
  employee: Parameters<typeof insertEmployees>[1][number],
  now: Date,
) {
  const purchasedAt = new Date(now.getTime() - 14 * HOUR);
  const outsider = '41010519920815321';
  const outsiderId = outsider + computeIdCheckDigit(outsider);
  await tx.insert(drugPurchases).values([
    {
      id: newId(),
      feedOrgUnitId,
      recordId: 'DEMO-YD-0001',
      idNumberEncrypted: employee.idNumberEncrypted!,
      idNumberHash: employee.idNumberHash!,
      purchasedAt,
      category: 'fever',
      pharmacy: '金水区花园路大药房',
      receivedAt: new Date(purchasedAt.getTime() + 2 * HOUR),
      employeeId: employee.id,
      enterpriseId: employee.enterpriseId,
      regionCode: employee.regionCode,
    },
    {
      id: newId(),
      feedOrgUnitId,
      recordId: 'DEMO-YD-0002',
      idNumberEncrypted: pii.encrypt(outsiderId),
      idNumberHash: pii.lookupHash('id_number', outsiderId),
      purchasedAt: new Date(now.getTime() - 20 * HOUR),
      category: 'cough',
      pharmacy: '二七区大学路药店',
      receivedAt: new Date(now.getTime() - 18 * HOUR),
    },
  ]);
  const at = new Date(purchasedAt.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
  await tx.insert(alerts).values({
    id: newId(),
    kind: 'drug_purchase',
    state: 'new',
    enterpriseId: employee.enterpriseId,
    regionCode: employee.regionCode,
    employeeId: employee.id,
    raisedAt: new Date(purchasedAt.getTime() + 2 * HOUR),
    deadline: new Date(purchasedAt.getTime() + 26 * HOUR),
    summary: `员工购买退热类药品(${at}),请及时了解其健康状况并安排核酸检测`,
  });
  return 2;
}
