/**
 * 白名单企业 for officials: the entries the server lets the official see (region and sector scoped), filtered
 * by status, sector, region and search in the address bar, and by service tier over the loaded rows (the
 * API has no tier filter). Each row opens the entry page. On a phone the table becomes cards.
 */
import { SearchOutlined } from '@ant-design/icons';
import { ENTRY_STATUSES, SECTORS, SERVICE_TIERS, type Sector } from '@sibao/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type EntryFilter, whitelistManageApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { useI18n } from '../../i18n';
import {
  type EntryStatus,
  EntryStatusTag,
  type ServiceTier,
  sectorLabel,
  tierLabel,
  useRegionNames,
  wlKeys,
} from './common';

const PAGE_SIZE = 50;
type EntryRow = Awaited<ReturnType<typeof whitelistManageApi.entries>>['items'][number];

function filterFrom(params: URLSearchParams): EntryFilter & { tier?: ServiceTier | undefined } {
  const pick = <T extends string>(key: string, allowed: readonly T[]) => {
    const value = params.get(key);
    return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
  };
  const region = params.get('region');
  return {
    q: params.get('q')?.trim() || undefined,
    status: pick('status', ENTRY_STATUSES),
    sector: pick('sector', SECTORS),
    region: region && /^\d{6}$/.test(region) ? region : undefined,
    tier: pick('tier', SERVICE_TIERS),
  };
}

export default function EntriesPage() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const isPhone = Grid.useBreakpoint().md === false;
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const { tier, ...serverFilter } = filter;
  const [search, setSearch] = useState(filter.q ?? '');
  useEffect(() => setSearch(filter.q ?? ''), [filter.q]);
  const { names, children } = useRegionNames();
  const regionName = (code: string) => names.get(code) ?? code;

  const setFilter = (change: Partial<typeof filter>) => {
    const next = { ...filter, ...change };
    const address = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) address.set(key, value);
    setParams(address);
  };

  const list = useInfiniteQuery({
    queryKey: wlKeys.entries(serverFilter),
    queryFn: ({ pageParam }) =>
      whitelistManageApi.entries(serverFilter, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const loaded = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const rows = tier ? loaded.filter((row) => row.serviceTier === tier) : loaded;
  const total = list.data?.pages[0]?.total ?? 0;

  const columns: TableColumnsType<EntryRow> = [
    {
      key: 'name',
      title: t('wl.entries.enterprise'),
      render: (_, row) => (
        <Flex vertical gap={2}>
          <Link to={`/whitelist/entries/${row.id}`}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {row.enterprise.name}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary" className="mono small">
            {row.enterprise.uscc}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'sector',
      title: t('wl.entries.sector'),
      width: 110,
      render: (_, row) => sectorLabel(row.sector, i18n),
    },
    {
      key: 'region',
      title: t('wl.entries.region'),
      width: 120,
      responsive: ['lg'],
      render: (_, row) => regionName(row.enterprise.regionCode),
    },
    {
      key: 'tier',
      title: t('wl.entries.tier'),
      width: 90,
      render: (_, row) => tierLabel(row.serviceTier, i18n),
    },
    {
      key: 'status',
      title: t('wl.entries.status'),
      width: 100,
      render: (_, row) => (
        <EntryStatusTag status={row.status} breaker={row.removalKind === 'circuit_breaker'} />
      ),
    },
    {
      key: 'since',
      title: t('wl.entries.since'),
      width: 150,
      responsive: ['xl'],
      render: (_, row) => dateTime(row.since),
    },
    {
      key: 'batch',
      title: t('wl.entries.batch'),
      width: 220,
      responsive: ['xl'],
      render: (_, row) =>
        row.batch?.label ?? <Typography.Text type="secondary">{t('wl.entries.noBatch')}</Typography.Text>,
    },
  ];

  const filters = (
    <Flex gap={8} wrap="wrap">
      <Input.Search
        allowClear
        enterButton={<SearchOutlined aria-hidden />}
        placeholder={t('wl.entries.search')}
        aria-label={t('wl.entries.search')}
        value={search}
        maxLength={100}
        onChange={(event) => setSearch(event.target.value)}
        onSearch={(value) => setFilter({ q: value.trim() || undefined })}
        style={{ width: isPhone ? '100%' : 280 }}
      />
      <Select<EntryStatus>
        allowClear
        placeholder={t('wl.entries.allStatuses')}
        aria-label={t('wl.entries.status')}
        value={filter.status}
        onChange={(status) => setFilter({ status: status ?? undefined })}
        options={ENTRY_STATUSES.map((status) => ({ value: status, label: t(`wl.entries.status.${status}`) }))}
        style={{ width: 130 }}
      />
      <Select<Sector>
        allowClear
        placeholder={t('wl.entries.allSectors')}
        aria-label={t('wl.entries.sector')}
        value={filter.sector}
        onChange={(sector) => setFilter({ sector: sector ?? undefined })}
        options={SECTORS.map((sector) => ({ value: sector, label: sectorLabel(sector, i18n) }))}
        style={{ width: 150 }}
      />
      {children.length > 0 ? (
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('wl.entries.allRegions')}
          aria-label={t('wl.entries.region')}
          value={filter.region}
          onChange={(region) => setFilter({ region: region ?? undefined })}
          options={children.map((region) => ({ value: region.code, label: region.name }))}
          style={{ width: 150 }}
        />
      ) : null}
      <Select<ServiceTier>
        allowClear
        placeholder={t('wl.entries.allTiers')}
        aria-label={t('wl.entries.tier')}
        value={tier}
        onChange={(next) => setFilter({ tier: next ?? undefined })}
        options={SERVICE_TIERS.map((value) => ({ value, label: tierLabel(value, i18n) }))}
        style={{ width: 120 }}
      />
    </Flex>
  );

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wl.entries.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wl.entries.hint')}</Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          {filters}
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <Typography.Text type="secondary" data-testid="entries-count">
                {list.isPending
                  ? t('common.loading')
                  : tier
                    ? t('wl.entries.tierShown', { shown: rows.length, loaded: loaded.length, total })
                    : t('wl.entries.count', { shown: rows.length, total })}
              </Typography.Text>
              {isPhone ? (
                list.isPending ? (
                  <Spin />
                ) : rows.length === 0 ? (
                  <Empty description={t('wl.entries.empty')} />
                ) : (
                  <Flex vertical gap={8} data-testid="entries-cards">
                    {rows.map((row) => (
                      <Link key={row.id} to={`/whitelist/entries/${row.id}`}>
                        <Card size="small" hoverable title={row.enterprise.name}>
                          <Flex gap={8} wrap="wrap" align="center">
                            <EntryStatusTag
                              status={row.status}
                              breaker={row.removalKind === 'circuit_breaker'}
                            />
                            <Typography.Text>{sectorLabel(row.sector, i18n)}</Typography.Text>
                            <Typography.Text type="secondary">
                              {regionName(row.enterprise.regionCode)} · {tierLabel(row.serviceTier, i18n)}
                            </Typography.Text>
                          </Flex>
                        </Card>
                      </Link>
                    ))}
                  </Flex>
                )
              ) : (
                <Table<EntryRow>
                  rowKey="id"
                  size="middle"
                  loading={list.isPending}
                  columns={columns}
                  dataSource={rows}
                  pagination={false}
                  locale={{ emptyText: <Empty description={t('wl.entries.empty')} /> }}
                />
              )}
              {list.hasNextPage ? (
                <Flex justify="center">
                  <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                    {t('wl.entries.loadMore')}
                  </Button>
                </Flex>
              ) : null}
            </>
          )}
        </Flex>
      </Card>
    </div>
  );
}
