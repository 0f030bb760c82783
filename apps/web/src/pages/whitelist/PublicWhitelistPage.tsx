/**
 * 向社会公布: the published whitelist for everyone, no sign-in. Filters (sector, city/county, batch, search)
 * live in the address bar; removed entries stay listed with their removal date; the list exports to
 * Excel/CSV and prints on A4 without the navigation; a second tab shows each sector's published criteria
 * and management rules.
 */
import { DownloadOutlined, DownOutlined, PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import type { PublicListSchema } from '@sibao/contracts';
import { SECTOR_LABELS, SECTORS, type Sector } from '@sibao/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Cascader,
  Descriptions,
  Dropdown,
  Empty,
  Flex,
  Grid,
  Input,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { type PublicListFilter, whitelistApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { type I18n, useI18n } from '../../i18n';
import { tierLabel } from './whitelist.shared';

type PublicEntry = z.infer<typeof PublicListSchema>['items'][number];

const PAGE_SIZES = [20, 50, 100, 500];
const DEFAULT_PAGE_SIZE = 50;

function isSector(value: string | null): value is Sector {
  return (SECTORS as readonly string[]).includes(value ?? '');
}

interface Address extends PublicListFilter {
  page: number;
  size: number;
}

function addressFrom(params: URLSearchParams): Address {
  const region = params.get('region');
  const batch = params.get('batch');
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  const size = Number.parseInt(params.get('size') ?? '', 10);
  const sector = params.get('sector');
  return {
    sector: isSector(sector) ? sector : undefined,
    region: region && /^\d{6}$/.test(region) ? region : undefined,
    batch: batch && /^[0-9a-f-]{36}$/i.test(batch) ? batch : undefined,
    q: params.get('q')?.trim().slice(0, 100) || undefined,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: PAGE_SIZES.includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** The city of a region code: a county's city, or the code itself for a city (and for 济源). */
function cityOf(code: string): string {
  return code === '419001' ? code : `${code.slice(0, 4)}00`;
}

export default function PublicWhitelistPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'criteria' ? 'criteria' : 'list';
  const isPhone = Grid.useBreakpoint().md === false;

  useEffect(() => {
    document.title = `${t('wl.public.title')} · ${t('app.fullName')}`;
  }, [t]);

  const setTab = (next: string) => {
    const address = new URLSearchParams(params);
    if (next === 'criteria') address.set('tab', 'criteria');
    else address.delete('tab');
    setParams(address);
  };

  return (
    <div className="wl-public">
      <header className="wl-public-header">
        <div className="wl-public-brand">
          <span className="app-logo" aria-hidden>
            保
          </span>
          <Typography.Text className="wl-public-name" ellipsis>
            {isPhone ? t('app.name') : t('app.fullName')}
          </Typography.Text>
        </div>
        <Flex align="center" gap={12} style={{ flex: 'none' }}>
          <LanguageSwitch size="small" />
          <Link to="/login">{t('wl.public.signIn')}</Link>
        </Flex>
      </header>
      <main className="wl-public-main">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'list', label: t('wl.public.tab.list'), children: <PublicList i18n={i18n} /> },
            {
              key: 'criteria',
              label: t('wl.public.tab.criteria'),
              children: <PublicCriteriaTab i18n={i18n} />,
            },
          ]}
        />
      </main>
    </div>
  );
}

function PublicList({ i18n }: { i18n: I18n }) {
  const { lang, t, pick, dateTime } = i18n;
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const [params, setParams] = useSearchParams();
  const address = useMemo(() => addressFrom(params), [params]);
  const { page, size, ...filter } = address;
  const [search, setSearch] = useState(filter.q ?? '');
  const [exporting, setExporting] = useState<string | null>(null);
  useEffect(() => setSearch(filter.q ?? ''), [filter.q]);

  const city = filter.region ? cityOf(filter.region) : undefined;

  const setAddress = (change: Partial<Address>) => {
    const next: Address = { ...address, page: 1, ...change };
    const out = new URLSearchParams();
    if (params.get('tab')) out.set('tab', params.get('tab') ?? '');
    if (next.sector) out.set('sector', next.sector);
    if (next.region) out.set('region', next.region);
    if (next.batch) out.set('batch', next.batch);
    if (next.q) out.set('q', next.q);
    if (next.page > 1) out.set('page', String(next.page));
    if (next.size !== DEFAULT_PAGE_SIZE) out.set('size', String(next.size));
    setParams(out);
  };

  const list = useQuery({
    queryKey: ['public-whitelist', 'list', filter, page, size],
    queryFn: () => whitelistApi.publicList(filter, { limit: size, offset: (page - 1) * size }),
    placeholderData: keepPreviousData,
  });
  // Batches of the chosen sector and city: the batch filter's options.
  const batches = useQuery({
    queryKey: ['public-whitelist', 'batches', filter.sector, city],
    queryFn: () => whitelistApi.publicBatches({ sector: filter.sector, region: city }),
    staleTime: 5 * 60_000,
  });
  // The province's cities and their counties (reference data, public): the city → county cascader.
  const regions = useQuery({
    queryKey: ['public-whitelist', 'regions'],
    queryFn: () => whitelistApi.publicRegions(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const areaOptions = useMemo(
    () =>
      (regions.data?.items ?? []).map((c) => ({
        value: c.code,
        label: c.name,
        ...(c.children.length
          ? { children: c.children.map((county) => ({ value: county.code, label: county.name })) }
          : {}),
      })),
    [regions.data],
  );
  const area = city ? (filter.region && filter.region !== city ? [city, filter.region] : [city]) : undefined;

  const exportAs = async (format: 'xlsx' | 'csv', encoding: 'utf8' | 'gb18030') => {
    setExporting(`${format}-${encoding}`);
    try {
      const name = await whitelistApi.exportPublicList(filter, format, encoding);
      void message.success(t('wl.public.exported', { name }));
    } catch (error) {
      void message.error(errorMessage(error, lang));
    } finally {
      setExporting(null);
    }
  };

  const rows = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const statusCell = (row: PublicEntry) =>
    row.status === 'removed' ? (
      <Tag color="default" variant="filled">
        {t('wl.public.removedOn', { date: row.removedOn ?? '' })}
      </Tag>
    ) : (
      <Tag color="success" variant="filled">
        {t('wl.public.listed')}
      </Tag>
    );

  const columns: TableColumnsType<PublicEntry> = [
    {
      key: 'index',
      title: t('wl.public.index'),
      width: 56,
      align: 'right',
      render: (_, __, index) => (page - 1) * size + index + 1,
    },
    {
      key: 'name',
      title: t('wl.public.name'),
      render: (_, row) => (
        <span className={row.status === 'removed' ? 'wl-removed' : undefined}>{row.name}</span>
      ),
    },
    {
      key: 'uscc',
      title: t('wl.public.uscc'),
      width: 190,
      render: (_, row) => <span className="mono">{row.uscc}</span>,
    },
    {
      key: 'sector',
      title: t('wl.public.sector'),
      width: 100,
      render: (_, row) => pick(SECTOR_LABELS[row.sector]),
    },
    { key: 'region', title: t('wl.public.region'), width: 150, render: (_, row) => row.regionName },
    {
      key: 'tier',
      title: t('wl.public.tier'),
      width: 80,
      render: (_, row) => tierLabel(row.serviceTier, i18n),
    },
    { key: 'batch', title: t('wl.public.batch'), width: 210, render: (_, row) => row.batch.label },
    { key: 'status', title: t('wl.public.status'), width: 150, render: (_, row) => statusCell(row) },
  ];

  const filters = (
    <Flex gap={8} wrap="wrap" className="wl-no-print">
      <Input.Search
        allowClear
        enterButton={<SearchOutlined aria-hidden />}
        placeholder={t('wl.public.search')}
        aria-label={t('wl.public.search')}
        value={search}
        maxLength={100}
        onChange={(event) => setSearch(event.target.value)}
        onSearch={(value) => setAddress({ q: value.trim() || undefined })}
        className="wl-search"
      />
      <Select<Sector>
        allowClear
        placeholder={t('wl.public.allSectors')}
        aria-label={t('wl.public.sector')}
        value={filter.sector}
        onChange={(sector) => setAddress({ sector: sector ?? undefined, batch: undefined })}
        options={SECTORS.map((sector) => ({ value: sector, label: pick(SECTOR_LABELS[sector]) }))}
        className="wl-filter"
      />
      <Cascader<{ value: string; label: string }>
        allowClear
        changeOnSelect
        showSearch
        placeholder={t('wl.public.allCities')}
        aria-label={t('wl.public.area')}
        value={area}
        loading={regions.isPending}
        options={areaOptions}
        onChange={(path) => {
          const codes = (path ?? []) as string[];
          setAddress({ region: codes.at(-1), batch: undefined });
        }}
        className="wl-filter wl-area"
        data-testid="public-area"
      />
      <Select<string>
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('wl.public.allBatches')}
        aria-label={t('wl.public.batch')}
        value={filter.batch}
        loading={batches.isPending}
        onChange={(batch) => setAddress({ batch: batch ?? undefined })}
        options={(batches.data?.items ?? []).map((b) => ({
          value: b.id,
          label: `${b.label}（${b.publishedAt.slice(0, 10)}）`,
        }))}
        className="wl-search"
        popupMatchSelectWidth={false}
      />
    </Flex>
  );

  const toolbar = (
    <Flex gap={8} wrap="wrap" className="wl-no-print" data-testid="public-toolbar">
      <Button
        icon={<DownloadOutlined />}
        loading={exporting === 'xlsx-utf8'}
        onClick={() => void exportAs('xlsx', 'utf8')}
      >
        {t('wl.public.exportXlsx')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'utf8', label: t('wl.public.csvUtf8') },
            { key: 'gb18030', label: t('wl.public.csvGb18030') },
          ],
          onClick: ({ key }) => void exportAs('csv', key === 'gb18030' ? 'gb18030' : 'utf8'),
        }}
      >
        <Button loading={exporting?.startsWith('csv') ?? false}>
          <Space size={4}>
            {t('wl.public.exportCsv')}
            <DownOutlined />
          </Space>
        </Button>
      </Dropdown>
      {isPhone ? null : (
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('wl.public.print')}
        </Button>
      )}
    </Flex>
  );

  return (
    <Flex vertical gap={12}>
      <div>
        <Typography.Title level={3} className="wl-public-title" data-testid="public-title">
          {list.data?.title ?? t('wl.public.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 0 }}>
          {list.data
            ? t('wl.public.generated', { time: dateTime(list.data.generatedAt), total })
            : t('common.loading')}
        </Typography.Paragraph>
      </div>
      <Card styles={isPhone ? { body: { padding: 12 } } : {}}>
        <Flex vertical gap={12}>
          <Flex justify="space-between" gap={8} wrap="wrap">
            {filters}
            {toolbar}
          </Flex>
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : isPhone ? (
            <PublicCards rows={rows} loading={list.isPending} i18n={i18n} statusCell={statusCell} />
          ) : (
            <Table<PublicEntry>
              rowKey={(row) => `${row.uscc}-${row.sector}-${row.batch.id}`}
              size="small"
              bordered
              loading={list.isFetching}
              columns={columns}
              dataSource={rows}
              data-testid="public-table"
              locale={{ emptyText: <Empty description={t('wl.public.empty')} /> }}
              pagination={{
                current: page,
                pageSize: size,
                total,
                pageSizeOptions: PAGE_SIZES,
                showSizeChanger: true,
                showTotal: (count) => t('wl.public.total', { total: count }),
                onChange: (nextPage, nextSize) =>
                  setAddress({ page: nextSize !== size ? 1 : nextPage, size: nextSize }),
              }}
            />
          )}
          {isPhone && total > size ? (
            <Flex justify="center" gap={8} className="wl-no-print">
              <Button disabled={page <= 1} onClick={() => setAddress({ page: page - 1 })}>
                {t('wl.public.prev')}
              </Button>
              <Typography.Text type="secondary" style={{ alignSelf: 'center' }}>
                {page} / {Math.ceil(total / size)}
              </Typography.Text>
              <Button disabled={page * size >= total} onClick={() => setAddress({ page: page + 1 })}>
                {t('wl.public.next')}
              </Button>
            </Flex>
          ) : null}
          <Typography.Text type="secondary" className="small wl-print-only">
            {t('wl.public.printFooter', { time: list.data ? dateTime(list.data.generatedAt) : '' })}
          </Typography.Text>
        </Flex>
      </Card>
    </Flex>
  );
}

function PublicCards({
  rows,
  loading,
  i18n,
  statusCell,
}: {
  rows: PublicEntry[];
  loading: boolean;
  i18n: I18n;
  statusCell: (row: PublicEntry) => ReactNode;
}) {
  const { t, pick } = i18n;
  if (loading) return <Spin className="page-spin" />;
  if (rows.length === 0) return <Empty description={t('wl.public.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="public-cards">
      {rows.map((row) => (
        <Card
          key={`${row.uscc}-${row.sector}-${row.batch.id}`}
          size="small"
          title={<span className={row.status === 'removed' ? 'wl-removed' : undefined}>{row.name}</span>}
        >
          <Flex vertical gap={4}>
            <Typography.Text className="mono small">{row.uscc}</Typography.Text>
            <Typography.Text type="secondary">
              {pick(SECTOR_LABELS[row.sector])} · {row.regionName} · {tierLabel(row.serviceTier, i18n)}
            </Typography.Text>
            <Typography.Text type="secondary" className="small">
              {row.batch.label}
            </Typography.Text>
            <div>{statusCell(row)}</div>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function PublicCriteriaTab({ i18n }: { i18n: I18n }) {
  const { t, pick, dateTime } = i18n;
  const [sector, setSector] = useState<Sector>('industry');
  const criteria = useQuery({
    queryKey: ['public-whitelist', 'criteria', sector],
    queryFn: () => whitelistApi.publicCriteria(sector),
    staleTime: 5 * 60_000,
  });
  const published = criteria.data?.criteria;
  return (
    <Flex vertical gap={12}>
      <Segmented<Sector>
        className="wl-no-print"
        value={sector}
        onChange={setSector}
        options={SECTORS.map((s) => ({ value: s, label: pick(SECTOR_LABELS[s]) }))}
        style={{ overflowX: 'auto', maxWidth: '100%' }}
      />
      {criteria.isPending ? (
        <Spin className="page-spin" />
      ) : criteria.isError ? (
        <QueryErrorResult error={criteria.error} onRetry={() => void criteria.refetch()} />
      ) : !published ? (
        <Result status="info" title={t('wl.public.noCriteria')} />
      ) : (
        <Card title={published.title} data-testid="public-criteria">
          <Flex vertical gap={16}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: 'version', label: t('wl.public.version'), children: published.version },
                {
                  key: 'published',
                  label: t('wl.public.publishedAt'),
                  children: dateTime(published.publishedAt),
                },
              ]}
            />
            <div>
              <Typography.Title level={5}>{t('wl.public.criteriaLines')}</Typography.Title>
              <ol style={{ paddingInlineStart: 22, margin: 0, lineHeight: 1.9 }}>
                {published.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ol>
            </div>
            {published.managementText ? (
              <div>
                <Typography.Title level={5}>{t('wl.public.management')}</Typography.Title>
                <Typography.Paragraph className="wl-management">
                  {published.managementText}
                </Typography.Paragraph>
              </div>
            ) : null}
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
