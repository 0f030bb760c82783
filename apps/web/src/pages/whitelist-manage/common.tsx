/**
 * What the whitelist management pages share: status and result tags, money and ratio formats, region names
 * of the official's subtree, and the entry-list query key (so changes refresh every list that shows them).
 */
import { SECTOR_LABELS, type Sector, TIER_LABELS } from '@sibao/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { api } from '../../api';
import { type I18n, useI18n } from '../../i18n';
import { useMe } from '../../session';

export type EntryStatus = 'active' | 'suspended' | 'removed';
export type ServiceTier = 'province' | 'city' | 'county';

export const wlKeys = {
  all: ['whitelist-manage'] as const,
  entries: (filter: unknown) => ['whitelist-manage', 'entries', filter] as const,
  entry: (id: string) => ['whitelist-manage', 'entry', id] as const,
  checks: (filter: unknown) => ['whitelist-manage', 'checks', filter] as const,
  batches: ['whitelist-manage', 'batches'] as const,
};

const STATUS_COLORS: Record<EntryStatus, string> = {
  active: 'green',
  suspended: 'orange',
  removed: 'default',
};

export function EntryStatusTag({ status, breaker }: { status: EntryStatus; breaker?: boolean }) {
  const { t } = useI18n();
  return (
    <Tag color={breaker ? 'red' : STATUS_COLORS[status]} data-testid="entry-status">
      {breaker ? t('wl.entries.status.circuitBreaker') : t(`wl.entries.status.${status}`)}
    </Tag>
  );
}

export function tierLabel(tier: ServiceTier, i18n: I18n): string {
  return i18n.pick(TIER_LABELS[tier]);
}

export function sectorLabel(sector: Sector, i18n: I18n): string {
  return i18n.pick(SECTOR_LABELS[sector]);
}

/** Fen as 万元 with separators, at most two decimals. */
export function formatWan(fen: number, lang: I18n['lang']): string {
  return (fen / 1_000_000).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 2 });
}

/** A ratio as a percentage with one decimal: 0.7234 → 72.3 %. */
export function formatRatio(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function businessToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** A date (YYYY-MM-DD) `days` later. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The official's own region and two levels below it (enough for a county code's name), fetched once and
 * cached: for naming the regions entries and checks are in, and for the region filter.
 */
export function useRegionNames(): { names: Map<string, string>; children: { code: string; name: string }[] } {
  const me = useMe();
  const own = useQuery({
    queryKey: ['regions', me.region.code],
    queryFn: () => api.regions(me.region.code),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const children = own.data?.items ?? [];
  const grand = useQueries({
    queries: children
      .filter((child) => (child.childCount ?? 0) > 0)
      .map((child) => ({
        queryKey: ['regions', child.code],
        queryFn: () => api.regions(child.code),
        staleTime: Number.POSITIVE_INFINITY,
      })),
  });
  const names = new Map<string, string>([[me.region.code, me.region.name]]);
  for (const region of children) names.set(region.code, region.name);
  for (const query of grand)
    for (const region of query.data?.items ?? []) names.set(region.code, region.name);
  return { names, children: children.map((child) => ({ code: child.code, name: child.name })) };
}
