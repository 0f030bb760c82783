/**
 * What the workforce pages share: query keys, the compliance colour of an employee (green current, amber due
 * within 12 h, red overdue), and the tags for role, 两码 and alert state.
 */
import type { AlertKind, AlertState, HealthCode, ItineraryCode, RoleCategory } from '@sibao/contracts';
import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import type { Employee } from '../../api';
import { useI18n } from '../../i18n';

export const wfKeys = {
  all: ['workforce'] as const,
  employees: (filter: unknown) => ['workforce', 'employees', filter] as const,
  reports: (date: string) => ['workforce', 'daily-reports', date] as const,
  stats: (date: string | undefined) => ['workforce', 'daily-report-stats', date ?? 'today'] as const,
  alerts: (filter: unknown) => ['workforce', 'alerts', filter] as const,
  alertCounts: ['workforce', 'alert-counts'] as const,
};

/** Due within this many hours reads amber: the day shift still has time to get tested. */

export type Compliance = 'current' | 'dueSoon' | 'overdue' | 'inactive';

/** The server decides (overdue, or due within `workforce.dueSoonHours`); the page only colours it. */
export function complianceOf(employee: Employee): Compliance {
  if (employee.status !== 'active' || employee.nextDueAt === null) return 'inactive';
  if (employee.overdue) return 'overdue';
  return employee.dueSoon ? 'dueSoon' : 'current';
}

const COMPLIANCE_COLORS: Record<Compliance, string> = {
  current: 'green',
  dueSoon: 'gold',
  overdue: 'red',
  inactive: 'default',
};

/** The test-compliance tag with the next due time under it. */
export function ComplianceCell({ employee }: { employee: Employee }) {
  const { t, dateTime } = useI18n();
  const compliance = complianceOf(employee);
  return (
    <span className="wf-compliance" data-compliance={compliance}>
      <Tag color={COMPLIANCE_COLORS[compliance]}>{t(`wf.compliance.${compliance}`)}</Tag>
      {employee.nextDueAt ? (
        <Typography.Text type={compliance === 'overdue' ? 'danger' : 'secondary'} className="small">
          {t('wf.roster.dueAt', { at: dateTime(employee.nextDueAt) })}
        </Typography.Text>
      ) : null}
    </span>
  );
}

const HEALTH_COLORS: Record<HealthCode, string> = { green: 'green', yellow: 'gold', red: 'red' };
const ITINERARY_COLORS: Record<ItineraryCode, string> = {
  normal: 'green',
  starred: 'blue',
  abnormal: 'red',
};

/** 两码: health code and itinerary code. */
export function CodeTags({ health, itinerary }: { health: HealthCode; itinerary: ItineraryCode }) {
  const { t } = useI18n();
  return (
    <span>
      <Tag color={HEALTH_COLORS[health]}>{t(`wf.health.${health}`)}</Tag>
      <Tag color={ITINERARY_COLORS[itinerary]}>{t(`wf.itinerary.${itinerary}`)}</Tag>
    </span>
  );
}

export function RoleTag({ role }: { role: RoleCategory }) {
  const { t } = useI18n();
  return <Tag>{t(`wf.role.${role}`)}</Tag>;
}

const STATE_COLORS: Record<AlertState, string> = {
  new: 'red',
  acknowledged: 'orange',
  resolved: 'green',
  dismissed: 'default',
};

export function AlertStateTag({ state }: { state: AlertState }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="alert-state">
      {t(`wf.alert.state.${state}`)}
    </Tag>
  );
}

export function AlertKindTag({ kind }: { kind: AlertKind }) {
  const { t } = useI18n();
  return <Tag color="volcano">{t(`wf.alert.kind.${kind}`)}</Tag>;
}

/** Work unit · shift · dorm (划小单元), or a dash. */
export function unitText(employee: Employee): string {
  return [employee.workUnit, employee.shift, employee.dorm].filter(Boolean).join(' · ') || '—';
}

/**
 * The page's filters in the address bar: the current parameters and a setter that changes several at once (an
 * empty value removes one), replacing the history entry — choosing a filter is not a step to go back to.
 */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return [params, set] as const;
}

/** A cursor-paged list ("load more"): the query, the rows loaded so far and the total the server counted. */
export function useCursorList<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | null) => Promise<{ items: T[]; total: number; nextCursor: string | null }>,
) {
  const list = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  return { list, rows, total };
}
