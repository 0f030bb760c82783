/**
 * The side menu as data. A module adds its page here once: the menu, the home page's quick links and
 * the route guard all read this list, so an entry is shown only to users holding its permission.
 */
import {
  ApartmentOutlined,
  HomeOutlined,
  ShopOutlined,
  SlidersOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@sibao/contracts';
import type { ReactNode } from 'react';
import type { Label } from './messages';

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
