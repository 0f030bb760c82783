import {
  DRUG_CATEGORIES,
  HEALTH_CODES,
  IdNumberSchema,
  ITINERARY_CODES,
  MobileSchema,
  RISK_LEVELS,
  ROLE_CATEGORIES,
  VACCINATION_STATUSES,
} from '@sibao/contracts';
import { z } from 'zod';
import { defineImport, labelled } from '../../platform/files/files.import';

const ROLE_LABELS = {
  常规: 'regular',
  常规岗位: 'regular',
  流动: 'mobile',
  流动性岗位: 'mobile',
  '流动性、接触性岗位': 'mobile',
  接触性岗位: 'mobile',
  城市保供: 'city_supply',
  城市保供人员: 'city_supply',
} as const;
const HEALTH_LABELS = {
  绿码: 'green',
  黄码: 'yellow',
  红码: 'red',
  绿: 'green',
  黄: 'yellow',
  红: 'red',
} as const;
const ITINERARY_LABELS = { 正常: 'normal', 带星: 'starred', '带*': 'starred', 异常: 'abnormal' } as const;
const VACCINATION_LABELS = {
  未接种: 'none',
  部分接种: 'partial',
  全程接种: 'full',
  加强免疫: 'booster',
} as const;

/**
 * The roster's Excel/CSV import (Chinese headers, English accepted). ID numbers must not repeat within the
 * file (`unique`); repeats across enterprises are checked against the database by the import job.
 */
export const rosterImport = defineImport({
  maxRows: 50_000,
  sheetName: { zh: '员工名册', en: 'Roster' },
  columns: [
    {
      key: 'name',
      header: { zh: '姓名', en: 'Name' },
      schema: z.string().min(1).max(50),
      required: true,
      example: '张三',
      width: 12,
    },
    {
      key: 'idNumber',
      header: { zh: '身份证号', en: 'ID number' },
      aliases: ['身份证号码', '公民身份号码'],
      schema: IdNumberSchema,
      required: true,
      unique: true,
      example: '410102199003071230',
      width: 22,
      note: { zh: '18位居民身份证号码', en: '18-character resident ID number' },
    },
    {
      key: 'phone',
      header: { zh: '手机号码', en: 'Mobile' },
      aliases: ['手机号', '联系电话'],
      schema: MobileSchema,
      required: true,
      example: '13812348000',
      width: 14,
    },
    {
      key: 'roleCategory',
      header: { zh: '岗位类别', en: 'Role category' },
      schema: labelled(ROLE_CATEGORIES, ROLE_LABELS, 'ROLE_CATEGORY_UNKNOWN'),
      note: {
        zh: '常规、流动(物流、销售等流动性接触性岗位)或城市保供,默认常规',
        en: 'regular, mobile or city_supply',
      },
    },
    {
      key: 'workUnit',
      header: { zh: '工作单元', en: 'Work unit' },
      aliases: ['车间', '单元'],
      schema: z.string().max(50),
    },
    { key: 'shift', header: { zh: '班组', en: 'Shift' }, schema: z.string().max(50) },
    { key: 'dorm', header: { zh: '宿舍', en: 'Dormitory' }, schema: z.string().max(50) },
    {
      key: 'startedOn',
      header: { zh: '到岗日期', en: 'Started on' },
      schema: z.iso.date(),
      note: { zh: '格式 2022-06-01,默认导入当天', en: 'YYYY-MM-DD; default the import day' },
    },
    {
      key: 'healthCode',
      header: { zh: '健康码', en: 'Health code' },
      schema: labelled(HEALTH_CODES, HEALTH_LABELS, 'HEALTH_CODE_UNKNOWN'),
      note: { zh: '绿码、黄码或红码,默认绿码', en: 'green, yellow or red' },
    },
    {
      key: 'itineraryCode',
      header: { zh: '行程码', en: 'Itinerary code' },
      schema: labelled(ITINERARY_CODES, ITINERARY_LABELS, 'ITINERARY_CODE_UNKNOWN'),
      note: { zh: '正常、带星或异常,默认正常', en: 'normal, starred or abnormal' },
    },
    {
      key: 'vaccination',
      header: { zh: '疫苗接种', en: 'Vaccination' },
      schema: labelled(VACCINATION_STATUSES, VACCINATION_LABELS, 'VACCINATION_UNKNOWN'),
      note: { zh: '未接种、部分接种、全程接种或加强免疫,可不填', en: 'optional' },
    },
  ],
});

const RISK_LABELS = {
  中风险: 'medium',
  中风险地区: 'medium',
  高风险: 'high',
  高风险地区: 'high',
  静态管理: 'static',
  静态管理区域: 'static',
} as const;

/**
 * The risk-area table the epidemic-prevention office imports (中高风险地区 and 静态管理区域 with their
 * validity). Small reference data: parsed in the request, all or nothing.
 */
export const riskAreaImport = defineImport({
  maxRows: 5_000,
  sheetName: { zh: '风险地区', en: 'Risk areas' },
  columns: [
    {
      key: 'code',
      header: { zh: '地区代码', en: 'Area code' },
      aliases: ['行政区划代码', '区划代码'],
      schema: z.string().regex(/^\d{6}$/),
      required: true,
      example: '310115',
      width: 12,
      note: { zh: '县(市、区)、市或省的6位行政区划代码', en: 'six-digit GB/T 2260 code' },
    },
    {
      key: 'level',
      header: { zh: '风险等级', en: 'Level' },
      schema: labelled(RISK_LEVELS, RISK_LABELS, 'RISK_LEVEL_UNKNOWN'),
      required: true,
      example: '高风险',
      note: { zh: '中风险、高风险或静态管理', en: 'medium, high or static' },
    },
    {
      key: 'from',
      header: { zh: '起始日期', en: 'From' },
      schema: z.iso.date(),
      required: true,
      example: '2022-06-01',
      note: { zh: '含当日', en: 'inclusive' },
    },
    {
      key: 'to',
      header: { zh: '解除日期', en: 'To' },
      schema: z.iso.date(),
      note: { zh: '不含当日;未解除的留空', en: 'exclusive; empty while in force' },
    },
    {
      key: 'source',
      header: { zh: '发布来源', en: 'Source' },
      schema: z.string().min(1).max(200),
      required: true,
      example: '国务院客户端 2022-06-01 公告',
      width: 30,
    },
  ],
});

const DRUG_LABELS = {
  退热: 'fever',
  退热类: 'fever',
  止咳: 'cough',
  止咳类: 'cough',
  抗病毒: 'antiviral',
  抗病毒类: 'antiviral',
  抗生素: 'antibiotic',
  抗生素类: 'antibiotic',
} as const;

/** 四类药品 purchase records as a file (the same rows as the API feed), for offices without the API. */
export const drugPurchaseImport = defineImport({
  maxRows: 10_000,
  sheetName: { zh: '购药记录', en: 'Drug purchases' },
  columns: [
    {
      key: 'recordId',
      header: { zh: '记录编号', en: 'Record id' },
      schema: z.string().min(1).max(64),
      required: true,
      unique: true,
      example: 'YD-20220601-0001',
    },
    {
      key: 'idNumber',
      header: { zh: '身份证号', en: 'ID number' },
      schema: IdNumberSchema,
      required: true,
      example: '410102199003071230',
      width: 22,
    },
    {
      key: 'purchasedAt',
      header: { zh: '购药时间', en: 'Purchased at' },
      // Wall-clock Beijing time as written in a spreadsheet (an .xlsx date cell arrives as ISO without offset).
      schema: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/)
        .transform((text) => new Date(`${text.replace(' ', 'T')}${text.length === 16 ? ':00' : ''}+08:00`)),
      required: true,
      example: '2022-06-01 10:30',
      note: { zh: '北京时间', en: 'Beijing time' },
    },
    {
      key: 'category',
      header: { zh: '药品类别', en: 'Category' },
      schema: labelled(DRUG_CATEGORIES, DRUG_LABELS, 'DRUG_CATEGORY_UNKNOWN'),
      required: true,
      example: '退热',
      note: { zh: '退热、止咳、抗病毒或抗生素', en: 'fever, cough, antiviral or antibiotic' },
    },
    {
      key: 'pharmacy',
      header: { zh: '药店', en: 'Pharmacy' },
      schema: z.string().min(1).max(100),
      required: true,
      example: '金水区花园路大药房',
      width: 24,
    },
  ],
});
