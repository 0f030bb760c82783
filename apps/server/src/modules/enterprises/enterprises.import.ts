import { SECTOR_LABELS, SECTORS, type Sector, UsccSchema } from '@sibao/contracts';
import { z } from 'zod';
import { defineImport } from '../../platform/files/files.import';
import { loadHenanDivisions } from '../regions';

const KIND_LABELS = {
  企业: 'enterprise',
  项目: 'project',
  园区: 'park',
  enterprise: 'enterprise',
  project: 'project',
  park: 'park',
} as const;
const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0']);

const sectorByLabel = new Map<string, Sector>();
for (const s of SECTORS) {
  sectorByLabel.set(s, s);
  sectorByLabel.set(SECTOR_LABELS[s].zh, s);
  sectorByLabel.set(SECTOR_LABELS[s].en.toLowerCase(), s);
}

const countyCodes = () =>
  new Set(
    loadHenanDivisions()
      .regions.filter((r) => r.level === 'county' || r.level === 'zone')
      .map((r) => r.code),
  );

/** One 万元 is 1,000,000 fen. */
const WAN_TO_FEN = 1_000_000;

/** The enterprise registry's Excel import (Chinese headers, English accepted). */
export const enterpriseImport = defineImport({
  maxRows: 50_000,
  columns: [
    {
      key: 'uscc',
      header: { zh: '统一社会信用代码', en: 'USCC' },
      aliases: ['信用代码'],
      schema: UsccSchema,
      required: true,
      unique: true,
      example: '91410105MA44ABCD1X',
      width: 22,
      note: { zh: '18位，末位为校验码', en: '18 characters with a check character' },
    },
    {
      key: 'name',
      header: { zh: '企业(项目)名称', en: 'Name' },
      aliases: ['企业名称', '项目名称', '名称'],
      schema: z.string().min(2).max(100),
      required: true,
      width: 30,
    },
    {
      key: 'kind',
      header: { zh: '类型', en: 'Kind' },
      schema: z.string().transform((v, ctx) => {
        const kind = KIND_LABELS[v as keyof typeof KIND_LABELS];
        if (!kind) ctx.addIssue({ code: 'custom', message: 'KIND_INVALID' });
        return kind ?? 'enterprise';
      }),
      note: { zh: '企业、项目或园区，默认企业', en: 'enterprise, project or park' },
    },
    {
      key: 'sectors',
      header: { zh: '行业领域', en: 'Sectors' },
      aliases: ['行业'],
      required: true,
      schema: z.string().transform((v, ctx) => {
        const parts = v.split(/[、,，;；/\s]+/u).filter(Boolean);
        const out: Sector[] = [];
        for (const p of parts) {
          const s = sectorByLabel.get(p.toLowerCase()) ?? sectorByLabel.get(p);
          if (!s) ctx.addIssue({ code: 'custom', message: `SECTOR_UNKNOWN: ${p}` });
          else if (!out.includes(s)) out.push(s);
        }
        return out;
      }),
      example: '工业生产',
      note: {
        zh: `可填多个，用顿号分隔：${SECTORS.map((s) => SECTOR_LABELS[s].zh).join('、')}`,
        en: 'one or more sectors',
      },
    },
    {
      key: 'regionCode',
      header: { zh: '所在县(市、区)代码', en: 'County code' },
      aliases: ['区划代码', '县区代码'],
      required: true,
      schema: z.string().refine((v) => countyCodes().has(v), { message: 'REGION_NOT_COUNTY' }),
      example: '410105',
      note: { zh: 'GB/T 2260 县级行政区划代码', en: 'GB/T 2260 county-level code' },
    },
    { key: 'address', header: { zh: '地址', en: 'Address' }, schema: z.string().max(200), width: 30 },
    {
      key: 'headcount',
      header: { zh: '员工人数', en: 'Headcount' },
      schema: z.coerce.number().int().min(0).max(1_000_000),
    },
    {
      key: 'annualValueFen',
      header: { zh: '年产值或计划总投资(万元)', en: 'Annual output or planned investment (10k yuan)' },
      aliases: ['年产值(万元)', '计划总投资(万元)'],
      schema: z.coerce
        .number()
        .min(0)
        .max(1e9)
        .transform((wan) => Math.round(wan * WAN_TO_FEN)),
      note: { zh: '单位：万元，可带两位小数', en: 'in 10,000 yuan' },
    },
    {
      key: 'cityOperations',
      header: { zh: '城市运行保障企业', en: 'City operations' },
      schema: z.string().transform((v, ctx) => {
        const s = v.toLowerCase();
        if (YES.has(s)) return true;
        if (!NO.has(s)) ctx.addIssue({ code: 'custom', message: 'YES_NO_EXPECTED' });
        return false;
      }),
      note: { zh: '是或否', en: 'yes or no' },
    },
  ],
});
