/**
 * The side menu as data. A module adds its page here once: the menu, the home page's quick links and
 * the route guard all read this list, so an entry is shown only to users holding its permission.
 */
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BookOutlined,
  CarryOutOutlined,
  EnvironmentOutlined,
  FileSearchOutlined,
  FormOutlined,
  FundOutlined,
  HomeOutlined,
  NotificationOutlined,
  PieChartOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  SlidersOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@sibao/contracts';
import type { ReactNode } from 'react';
import { type Label, messages } from './messages';

export interface MenuEntry {
  key: string;
  label: Label;
  /** `null`: every signed-in user. */
  permission: Permission | null;
  path: string;
  icon: ReactNode;
  /** One line for the home page's quick link. */
  description: Label;
}

export const MENU: readonly MenuEntry[] = [
  {
    key: 'home',
    label: { zh: '首页', en: 'Home' },
    permission: null,
    path: '/',
    icon: <HomeOutlined />,
    description: { zh: '工作概览', en: 'Overview of your work' },
  },
  {
    key: 'enterprises',
    label: { zh: '企业名录', en: 'Enterprises' },
    permission: 'enterprises.read',
    path: '/enterprises',
    icon: <ShopOutlined />,
    description: {
      zh: '查找、筛选、导入导出辖区企业(项目)',
      en: 'Find, filter, import and export enterprises',
    },
  },
  {
    key: 'reg-queue',
    label: { zh: '企业登记确认', en: 'Registrations' },
    permission: 'enterprises.manage',
    path: '/registrations',
    icon: <SolutionOutlined />,
    description: {
      zh: '确认或退回企业自行提交的登记',
      en: 'Confirm or reject enterprises that registered themselves',
    },
  },
  {
    key: 'regions',
    label: { zh: '行政区划', en: 'Regions' },
    permission: 'regions.read',
    path: '/regions',
    icon: <ApartmentOutlined />,
    description: { zh: '省、市、县三级行政区划', en: 'Province, city and county divisions' },
  },
  {
    key: 'parameters',
    label: { zh: '参数', en: 'Parameters' },
    permission: 'parameters.read',
    path: '/parameters',
    icon: <SlidersOutlined />,
    description: { zh: '检测频次、隔离天数等政策参数', en: 'Test cadence, quarantine days and other rules' },
  },
  {
    key: 'wl-apply',
    label: { zh: '白名单申报', en: 'Whitelist application' },
    permission: 'whitelist.apply',
    path: '/whitelist/apply',
    icon: <FormOutlined />,
    description: {
      zh: '对照遴选标准申报，立即知道是否达标',
      en: 'Apply against the criteria and see the result at once',
    },
  },
  {
    key: 'crit',
    label: { zh: '遴选标准', en: 'Criteria' },
    permission: 'whitelist.publish',
    path: '/criteria',
    icon: <BookOutlined />,
    description: {
      zh: '各行业白名单遴选标准的草稿、发布与版本',
      en: 'Draft, publish and version each sector’s criteria',
    },
  },
  {
    key: 'wl-review',
    label: { zh: '白名单审核', en: 'Whitelist review' },
    permission: 'whitelist.review',
    path: '/whitelist/review',
    icon: <AuditOutlined />,
    description: {
      zh: '审核企业申报：通过、不予通过或退回补充',
      en: 'Review applications: approve, reject or return',
    },
  },
  {
    key: 'wl-entries',
    label: { zh: '白名单企业', en: 'Whitelist entries' },
    permission: 'whitelist.oversee',
    path: '/whitelist/entries',
    icon: <SafetyCertificateOutlined />,
    description: {
      zh: '在册、暂停、移出的白名单企业及其变更记录',
      en: 'Active, suspended and removed entries with their history',
    },
  },
  {
    key: 'wl-checks',
    label: { zh: '抽查', en: 'Spot checks' },
    permission: 'whitelist.oversee',
    path: '/whitelist/spot-checks',
    icon: <FileSearchOutlined />,
    description: { zh: '抽查记录与逾期整改', en: 'Spot checks and overdue rectifications' },
  },
  {
    key: 'wl-batches',
    label: { zh: '公布批次', en: 'Batches' },
    permission: 'whitelist.oversee',
    path: '/whitelist/batches',
    icon: <NotificationOutlined />,
    description: { zh: '按批次向社会公布白名单', en: 'Publish the whitelist in numbered batches' },
  },
  {
    key: 'wl-coverage',
    label: { zh: '覆盖率', en: 'Coverage' },
    permission: 'whitelist.oversee',
    path: '/whitelist/coverage',
    icon: <PieChartOutlined />,
    description: {
      zh: '各行业白名单产值覆盖率对照 70% 目标',
      en: 'Coverage of each sector’s output against the 70 % target',
    },
  },
  {
    key: 'wf.roster',
    label: messages['wf.menu.roster'],
    permission: 'workforce.read',
    path: '/workforce/roster',
    icon: <TeamOutlined />,
    description: messages['wf.menu.rosterDesc'],
  },
  {
    key: 'wf.report',
    label: messages['wf.menu.report'],
    permission: 'workforce.read',
    path: '/workforce/daily-report',
    icon: <CarryOutOutlined />,
    description: messages['wf.menu.reportDesc'],
  },
  {
    key: 'wf.arrivals',
    label: messages['wf.menu.arrivals'],
    permission: 'workforce.read',
    path: '/workforce/arrivals',
    icon: <EnvironmentOutlined />,
    description: messages['wf.menu.arrivalsDesc'],
  },
  {
    key: 'wf.alerts',
    label: messages['wf.menu.alerts'],
    permission: 'alerts.read',
    path: '/workforce/alerts',
    icon: <AlertOutlined />,
    description: messages['wf.menu.alertsDesc'],
  },
  {
    key: 'wf.compliance',
    label: messages['wf.menu.compliance'],
    // Officials' view across enterprises (an enterprise keeps its own roster and report instead).
    permission: 'whitelist.oversee',
    path: '/workforce/compliance',
    icon: <FundOutlined />,
    description: messages['wf.menu.complianceDesc'],
  },
  {
    key: 'account',
    label: { zh: '我的账户', en: 'My account' },
    permission: null,
    path: '/account',
    icon: <UserOutlined />,
    description: { zh: '密码、动态验证码与登录会话', en: 'Password, second factor and sessions' },
  },
];

export function menuEntry(key: string): MenuEntry {
  const entry = MENU.find((candidate) => candidate.key === key);
  if (!entry) throw new Error(`No menu entry ${key}`);
  return entry;
}

/** The entry whose page is open: the longest path that prefixes the location. */
export function activeMenuKey(pathname: string): string | undefined {
  let best: MenuEntry | undefined;
  for (const entry of MENU) {
    const matches =
      entry.path === '/'
        ? pathname === '/'
        : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.key;
}
