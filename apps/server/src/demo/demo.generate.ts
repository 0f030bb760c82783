import { randomBytes } from 'node:crypto';
import { computeUsccCheckChar, type Role, type Sector, type Tier } from '@sibao/contracts';
import { enterprises } from '../modules/enterprises/enterprises.tables';
import { createApiToken, generatePassword, hashPassword, orgUnits, users } from '../modules/iam';
import { loadHenanDivisions } from '../modules/regions';
import { sectorOutputTotals } from '../modules/whitelist/whitelist.tables';
import { writeAudit } from '../platform/audit';
import type { Db } from '../platform/db';
import { newId } from '../platform/ids';
import { isDatabaseEmpty } from './demo.status';
import { seedDemoWhitelist } from './demo.whitelist';
import { createRandom, type Random } from './random';

/**
 * The demo province: org units at every tier, users for every role, enterprises with valid USCCs and
 * realistic skew (Zhengzhou's districts dense, output values log-normal), and the sector output totals that
 * whitelist coverage divides by. Deterministic for a seed, except the passwords, which are random at install.
 * Later modules extend it with their own data.
 */
export const DEMO_SIZES = {
  s: { enterprises: 1_500 },
  m: { enterprises: 40_000 },
  l: { enterprises: 100_000 },
} as const;
export type DemoSize = keyof typeof DEMO_SIZES;

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  tier: Tier;
  regionCode: string;
  orgUnit: string;
  description: string;
}

export interface DemoResult {
  accounts: DemoAccount[];
  labToken: { name: string; token: string; orgUnit: string; expiresAt: string };
  counts: {
    orgUnits: number;
    users: number;
    enterprises: number;
    sectorTotals: number;
    whitelistEntries: number;
  };
}

type OrgKind = typeof orgUnits.$inferInsert.kind;
type OrgRow = typeof orgUnits.$inferInsert;
type EnterpriseRow = typeof enterprises.$inferInsert;

const PROVINCE = '410000';
const ZHENGZHOU = '410100';
const JINSHUI = '410105';
const ZHONGMU = '410122';

/** 行业主管部门 and the sectors each leads (方案 九(一): 工作组 by 行业). */
const DEPARTMENTS: ReadonlyArray<{ key: string; name: string; sectors: Sector[] }> = [
  { key: 'ndrc', name: '发展和改革委员会', sectors: ['key_project', 'city_operations'] },
  { key: 'industry', name: '工业和信息化局', sectors: ['industry'] },
  { key: 'commerce', name: '商务局', sectors: ['commerce'] },
  { key: 'transport', name: '交通运输局', sectors: ['transport'] },
  { key: 'tourism', name: '文化广电和旅游局', sectors: ['culture_tourism'] },
];
const PROVINCIAL_DEPARTMENT_NAMES: Record<string, string> = {
  ndrc: '河南省发展和改革委员会',
  industry: '河南省工业和信息化厅',
  commerce: '河南省商务厅',
  transport: '河南省交通运输厅',
  tourism: '河南省文化和旅游厅',
};

const SECTOR_WEIGHTS: ReadonlyArray<readonly [Sector, number]> = [
  ['industry', 40],
  ['commerce', 24],
  ['transport', 12],
  ['culture_tourism', 8],
  ['key_project', 11],
  ['city_operations', 5],
];

const FACTOR_RANGE: Record<Sector, readonly [number, number]> = {
  industry: [1.07, 1.2],
  city_operations: [1.06, 1.12],
  commerce: [1.08, 1.3],
  key_project: [1.1, 1.35],
  transport: [1.4, 2],
  culture_tourism: [1.4, 2],
};

const FIRMS = [
  '宏达',
  '中原',
  '华星',
  '恒通',
  '永安',
  '金盛',
  '瑞丰',
  '鑫源',
  '天成',
  '豫丰',
  '嵩山',
  '黄河',
  '伏牛',
  '明泰',
  '万顺',
  '鼎盛',
  '博远',
  '安泰',
  '昌隆',
  '汇丰',
  '国瑞',
  '兴业',
  '东方',
  '远航',
  '正大',
];
const TRADES: Record<Sector, readonly string[]> = {
  industry: [
    '机械制造',
    '食品',
    '化工',
    '电子科技',
    '纺织',
    '铝业',
    '汽车零部件',
    '新型建材',
    '制药',
    '重型装备',
    '智能装备',
    '粮油加工',
  ],
  commerce: ['商贸', '超市', '农产品批发市场', '百货', '医药连锁', '电商'],
  transport: ['运输', '物流', '货运', '冷链物流', '快递分拨'],
  culture_tourism: ['文化旅游', '景区管理', '酒店管理', '演艺'],
  key_project: [
    '产业园建设项目',
    '高速公路建设项目',
    '轨道交通工程',
    '医院建设项目',
    '物流园建设项目',
    '水利工程',
  ],
  city_operations: ['供水', '燃气', '热力', '环卫', '蔬菜配送'],
};
const SUFFIXES = ['有限公司', '有限公司', '股份有限公司', '集团有限公司'];
const USCC_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Real bonded zones of Henan that the seed lets enter the whitelist as one park (方案 二(一)). */
const PARKS: ReadonlyArray<{ name: string; regionCode: string }> = [
  { name: '郑州新郑综合保税区', regionCode: '410173' },
  { name: '郑州经开综合保税区', regionCode: '410104' },
  { name: '洛阳综合保税区', regionCode: '410305' },
  { name: '南阳卧龙综合保税区', regionCode: '411303' },
];

function shortName(name: string): string {
  return name.replace(/(市|区|县|自治县)$/u, '').slice(0, 2);
}

function uscc(rnd: Random, prefix: string, regionCode: string): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += rnd.pick(USCC_BODY.split(''));
  const first17 = `${prefix}${regionCode}${body}`;
  return first17 + computeUsccCheckChar(first17);
}

function yuanToFen(yuan: number): number {
  return Math.round(yuan) * 100;
}

/**
 * Fills an empty database with the demo province. Throws if org units already exist (seed once).
 * `size` s: 1.5 k enterprises (tests, `npm start`); m: 40 k (benchmarks); l: 100 k.
 */
export async function seedDemoProvince(
  db: Db,
  options: { size: DemoSize; seed?: number },
): Promise<DemoResult> {
  const rnd = createRandom(options.seed ?? 20220525);
  if (!(await isDatabaseEmpty(db)))
    throw new Error(
      'The database already has org units; the demo province is seeded only into an empty database.',
    );

  const divisions = loadHenanDivisions().regions;
  const cities = divisions.filter((r) => r.level === 'city');
  const counties = divisions.filter((r) => r.level === 'county' || r.level === 'zone');
  const nameOf = new Map(divisions.map((r) => [r.code, r.name]));

  const orgs: OrgRow[] = [];
  const org = (
    kind: OrgKind,
    name: string,
    regionCode: string,
    tier: Tier,
    sectors: Sector[] = [],
    enterpriseId: string | null = null,
  ) => {
    const row: OrgRow = { id: newId(), kind, name, regionCode, tier, sectors, enterpriseId };
    orgs.push(row);
    return row;
  };

  // Province
  const platform = org('platform', '四保平台运行维护中心', PROVINCE, 'province');
  const provinceCommand = org(
    'command_office',
    '河南省常态化疫情防控下经济运行调度机制指挥部办公室',
    PROVINCE,
    'province',
  );
  const provinceDepts = new Map(
    DEPARTMENTS.map((d) => [
      d.key,
      org('sector_department', PROVINCIAL_DEPARTMENT_NAMES[d.key]!, PROVINCE, 'province', d.sectors),
    ]),
  );
  const provinceEpidemic = org(
    'epidemic_office',
    '河南省卫生健康委员会(省疫情防控指挥部办公室)',
    PROVINCE,
    'province',
  );
  const provinceLogistics = org(
    'logistics_group',
    '河南省物流保通保畅工作领导小组办公室',
    PROVINCE,
    'province',
  );

  // Cities (17 + 济源) and counties: command office, local government, departments, epidemic office
  const byRegion = new Map<string, Record<string, OrgRow>>();
  for (const c of [...cities, ...counties]) {
    const tier: Tier = c.level === 'city' ? 'city' : 'county';
    const units: Record<string, OrgRow> = {
      command: org('command_office', `${c.name}常态化疫情防控下经济运行调度机制指挥部办公室`, c.code, tier),
      government: org(
        'local_government',
        c.level === 'zone' ? `${c.name}管理委员会` : `${c.name}人民政府`,
        c.code,
        tier,
      ),
      epidemic: org('epidemic_office', `${c.name}卫生健康委员会`, c.code, tier),
    };
    for (const d of DEPARTMENTS)
      units[d.key] = org('sector_department', `${c.name}${d.name}`, c.code, tier, d.sectors);
    byRegion.set(c.code, units);
  }
  const lab = org('lab', '郑州市核酸检测实验室(演示)', ZHENGZHOU, 'city');
  const checkpoint = org('checkpoint', '连霍高速郑州西交通防疫检查站', ZHONGMU, 'county');
  org('checkpoint', '京港澳高速郑州南交通防疫检查站', '410184', 'county');

  // Enterprises, projects and parks
  const countyWeights = counties.map((c) => {
    const inZhengzhou = c.code.startsWith('4101');
    const district = nameOf.get(c.code)?.endsWith('区') ?? false;
    return [c.code, inZhengzhou ? (district ? 6 : 3) : district ? 2 : 1] as const;
  });
  const rows: EnterpriseRow[] = [];
  const usedUscc = new Set<string>();
  const usedNames = new Set<string>();
  const add = (row: Omit<EnterpriseRow, 'id' | 'uscc'> & { usccPrefix: string }) => {
    let code: string;
    do code = uscc(rnd, row.usccPrefix, row.regionCode);
    while (usedUscc.has(code));
    usedUscc.add(code);
    let name = row.name;
    for (let i = 2; usedNames.has(name); i++)
      name = `${row.name.replace(/(有限公司|股份有限公司|集团有限公司)$/u, '')}第${i}分公司`;
    usedNames.add(name);
    const { usccPrefix: _, ...rest } = row;
    const out: EnterpriseRow = { ...rest, id: newId(), uscc: code, name };
    rows.push(out);
    return out;
  };
  // The demo enterprise the enterprise account belongs to.
  const demoEnterprise = add({
    kind: 'enterprise',
    usccPrefix: '91',
    name: '郑州中原食品股份有限公司',
    sectors: ['industry'],
    regionCode: JINSHUI,
    address: '河南省郑州市金水区花园路88号',
    headcount: 1_260,
    annualValueFen: yuanToFen(1_850_000_000),
    cityOperations: false,
  });
  for (const p of PARKS) {
    add({
      kind: 'park',
      usccPrefix: '11',
      name: p.name,
      sectors: ['commerce', 'industry'],
      regionCode: p.regionCode,
      address: `${nameOf.get(p.regionCode) ?? ''}${p.name}`,
      headcount: rnd.int(3_000, 20_000),
      annualValueFen: yuanToFen(rnd.logNormal(Math.log(3e10), 0.6)),
      cityOperations: false,
    });
  }
  const target = DEMO_SIZES[options.size].enterprises;
  while (rows.length < target) {
    const regionCode = rnd.weighted(countyWeights);
    const sector = rnd.weighted(SECTOR_WEIGHTS);
    const sectors: Sector[] = [sector];
    if (sector !== 'key_project' && rnd.bool(0.08)) {
      const second = rnd.weighted(SECTOR_WEIGHTS);
      if (second !== sector && second !== 'key_project') sectors.push(second);
    }
    const project = sector === 'key_project';
    const headcount = Math.min(
      60_000,
      Math.max(8, Math.round(rnd.logNormal(Math.log(project ? 300 : 120), 1.1))),
    );
    const valueYuan = project
      ? rnd.logNormal(Math.log(8e8), 1.2) // planned investment
      : headcount * rnd.logNormal(Math.log(6e5), 0.7); // output value per employee
    const county = nameOf.get(regionCode) ?? '';
    const trade = rnd.pick(TRADES[sector]);
    const name = project
      ? `${shortName(county)}${trade}`
      : `河南${rnd.pick(FIRMS)}${trade}${rnd.pick(SUFFIXES)}`;
    add({
      kind: project ? 'project' : 'enterprise',
      usccPrefix: '91',
      name: project ? name : name.replace('河南', rnd.bool(0.5) ? '河南' : shortName(county)),
      sectors,
      regionCode,
      address: `河南省${nameOf.get(`${regionCode.slice(0, 4)}00`) ?? ''}${county}`,
      headcount,
      annualValueFen: yuanToFen(Math.min(valueYuan, 5e11)),
      cityOperations: sectors.includes('city_operations'),
    });
  }
  const enterpriseOrgs = new Map<string, OrgRow>();
  for (const e of rows)
    enterpriseOrgs.set(
      e.id!,
      org('enterprise', e.name, e.regionCode, 'enterprise', e.sectors as Sector[], e.id!),
    );

  // Sector output totals (the coverage denominator): each county's statistics are its enterprises' sum
  // times a factor per city and sector, so some sectors can reach 70 % and others cannot.
  const sums = new Map<string, number>();
  for (const e of rows) {
    if (e.kind === 'park') continue;
    const key = `${e.regionCode}|${e.sectors![0]}`;
    sums.set(key, (sums.get(key) ?? 0) + (e.annualValueFen ?? 0));
  }
  const factor = new Map<string, number>();
  const totals: Array<typeof sectorOutputTotals.$inferInsert> = [];
  for (const [key, sum] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    const [regionCode, sector] = key.split('|') as [string, Sector];
    const cityKey = `${regionCode.slice(0, 4)}|${sector}`;
    // The statistics exceed the registry by a factor per city and sector; its range per sector (with the
    // listed shares in demo.whitelist) decides which sectors can pass 70 % coverage. Above 1/0.95, so every
    // total stays above its enterprises' sum.
    const [lo, hi] = FACTOR_RANGE[sector];
    if (!factor.has(cityKey)) factor.set(cityKey, lo + rnd.next() * (hi - lo));
    const total = Math.round((sum * factor.get(cityKey)! * (0.95 + rnd.next() * 0.1)) / 100) * 100;
    totals.push({
      regionCode,
      sector,
      period: '2021',
      totalFen: total,
      source: '河南省统计局 2021年分行业产值(演示数据) / demo statistics',
    });
  }

  // Users: one per role per tier, with usernames that say who they are.
  const zz = byRegion.get(ZHENGZHOU)!;
  const js = byRegion.get(JINSHUI)!;
  const specs: Array<{
    username: string;
    displayName: string;
    role: Role;
    unit: OrgRow;
    description: string;
  }> = [
    {
      username: 'admin',
      displayName: '系统管理员',
      role: 'admin',
      unit: platform,
      description: '平台管理员：用户、令牌、参数 / platform administrator',
    },
    {
      username: 'auditor',
      displayName: '安全审计员',
      role: 'auditor',
      unit: platform,
      description: '审计员：审计日志与哈希链校验 / auditor',
    },
    {
      username: 'province.command',
      displayName: '省指挥部办公室值班员',
      role: 'command_office',
      unit: provinceCommand,
      description: '省指挥部办公室：一屏掌控、交办、停产审批 / province command office',
    },
    {
      username: 'zhengzhou.command',
      displayName: '郑州市指挥部办公室值班员',
      role: 'command_office',
      unit: zz.command!,
      description: '郑州市指挥部办公室：检查审批 / Zhengzhou command office',
    },
    {
      username: 'jinshui.command',
      displayName: '金水区指挥部办公室值班员',
      role: 'command_office',
      unit: js.command!,
      description: '金水区指挥部办公室：应急状态切换 / Jinshui county command office',
    },
    {
      username: 'province.industry',
      displayName: '省工信厅白名单专班',
      role: 'sector_department',
      unit: provinceDepts.get('industry')!,
      description: '省工业和信息化厅：工业生产白名单 / provincial industry department',
    },
    {
      username: 'province.commerce',
      displayName: '省商务厅白名单专班',
      role: 'sector_department',
      unit: provinceDepts.get('commerce')!,
      description: '省商务厅：商贸流通白名单 / provincial commerce department',
    },
    {
      username: 'zhengzhou.industry',
      displayName: '郑州市工信局专班',
      role: 'sector_department',
      unit: zz.industry!,
      description: '郑州市工业和信息化局 / Zhengzhou industry bureau',
    },
    {
      username: 'jinshui.industry',
      displayName: '金水区工信局专班',
      role: 'sector_department',
      unit: js.industry!,
      description: '金水区工业和信息化局 / Jinshui county industry bureau',
    },
    {
      username: 'zhengzhou.gov',
      displayName: '郑州市政府包保专班',
      role: 'local_government',
      unit: zz.government!,
      description: '郑州市人民政府：属地责任 / Zhengzhou city government',
    },
    {
      username: 'jinshui.gov',
      displayName: '金水区包保干部',
      role: 'local_government',
      unit: js.government!,
      description: '金水区人民政府：包保干部 / Jinshui county government (liaison)',
    },
    {
      username: 'province.epidemic',
      displayName: '省疫情防控指挥部办公室',
      role: 'epidemic_office',
      unit: provinceEpidemic,
      description: '省卫生健康委：预警、入豫报备、赋码规则 / provincial epidemic office',
    },
    {
      username: 'zhengzhou.epidemic',
      displayName: '郑州市卫健委防控专班',
      role: 'epidemic_office',
      unit: zz.epidemic!,
      description: '郑州市卫生健康委员会 / Zhengzhou epidemic office',
    },
    {
      username: 'jinshui.epidemic',
      displayName: '金水区卫健委防控专班',
      role: 'epidemic_office',
      unit: js.epidemic!,
      description: '金水区卫生健康委员会 / Jinshui epidemic office',
    },
    {
      username: 'province.logistics',
      displayName: '省保通保畅专班',
      role: 'logistics',
      unit: provinceLogistics,
      description: '省物流保通保畅领导小组：通行证审批 / provincial logistics group',
    },
    {
      username: 'zhongmu.checkpoint',
      displayName: '郑州西检查站执勤员',
      role: 'checkpoint',
      unit: checkpoint,
      description: '交通防疫检查站：核验通行证 / checkpoint officer',
    },
    {
      username: 'zhengzhou.lab',
      displayName: '郑州核酸检测实验室',
      role: 'lab',
      unit: lab,
      description: '核酸检测机构：上传检测结果 / testing lab',
    },
    {
      username: 'enterprise.zhongyuan-foods',
      displayName: '郑州中原食品防疫专员',
      role: 'enterprise',
      unit: enterpriseOrgs.get(demoEnterprise.id!)!,
      description: '企业用户：白名单申报、员工两码一证、日报 / enterprise user',
    },
  ];
  const accounts: DemoAccount[] = [];
  const userRows: Array<typeof users.$inferInsert> = [];
  for (const s of specs) {
    const password = generatePassword(randomBytes);
    userRows.push({
      id: newId(),
      username: s.username,
      displayName: s.displayName,
      orgUnitId: s.unit.id,
      role: s.role,
      passwordHash: await hashPassword(password),
    });
    accounts.push({
      username: s.username,
      password,
      role: s.role,
      tier: s.unit.tier,
      regionCode: s.unit.regionCode,
      orgUnit: s.unit.name,
      description: s.description,
    });
  }

  let labToken: DemoResult['labToken'] | undefined;
  let whitelist: Awaited<ReturnType<typeof seedDemoWhitelist>> | undefined;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(enterprises).values(rows.slice(i, i + 1000));
    for (let i = 0; i < orgs.length; i += 1000) await tx.insert(orgUnits).values(orgs.slice(i, i + 1000));
    await tx.insert(users).values(userRows);
    for (let i = 0; i < totals.length; i += 1000)
      await tx.insert(sectorOutputTotals).values(totals.slice(i, i + 1000));
    whitelist = await seedDemoWhitelist(tx, createRandom((options.seed ?? 20220525) + 1), rows, nameOf);
    const expiresAt = new Date(Date.now() + 365 * 86_400_000);
    const created = await createApiToken(
      tx,
      {
        name: 'demo-lab',
        orgUnitId: lab.id,
        role: 'lab',
        permissions: ['workforce.ingest_tests'],
        expiresAt,
      },
      { actor: null },
    );
    labToken = {
      name: 'demo-lab',
      token: created.token,
      orgUnit: lab.name,
      expiresAt: expiresAt.toISOString(),
    };
    await writeAudit(
      tx,
      { actor: null },
      {
        action: 'demo.seeded',
        objectType: 'province',
        objectId: PROVINCE,
        summary: { size: options.size, orgUnits: orgs.length, enterprises: rows.length },
      },
    );
  });
  return {
    accounts,
    labToken: labToken!,
    counts: {
      orgUnits: orgs.length,
      users: userRows.length,
      enterprises: rows.length,
      sectorTotals: totals.length,
      whitelistEntries: whitelist?.entries ?? 0,
    },
  };
}
