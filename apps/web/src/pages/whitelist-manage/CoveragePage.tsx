/**
 * 覆盖率 (方案 二(一), 九(三)): for the official's region on a date — a bar per sector against the target line,
 * a trend for one sector with the deadline marked, a table of the child regions ('no statistics' shown as
 * such, never 0 %), the planner of pending applications, and the statistics (denominators) with their
 * source and the Excel import. Target and deadline come from the API (the parameter registry).
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { SECTORS, type Sector } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Grid,
  Segmented,
  Select,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError, api, type ImportRowError, whitelistManageApi } from '../../api';
import { EChart, type EChartOption } from '../../components/EChart';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { ImportErrors } from '../../components/ImportErrors';
import { type I18n, useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { addDays, formatRatio, formatWan, sectorLabel } from './common';

type Breakdown = Awaited<ReturnType<typeof whitelistManageApi.coverageBreakdown>>;
type RegionRow = Breakdown['byRegion'][number];
type PlannerRow = Awaited<ReturnType<typeof whitelistManageApi.planner>>['items'][number];
type TotalRow = Awaited<ReturnType<typeof whitelistManageApi.statistics>>['items'][number];

const BRAND = '#b71c1c';
const minDate = (a: string, b: string) => (a < b ? a : b);
const OK = '#2e7d32';
const BELOW = '#ef6c00';

function RatioCell({
  row,
  i18n,
}: {
  row: { status: string; ratio: number | null; meetsTarget: boolean | null };
  i18n: I18n;
}) {
  if (row.status === 'no_statistics' || row.ratio === null)
    return <Tag data-testid="no-statistics">{i18n.t('wl.coverage.noStatistics')}</Tag>;
  return (
    <Typography.Text strong style={{ color: row.meetsTarget ? OK : BELOW }}>
      {formatRatio(row.ratio)}
    </Typography.Text>
  );
}

export default function CoveragePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const isPhone = Grid.useBreakpoint().md === false;
  const [date, setDate] = useState<string | undefined>(undefined);
  const [region, setRegion] = useState<{ code: string; name: string }>(me.region);
  const [sector, setSector] = useState<Sector>(me.sectors[0] ?? 'industry');

  const breakdown = useQuery({
    queryKey: ['whitelist-manage', 'coverage', region.code, date ?? null, sector],
    queryFn: () => whitelistManageApi.coverageBreakdown({ region: region.code, date, sector }),
  });
  const data = breakdown.data;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('wl.coverage.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {t('wl.coverage.hint', { region: region.name })}
          </Typography.Paragraph>
        </div>
        <Flex gap={8} align="center" wrap="wrap">
          {region.code !== me.region.code ? (
            <Button onClick={() => setRegion(me.region)}>
              {t('wl.coverage.backTo', { region: me.region.name })}
            </Button>
          ) : null}
          <Typography.Text>{t('wl.coverage.asOf')}</Typography.Text>
          <DatePicker
            aria-label={t('wl.coverage.asOf')}
            value={date ? dayjs(date) : null}
            placeholder={t('wl.coverage.today')}
            onChange={(value) => setDate(value ? value.format('YYYY-MM-DD') : undefined)}
          />
        </Flex>
      </Flex>
      {breakdown.isError ? (
        <QueryErrorResult error={breakdown.error} onRetry={() => void breakdown.refetch()} />
      ) : (
        <Tabs
          items={[
            {
              key: 'overview',
              label: t('wl.coverage.tab.overview'),
              children: (
                <Flex vertical gap={16}>
                  <Card size="small" loading={breakdown.isPending}>
                    {data ? (
                      <Flex gap={isPhone ? 16 : 48} wrap="wrap">
                        <Statistic
                          title={t('wl.coverage.target')}
                          value={t('wl.coverage.targetValue', { ratio: formatRatio(data.target) })}
                        />
                        <Statistic title={t('wl.coverage.deadline')} value={data.deadline} />
                        <Statistic title={t('wl.coverage.date')} value={data.date} />
                        <Statistic
                          title={t('wl.coverage.sectorsMeeting')}
                          value={`${data.bySector.filter((row) => row.meetsTarget).length} / ${data.bySector.length}`}
                        />
                      </Flex>
                    ) : null}
                  </Card>
                  <Card title={t('wl.coverage.bySector')} size="small" loading={breakdown.isPending}>
                    {data ? <SectorBars data={data} i18n={i18n} isPhone={isPhone} /> : null}
                  </Card>
                  <Card
                    title={t('wl.coverage.sectorDetail')}
                    size="small"
                    extra={
                      <Select<Sector>
                        value={sector}
                        onChange={setSector}
                        aria-label={t('wl.entries.sector')}
                        options={SECTORS.map((value) => ({ value, label: sectorLabel(value, i18n) }))}
                        style={{ width: 140 }}
                      />
                    }
                  >
                    <Flex vertical gap={16}>
                      {data ? (
                        <Trend
                          region={region.code}
                          sector={sector}
                          // Without a picked date the trend ends two months after the deadline (or today if sooner).
                          date={date ?? minDate(data.date, addDays(data.deadline, 61))}
                          i18n={i18n}
                        />
                      ) : null}
                      {data && data.byRegion.length > 0 ? (
                        <RegionTable
                          rows={data.byRegion}
                          i18n={i18n}
                          onOpen={(row) => setRegion({ code: row.region, name: row.regionName })}
                        />
                      ) : null}
                    </Flex>
                  </Card>
                </Flex>
              ),
            },
            {
              key: 'planner',
              label: t('wl.coverage.tab.planner'),
              children: <Planner region={region.code} sector={sector} setSector={setSector} i18n={i18n} />,
            },
            {
              key: 'statistics',
              label: t('wl.coverage.tab.statistics'),
              children: <Statistics region={region.code} i18n={i18n} />,
            },
          ]}
        />
      )}
    </Flex>
  );
}

function SectorBars({ data, i18n, isPhone }: { data: Breakdown; i18n: I18n; isPhone: boolean }) {
  const { t } = i18n;
  const option = useMemo<EChartOption>(() => {
    const names = data.bySector.map((row) => sectorLabel(row.sector, i18n));
    return {
      grid: { left: 8, right: isPhone ? 40 : 64, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        formatter: (items: { dataIndex: number }[]) => {
          const row = data.bySector[items[0]?.dataIndex ?? 0]!;
          return row.ratio === null
            ? `${sectorLabel(row.sector, i18n)}<br/>${t('wl.coverage.noStatistics')}`
            : `${sectorLabel(row.sector, i18n)}<br/>${formatRatio(row.ratio)}（${formatWan(row.whitelistedValue, i18n.lang)} / ${formatWan(row.totalValue ?? 0, i18n.lang)} ${t('wl.coverage.wan')}）`;
        },
      },
      xAxis: {
        type: 'value',
        max: (value: { max: number }) => Math.max(1, Math.ceil(value.max * 10) / 10),
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: data.bySector.map((row) => ({
            value: row.ratio ?? 0,
            itemStyle: { color: row.ratio === null ? '#bdbdbd' : row.meetsTarget ? OK : BELOW },
          })),
          label: {
            show: true,
            position: 'right',
            formatter: (p: { dataIndex: number }) => {
              const row = data.bySector[p.dataIndex]!;
              return row.ratio === null ? t('wl.coverage.noStatistics') : formatRatio(row.ratio);
            },
          },
          markLine: {
            symbol: 'none',
            lineStyle: { color: BRAND, type: 'dashed', width: 2 },
            label: {
              formatter: t('wl.coverage.targetLine', { ratio: formatRatio(data.target) }),
              // The category axis is inverted: 'start' is the top of the line.
              position: 'start',
              color: BRAND,
            },
            data: [{ xAxis: data.target }],
          },
        },
      ],
    };
  }, [data, i18n, isPhone, t]);
  return <EChart option={option} height={300} testId="coverage-bars" label={t('wl.coverage.bySector')} />;
}

function Trend({ region, sector, date, i18n }: { region: string; sector: Sector; date: string; i18n: I18n }) {
  const { t } = i18n;
  // The trend starts when the coverage target took effect (the parameter registry says when).
  const params = useQuery({ queryKey: ['parameters'], queryFn: () => api.parameters(), staleTime: 300_000 });
  const from =
    params.data?.items
      .find((p) => p.key === 'whitelist.coverageTarget')
      ?.versions.map((v) => v.from)
      .sort()[0] ?? null;
  const to = date;
  const span = from ? (Date.parse(to) - Date.parse(from)) / 86_400_000 : 0;
  const step = span <= 90 ? 'day' : span <= 800 ? 'week' : 'month';
  const trend = useQuery({
    queryKey: ['whitelist-manage', 'trend', region, sector, from, to, step],
    queryFn: () => whitelistManageApi.coverageTrend({ sector, region, from: from!, to, step }),
    enabled: from !== null && from <= to,
  });
  const option = useMemo<EChartOption | null>(() => {
    if (!trend.data) return null;
    const { points, target, deadline } = trend.data;
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: number | null) =>
          value === null ? t('wl.coverage.noStatistics') : formatRatio(value),
      },
      xAxis: { type: 'time' },
      yAxis: {
        type: 'value',
        min: 0,
        max: (v: { max: number }) => Math.max(1, Math.ceil(v.max * 10) / 10),
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      series: [
        {
          name: sectorLabel(sector, i18n),
          type: 'line',
          showSymbol: points.length < 40,
          connectNulls: false,
          lineStyle: { color: BRAND, width: 2 },
          itemStyle: { color: BRAND },
          data: points.map((p) => [p.date, p.ratio]),
          markLine: {
            symbol: 'none',
            data: [
              {
                yAxis: target,
                lineStyle: { color: OK, type: 'dashed' },
                label: {
                  formatter: t('wl.coverage.targetLine', { ratio: formatRatio(target) }),
                  position: 'insideEndTop',
                },
              },
              ...(deadline >= points[0]!.date && deadline <= points.at(-1)!.date
                ? [
                    {
                      xAxis: deadline,
                      lineStyle: { color: BRAND, type: 'solid' as const },
                      label: {
                        formatter: t('wl.coverage.deadlineLine', { date: deadline }),
                        position: 'end' as const,
                      },
                    },
                  ]
                : []),
            ],
          },
        },
      ],
    };
  }, [trend.data, sector, i18n, t]);
  return (
    <div>
      <Typography.Text strong>
        {t('wl.coverage.trend', { sector: sectorLabel(sector, i18n) })}
      </Typography.Text>
      {trend.isError ? (
        <Alert type="error" showIcon title={errorMessage(trend.error, i18n.lang)} />
      ) : option ? (
        <EChart
          option={option}
          height={260}
          testId="coverage-trend"
          label={t('wl.coverage.trend', { sector: sectorLabel(sector, i18n) })}
        />
      ) : (
        <div style={{ height: 260 }} />
      )}
    </div>
  );
}

function RegionTable({
  rows,
  i18n,
  onOpen,
}: {
  rows: RegionRow[];
  i18n: I18n;
  onOpen: (row: RegionRow) => void;
}) {
  const { t, lang } = i18n;
  return (
    <Table<RegionRow>
      rowKey="region"
      size="small"
      data-testid="coverage-regions"
      dataSource={rows}
      pagination={false}
      scroll={{ x: 560 }}
      columns={[
        {
          key: 'region',
          title: t('wl.coverage.region'),
          width: 150,
          fixed: 'left',
          render: (_, row) =>
            row.region.endsWith('00') ? (
              <Typography.Link onClick={() => onOpen(row)}>{row.regionName}</Typography.Link>
            ) : (
              row.regionName
            ),
        },
        {
          key: 'ratio',
          title: t('wl.coverage.ratio'),
          width: 120,
          render: (_, row) => <RatioCell row={row} i18n={i18n} />,
        },
        {
          key: 'entries',
          title: t('wl.coverage.entries'),
          width: 90,
          align: 'right',
          render: (_, row) => row.entries,
        },
        {
          key: 'listed',
          title: `${t('wl.coverage.listedValue')}（${t('wl.coverage.wan')}）`,
          width: 150,
          align: 'right',
          render: (_, row) => formatWan(row.whitelistedValue, lang),
        },
        {
          key: 'total',
          title: `${t('wl.coverage.totalValue')}（${t('wl.coverage.wan')}）`,
          width: 150,
          align: 'right',
          render: (_, row) => (row.totalValue === null ? '—' : formatWan(row.totalValue, lang)),
        },
      ]}
    />
  );
}

function Planner({
  region,
  sector,
  setSector,
  i18n,
}: {
  region: string;
  sector: Sector;
  setSector: (s: Sector) => void;
  i18n: I18n;
}) {
  const { t, lang } = i18n;
  const planner = useQuery({
    queryKey: ['whitelist-manage', 'planner', region, sector],
    queryFn: () => whitelistManageApi.planner({ region, sector, limit: 100 }),
  });
  const coverage = planner.data?.coverage;
  return (
    <Card size="small">
      <Flex vertical gap={12}>
        <Flex gap={12} align="center" wrap="wrap">
          <Segmented<Sector>
            value={sector}
            onChange={setSector}
            options={SECTORS.map((value) => ({ value, label: sectorLabel(value, i18n) }))}
            style={{ maxWidth: '100%', overflowX: 'auto' }}
          />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('wl.coverage.plannerHint')}
        </Typography.Paragraph>
        {coverage ? (
          <Typography.Text>
            {t('wl.coverage.now')}：<RatioCell row={coverage} i18n={i18n} />
          </Typography.Text>
        ) : null}
        {planner.isError ? (
          <QueryErrorResult error={planner.error} onRetry={() => void planner.refetch()} />
        ) : (
          <Table<PlannerRow>
            rowKey="applicationId"
            size="small"
            loading={planner.isPending}
            dataSource={planner.data?.items ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 640 }}
            locale={{ emptyText: <Empty description={t('wl.coverage.plannerEmpty')} /> }}
            columns={[
              { key: 'name', title: t('wl.entries.enterprise'), render: (_, row) => row.name },
              {
                key: 'status',
                title: t('wl.coverage.criteria'),
                width: 120,
                render: (_, row) => (
                  <Tag
                    color={
                      row.criteriaStatus === 'eligible'
                        ? 'green'
                        : row.criteriaStatus === 'ineligible'
                          ? 'red'
                          : 'gold'
                    }
                  >
                    {t(`wl.coverage.criteria.${row.criteriaStatus}`)}
                  </Tag>
                ),
              },
              {
                key: 'value',
                title: `${t('wl.coverage.value')}（${t('wl.coverage.wan')}）`,
                width: 140,
                align: 'right',
                render: (_, row) => formatWan(row.valueFen, lang),
              },
              {
                key: 'adds',
                title: t('wl.coverage.adds'),
                width: 110,
                align: 'right',
                render: (_, row) => (row.addsRatio === null ? '—' : `+${formatRatio(row.addsRatio)}`),
              },
              {
                key: 'cumulative',
                title: t('wl.coverage.cumulative'),
                width: 130,
                align: 'right',
                render: (_, row) =>
                  row.cumulativeRatio === null ? (
                    '—'
                  ) : (
                    <span
                      style={{ color: coverage && row.cumulativeRatio > coverage.target ? OK : undefined }}
                    >
                      {formatRatio(row.cumulativeRatio)}
                    </span>
                  ),
              },
            ]}
          />
        )}
      </Flex>
    </Card>
  );
}

const STAT_COLUMNS: Record<string, string> = {
  regionCode: '行政区划代码',
  sector: '行业领域',
  period: '统计期',
  totalFen: '总产值或投资额(万元)',
  source: '数据来源',
};

function Statistics({ region, i18n }: { region: string; i18n: I18n }) {
  const { t, lang, dateTime } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const mayImport = can(me, 'whitelist.manage_statistics');
  const [rowErrors, setRowErrors] = useState<ImportRowError[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['whitelist-manage', 'statistics', region],
    queryFn: () => whitelistManageApi.statistics({ region }),
  });
  const upload = useMutation({
    mutationFn: (file: File) => whitelistManageApi.importStatistics(file),
    onMutate: () => {
      setRowErrors(null);
      setFailure(null);
    },
    onSuccess: async (result) => {
      void message.success(t('wl.coverage.imported', { n: result.imported }));
      await queryClient.invalidateQueries({ queryKey: ['whitelist-manage'] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'IMPORT_ROWS_INVALID' && error.fieldErrors.length > 0) {
        setRowErrors(
          error.fieldErrors.map((fieldError) => ({
            row: fieldError.row ?? 0,
            column: STAT_COLUMNS[fieldError.path] ?? fieldError.path,
            field: fieldError.path,
            code: fieldError.code,
            message: fieldError.message,
          })),
        );
      } else setFailure(errorMessage(error, lang));
    },
  });
  const template = async () => {
    try {
      await whitelistManageApi.statisticsTemplate(lang);
    } catch (error) {
      void message.error(errorMessage(error, lang));
    }
  };
  return (
    <Card size="small">
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('wl.coverage.statisticsHint')}
        </Typography.Paragraph>
        {mayImport ? (
          <Flex gap={8} wrap="wrap">
            <Button icon={<DownloadOutlined />} onClick={() => void template()}>
              {t('wl.coverage.template')}
            </Button>
            <Upload
              accept=".xlsx,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                upload.mutate(file);
                return false;
              }}
            >
              <Button type="primary" icon={<UploadOutlined />} loading={upload.isPending}>
                {t('wl.coverage.import')}
              </Button>
            </Upload>
          </Flex>
        ) : null}
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
        {rowErrors ? <ImportErrors errors={rowErrors} errorCount={rowErrors.length} /> : null}
        {list.isError ? (
          <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<TotalRow>
            rowKey={(row) => `${row.regionCode}|${row.sector}|${row.period}`}
            data-testid="statistics-table"
            size="small"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 720 }}
            locale={{ emptyText: <Empty description={t('wl.coverage.statisticsEmpty')} /> }}
            columns={[
              {
                key: 'region',
                title: t('wl.coverage.regionCode'),
                width: 110,
                render: (_, row) => <span className="mono">{row.regionCode}</span>,
              },
              {
                key: 'sector',
                title: t('wl.entries.sector'),
                width: 110,
                render: (_, row) => sectorLabel(row.sector, i18n),
              },
              { key: 'period', title: t('wl.coverage.period'), width: 90, render: (_, row) => row.period },
              {
                key: 'total',
                title: `${t('wl.coverage.totalValue')}（${t('wl.coverage.wan')}）`,
                width: 160,
                align: 'right',
                render: (_, row) => formatWan(row.totalFen, lang),
              },
              { key: 'source', title: t('wl.coverage.source'), render: (_, row) => row.source },
              {
                key: 'at',
                title: t('wl.coverage.importedAt'),
                width: 150,
                responsive: ['lg'],
                render: (_, row) => dateTime(row.importedAt),
              },
            ]}
          />
        )}
      </Flex>
    </Card>
  );
}
