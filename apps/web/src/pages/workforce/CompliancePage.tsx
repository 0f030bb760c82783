/**
 * 企业防疫合规 for liaison cadres, counties and cities: per enterprise in scope, active staff, tested on time,
 * overdue (count and share), due soon (next test within `workforce.dueSoonHours`, linking to the roster's
 * due-soon filter), the daily report of the last day due, open alerts and open arrival actions —
 * coloured by standing, sortable (on the server), filtered by region and standing, with subtotals by county
 * (or city) and the total; each enterprise links to its roster, alerts and arrivals. Exports to Excel/CSV.
 */
import { DownloadOutlined } from '@ant-design/icons';
import {
  COMPLIANCE_SORTS,
  COMPLIANCE_STANDINGS,
  type ComplianceSort,
  type ComplianceStanding,
  type ComplianceTotals,
} from '@sibao/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Select,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { type ComplianceFilter, type ComplianceRow, workforceApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';
import { formatRatio, useRegionNames } from '../whitelist-manage/common';
import { useFilterParams } from './common';
import './workforce.css';

const STANDING_COLORS: Record<ComplianceStanding, string> = { good: 'green', attention: 'gold', poor: 'red' };
/** Row stripes reuse the roster's compliance colours. */
const STANDING_ROW: Record<ComplianceStanding, string> = {
  good: 'current',
  attention: 'dueSoon',
  poor: 'overdue',
};
const REPORT_COLORS: Record<ComplianceRow['report'], string> = {
  zero: 'green',
  on_time: 'green',
  late: 'gold',
  missing: 'red',
};

export default function CompliancePage() {
  const { lang, t, dateTime } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const isPhone = Grid.useBreakpoint().md === false;
  const { names, children } = useRegionNames();
  const [params, set] = useFilterParams();
  const sortParam = params.get('sort');
  const standingParam = params.get('standing');
  const filter: ComplianceFilter = {
    region: params.get('region') ?? undefined,
    standing: (COMPLIANCE_STANDINGS as readonly string[]).includes(standingParam ?? '')
      ? (standingParam as ComplianceStanding)
      : undefined,
    sort: (COMPLIANCE_SORTS as readonly string[]).includes(sortParam ?? '')
      ? (sortParam as ComplianceSort)
      : 'standing',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    by: params.get('by') === 'city' ? 'city' : 'county',
  };
  const table = useQuery({
    queryKey: ['workforce', 'compliance', filter],
    queryFn: () => workforceApi.compliance(filter),
  });
  const exporting = useMutation({
    mutationFn: (format: 'xlsx' | 'csv') => workforceApi.exportCompliance(filter, format, 'utf8'),
    onError: (error) => void message.error(errorMessage(error, lang)),
  });

  const data = table.data;
  const regionName = (code: string) => names.get(code) ?? code;
  const sortOrder = (key: ComplianceSort): SortOrder =>
    filter.sort === key ? (filter.order === 'asc' ? 'ascend' : 'descend') : null;
  const sortable = (key: ComplianceSort) => ({
    key,
    sorter: true,
    sortOrder: sortOrder(key),
    sortDirections: ['descend', 'ascend'] as SortOrder[],
  });

  const rosterQuery = (row: ComplianceRow) =>
    `enterpriseId=${encodeURIComponent(row.enterpriseId)}&enterprise=${encodeURIComponent(row.enterpriseName)}`;
  const links = (row: ComplianceRow) => {
    const q = rosterQuery(row);
    return (
      <Flex gap={8} wrap="wrap" className="small">
        <Link to={`/workforce/roster?${q}`}>{t('wf.comp.roster')}</Link>
        <Link to={`/workforce/alerts?${q}`}>{t('wf.comp.alerts')}</Link>
        <Link to={`/workforce/arrivals?${q}`}>{t('wf.comp.arrivals')}</Link>
      </Flex>
    );
  };
  // The window comes with the data (the parameter in force), so the header never guesses it.
  const dueSoonTitle = t('wf.comp.dueSoon', { hours: data?.dueSoonHours ?? '…' });
  /** The count, linking to the enterprise's roster filtered to the people due soon. */
  const dueSoonCell = (row: ComplianceRow) =>
    row.dueSoon > 0 ? (
      <Link to={`/workforce/roster?${rosterQuery(row)}&dueSoon=true`} data-testid="due-soon">
        {row.dueSoon}
      </Link>
    ) : (
      <span data-testid="due-soon">0</span>
    );
  const reportCell = (row: ComplianceRow) => (
    <Flex vertical gap={2}>
      <span>
        <Tag color={REPORT_COLORS[row.report]}>{t(`wf.comp.report.${row.report}`)}</Tag>
      </span>
      {row.report === 'missing' && row.lastReportDate ? (
        <Typography.Text type="secondary" className="small">
          {t('wf.comp.lastReport', { date: row.lastReportDate })}
        </Typography.Text>
      ) : null}
    </Flex>
  );

  const columns: TableColumnsType<ComplianceRow> = [
    {
      ...sortable('name'),
      title: t('wf.comp.enterprise'),
      width: 240,
      render: (_, row) => (
        <Flex vertical gap={2}>
          <span>
            {row.enterpriseName}
            {row.whitelisted ? (
              <Tag color="blue" style={{ marginInlineStart: 6 }}>
                {t('wf.comp.whitelisted')}
              </Tag>
            ) : null}
          </span>
          {links(row)}
        </Flex>
      ),
    },
    {
      ...sortable('region'),
      title: t('wf.comp.region'),
      width: 110,
      render: (_, row) => regionName(row.regionCode),
    },
    {
      ...sortable('standing'),
      title: t('wf.comp.standing'),
      width: 100,
      render: (_, row) => (
        <Tag color={STANDING_COLORS[row.standing]} data-testid="standing">
          {t(`wf.comp.standing.${row.standing}`)}
        </Tag>
      ),
    },
    {
      ...sortable('employees'),
      title: t('wf.comp.employees'),
      width: 80,
      align: 'right',
      dataIndex: 'employees',
    },
    { key: 'onTime', title: t('wf.comp.testedOnTime'), width: 90, align: 'right', dataIndex: 'testedOnTime' },
    { ...sortable('overdue'), title: t('wf.comp.overdue'), width: 90, align: 'right', dataIndex: 'overdue' },
    {
      ...sortable('overdueShare'),
      title: t('wf.comp.overdueShare'),
      width: 100,
      align: 'right',
      render: (_, row) => formatRatio(row.overdueShare),
    },
    {
      ...sortable('dueSoon'),
      title: dueSoonTitle,
      width: 150,
      align: 'right',
      render: (_, row) => dueSoonCell(row),
    },
    {
      key: 'report',
      title: t('wf.comp.report', { date: data?.reportDate ?? '' }),
      width: 140,
      render: (_, row) => reportCell(row),
    },
    {
      ...sortable('openAlerts'),
      title: t('wf.comp.openAlerts'),
      width: 100,
      align: 'right',
      dataIndex: 'openAlerts',
    },
    {
      ...sortable('arrivalsOpen'),
      title: t('wf.comp.arrivalsOpen'),
      width: 100,
      align: 'right',
      dataIndex: 'arrivalsOpen',
    },
  ];

  const totalsCells = (label: string, totals: ComplianceTotals, key: string) => (
    <Table.Summary.Row key={key} className="wf-comp-total">
      <Table.Summary.Cell index={0}>
        <Typography.Text strong>{label}</Typography.Text>
      </Table.Summary.Cell>
      <Table.Summary.Cell index={1}>
        {t('wf.comp.count', { n: totals.enterprises, poor: totals.poor })}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={2} />
      <Table.Summary.Cell index={3} align="right">
        {totals.employees}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={4} align="right">
        {totals.testedOnTime}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={5} align="right">
        {totals.overdue}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={6} align="right">
        {formatRatio(totals.overdueShare)}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={7} align="right">
        <span data-testid="due-soon-total">{totals.dueSoon}</span>
      </Table.Summary.Cell>
      <Table.Summary.Cell index={8}>
        {t('wf.comp.report.missing')} {totals.reportsMissing} · {t('wf.comp.report.late')}{' '}
        {totals.reportsLate}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={9} align="right">
        {totals.openAlerts}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={10} align="right">
        {totals.arrivalsOpen}
      </Table.Summary.Cell>
    </Table.Summary.Row>
  );

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.comp.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wf.comp.hint')}</Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={12} wrap="wrap" align="center" justify="space-between">
            <Flex gap={12} wrap="wrap" align="center" className="wf-filters">
              {children.length > 0 ? (
                <Select
                  allowClear
                  aria-label={t('wf.comp.region')}
                  placeholder={t('wf.comp.allRegions')}
                  value={filter.region}
                  onChange={(value) => set({ region: value ?? undefined })}
                  options={children.map((c) => ({ value: c.code, label: c.name }))}
                  style={{ width: isPhone ? '100%' : 160 }}
                />
              ) : null}
              <Select
                allowClear
                aria-label={t('wf.comp.standing')}
                placeholder={t('wf.comp.allStandings')}
                value={filter.standing}
                onChange={(value) => set({ standing: value ?? undefined })}
                options={COMPLIANCE_STANDINGS.map((value) => ({
                  value,
                  label: t(`wf.comp.standing.${value}`),
                }))}
                style={{ width: isPhone ? '100%' : 130 }}
              />
              {me.region.code.endsWith('0000') ? (
                <Select
                  aria-label={t('wf.comp.by')}
                  value={filter.by}
                  onChange={(value) => set({ by: value === 'county' ? undefined : value })}
                  options={[
                    { value: 'county', label: t('wf.comp.byCounty') },
                    { value: 'city', label: t('wf.comp.byCity') },
                  ]}
                  style={{ width: isPhone ? '100%' : 140 }}
                />
              ) : null}
            </Flex>
            <Flex gap={8} wrap="wrap" className="wf-actions">
              <Button
                icon={<DownloadOutlined />}
                loading={exporting.isPending && exporting.variables === 'xlsx'}
                onClick={() => exporting.mutate('xlsx')}
              >
                {t('wf.comp.export')}
              </Button>
              <Button
                icon={<DownloadOutlined />}
                loading={exporting.isPending && exporting.variables === 'csv'}
                onClick={() => exporting.mutate('csv')}
              >
                {t('wf.comp.exportCsv')}
              </Button>
            </Flex>
          </Flex>
          {table.isError ? (
            <QueryErrorResult error={table.error} onRetry={() => void table.refetch()} />
          ) : (
            <>
              <Flex gap={12} wrap="wrap" justify="space-between">
                <Typography.Text type="secondary" data-testid="compliance-count">
                  {data ? t('wf.comp.count', { n: data.total, poor: data.totals.poor }) : t('common.loading')}
                </Typography.Text>
                {data ? (
                  <Typography.Text type="secondary" className="small">
                    {t('wf.comp.asOf', { at: dateTime(data.asOf) })}
                  </Typography.Text>
                ) : null}
              </Flex>
              {data && data.items.length < data.total ? (
                <Typography.Text type="warning">
                  {t('wf.comp.cut', { shown: data.items.length })}
                </Typography.Text>
              ) : null}
              {isPhone ? (
                <ComplianceCards
                  rows={data?.items ?? []}
                  loading={table.isPending}
                  regionName={regionName}
                  links={links}
                  reportCell={reportCell}
                  dueSoonTitle={dueSoonTitle}
                  dueSoonCell={dueSoonCell}
                  total={data ? totalsCard(t('wf.comp.total'), data.totals) : null}
                />
              ) : (
                <Table<ComplianceRow>
                  rowKey="enterpriseId"
                  size="small"
                  loading={table.isPending}
                  columns={columns}
                  dataSource={data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 1350 }}
                  rowClassName={(row) => `wf-row-${STANDING_ROW[row.standing]}`}
                  locale={{ emptyText: <Empty description={t('wf.comp.empty')} /> }}
                  onChange={(_, __, sorter) => {
                    const one = Array.isArray(sorter) ? sorter[0] : sorter;
                    const key = one?.columnKey as ComplianceSort | undefined;
                    if (!one?.order || !key) set({ sort: undefined, order: undefined });
                    else set({ sort: key, order: one.order === 'ascend' ? 'asc' : 'desc' });
                  }}
                  summary={() =>
                    data && data.items.length > 0 ? (
                      <Table.Summary fixed="bottom">
                        {data.regions.length > 1
                          ? data.regions.map((r) =>
                              totalsCells(
                                t('wf.comp.subtotal', { region: regionName(r.regionCode) }),
                                r,
                                r.regionCode,
                              ),
                            )
                          : null}
                        {totalsCells(t('wf.comp.total'), data.totals, 'total')}
                      </Table.Summary>
                    ) : null
                  }
                  data-testid="compliance-table"
                />
              )}
            </>
          )}
        </Flex>
      </Card>
    </div>
  );

  function totalsCard(label: string, totals: ComplianceTotals) {
    return (
      <Card size="small" className="wf-card" data-testid="compliance-total">
        <Flex vertical gap={4}>
          <Typography.Text strong>{label}</Typography.Text>
          <span className="small">
            {t('wf.comp.count', { n: totals.enterprises, poor: totals.poor })} · {t('wf.comp.employees')}{' '}
            {totals.employees} · {t('wf.comp.overdue')} {totals.overdue}（{formatRatio(totals.overdueShare)}）
            · {dueSoonTitle} {totals.dueSoon}
          </span>
          <span className="small">
            {t('wf.comp.report.missing')} {totals.reportsMissing} · {t('wf.comp.report.late')}{' '}
            {totals.reportsLate} · {t('wf.comp.openAlerts')} {totals.openAlerts}
          </span>
        </Flex>
      </Card>
    );
  }
}

function ComplianceCards({
  rows,
  loading,
  regionName,
  links,
  reportCell,
  dueSoonTitle,
  dueSoonCell,
  total,
}: {
  rows: ComplianceRow[];
  loading: boolean;
  regionName: (code: string) => string;
  links: (row: ComplianceRow) => ReactNode;
  reportCell: (row: ComplianceRow) => ReactNode;
  dueSoonTitle: string;
  dueSoonCell: (row: ComplianceRow) => ReactNode;
  total: ReactNode;
}) {
  const { t } = useI18n();
  if (loading) return <Spin className="page-spin" />;
  if (rows.length === 0) return <Empty description={t('wf.comp.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="compliance-cards">
      {total}
      {rows.map((row) => (
        <Card
          key={row.enterpriseId}
          size="small"
          className={`wf-card wf-card-${STANDING_ROW[row.standing]}`}
          title={row.enterpriseName}
          extra={<Tag color={STANDING_COLORS[row.standing]}>{t(`wf.comp.standing.${row.standing}`)}</Tag>}
        >
          <Flex vertical gap={6}>
            <Typography.Text type="secondary" className="small">
              {regionName(row.regionCode)}
            </Typography.Text>
            <span>
              {t('wf.comp.employees')} {row.employees} · {t('wf.comp.overdue')} {row.overdue}（
              {formatRatio(row.overdueShare)}） · {dueSoonTitle} {dueSoonCell(row)}
            </span>
            <Flex gap={8} align="center" wrap="wrap">
              {reportCell(row)}
              <span className="small">
                {t('wf.comp.openAlerts')} {row.openAlerts} · {t('wf.comp.arrivalsOpen')} {row.arrivalsOpen}
              </span>
            </Flex>
            {links(row)}
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
