/**
 * 抽查: the spot checks in the official's remit, newest first, with an overdue-rectification filter; a
 * department marks a failed check rectified. Checks are recorded from the entry page.
 */
import { SECTORS, type Sector } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Grid,
  Popconfirm,
  Select,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { Link, useSearchParams } from 'react-router';
import { whitelistManageApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { sectorLabel, useRegionNames, wlKeys } from './common';

type CheckRow = Awaited<ReturnType<typeof whitelistManageApi.spotChecks>>['items'][number];

export function CheckResultTag({ row }: { row: CheckRow }) {
  const { t } = useI18n();
  if (row.result === 'passed') return <Tag color="green">{t('wl.checks.result.passed')}</Tag>;
  return (
    <Flex gap={4} wrap="wrap">
      <Tag color="red">{t('wl.checks.result.failed')}</Tag>
      {row.rectifiedAt ? (
        <Tag color="green">{t('wl.checks.rectified')}</Tag>
      ) : row.overdue ? (
        <Tag color="volcano" data-testid="check-overdue">
          {t('wl.checks.overdue')}
        </Tag>
      ) : (
        <Tag color="orange">{t('wl.checks.rectifying')}</Tag>
      )}
    </Flex>
  );
}

/** The checks as a table (the entry page shows its own with `compact`). */
export function SpotCheckTable({
  rows,
  loading,
  compact = false,
}: {
  rows: CheckRow[];
  loading: boolean;
  compact?: boolean;
}) {
  const i18n = useI18n();
  const { lang, t, dateTime } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { names } = useRegionNames();
  const mayRectify = can(me, 'whitelist.review');
  const rectify = useMutation({
    mutationFn: (id: string) => whitelistManageApi.markRectified(id),
    onSuccess: async () => {
      void message.success(t('wl.checks.markedRectified'));
      await queryClient.invalidateQueries({ queryKey: wlKeys.all });
    },
    onError: (failure) => void message.error(errorMessage(failure, lang)),
  });

  const columns: TableColumnsType<CheckRow> = [
    { key: 'date', title: t('wl.checks.checkedOn'), width: 110, render: (_, row) => row.checkedOn },
    ...(compact
      ? []
      : [
          {
            key: 'enterprise',
            title: t('wl.entries.enterprise'),
            render: (_: unknown, row: CheckRow) => (
              <Flex vertical gap={2}>
                <Link to={`/whitelist/entries/${row.entryId}`}>{row.enterprise.name}</Link>
                <Typography.Text type="secondary" className="small">
                  {sectorLabel(row.sector, i18n)} ·{' '}
                  {names.get(row.enterprise.regionCode) ?? row.enterprise.regionCode}
                </Typography.Text>
              </Flex>
            ),
          },
        ]),
    {
      key: 'result',
      title: t('wl.checks.result'),
      width: 150,
      render: (_, row) => <CheckResultTag row={row} />,
    },
    {
      key: 'findings',
      title: t('wl.checks.findings'),
      responsive: ['md'],
      render: (_, row) => (
        <Flex vertical gap={2}>
          {row.findings ? <span>{row.findings}</span> : null}
          <Typography.Text type="secondary" className="small">
            {row.items.map((item) => `${item.ok ? '✓' : '✗'} ${item.item}`).join('　')}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'due',
      title: t('wl.checks.rectificationDue'),
      width: 150,
      render: (_, row) =>
        row.rectifiedAt ? (
          <Typography.Text type="secondary">
            {t('wl.checks.rectifiedOn', { at: dateTime(row.rectifiedAt) })}
          </Typography.Text>
        ) : (
          (row.rectificationDue ?? '—')
        ),
    },
    ...(mayRectify
      ? [
          {
            key: 'act',
            title: '',
            width: 110,
            render: (_: unknown, row: CheckRow) =>
              row.result === 'failed' && !row.rectifiedAt ? (
                <Popconfirm
                  title={t('wl.checks.confirmRectified', { name: row.enterprise.name })}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => rectify.mutateAsync(row.id)}
                >
                  <Button size="small">{t('wl.checks.markRectified')}</Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Table<CheckRow>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      scroll={{ x: compact ? 480 : 640 }}
      data-testid="spot-checks"
    />
  );
}

export default function SpotChecksPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const isPhone = Grid.useBreakpoint().md === false;
  const [params, setParams] = useSearchParams();
  const overdue = params.get('overdue') === 'true';
  const sectorParam = params.get('sector');
  const sector = (SECTORS as readonly string[]).includes(sectorParam ?? '')
    ? (sectorParam as Sector)
    : undefined;
  const regionParam = params.get('region');
  const region = regionParam && /^\d{6}$/.test(regionParam) ? regionParam : undefined;
  const { children } = useRegionNames();
  const filter = { overdue: overdue ? ('true' as const) : undefined, sector, region };
  const list = useQuery({
    queryKey: wlKeys.checks(filter),
    queryFn: () => whitelistManageApi.spotChecks(filter),
  });

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wl.checks.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wl.checks.hint')}</Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={12} wrap="wrap" align="center">
            <Flex gap={8} align="center">
              <Switch
                checked={overdue}
                onChange={(checked) => set('overdue', checked ? 'true' : undefined)}
                aria-label={t('wl.checks.onlyOverdue')}
              />
              <Typography.Text>{t('wl.checks.onlyOverdue')}</Typography.Text>
            </Flex>
            <Select<Sector>
              allowClear
              placeholder={t('wl.entries.allSectors')}
              aria-label={t('wl.entries.sector')}
              value={sector}
              onChange={(value) => set('sector', value ?? undefined)}
              options={SECTORS.map((value) => ({ value, label: sectorLabel(value, i18n) }))}
              style={{ width: isPhone ? '100%' : 150 }}
            />
            {children.length > 0 ? (
              <Select<string>
                allowClear
                placeholder={t('wl.entries.allRegions')}
                aria-label={t('wl.entries.region')}
                value={region}
                onChange={(value) => set('region', value ?? undefined)}
                options={children.map((child) => ({ value: child.code, label: child.name }))}
                style={{ width: isPhone ? '100%' : 150 }}
              />
            ) : null}
          </Flex>
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <Typography.Text type="secondary" data-testid="checks-count">
                {list.isPending ? t('common.loading') : t('wl.checks.count', { n: list.data.items.length })}
              </Typography.Text>
              <SpotCheckTable rows={list.data?.items ?? []} loading={list.isPending} />
            </>
          )}
        </Flex>
      </Card>
    </div>
  );
}
