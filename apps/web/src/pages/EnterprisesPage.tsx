/**
 * 企业名录: the enterprises an official may see (the server scopes the rows), searched by name or USCC,
 * filtered by sector and region, paged by cursor, exported to Excel/CSV and imported from them. The
 * filters live in the address bar (nothing personal in them); on a phone the table becomes cards.
 */
import {
  DownloadOutlined,
  DownOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { type Region, SECTOR_LABELS, SECTORS, type Sector } from '@sibao/contracts';
import { useInfiniteQuery, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Dropdown,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Enterprise, type EnterpriseFilter } from '../api';
import { QueryErrorResult } from '../components/ErrorResult';
import { errorMessage } from '../components/forms';
import { type I18n, useI18n } from '../i18n';
import { can, useMe } from '../session';
import { EnterpriseImportDialog } from './EnterpriseImportDialog';
import { CreateEnterpriseDialog } from './registry/CreateEnterpriseDialog';
import { EnterpriseAdmin } from './registry/EnterpriseAdmin';

const PAGE_SIZE = 50;

const SECTOR_COLORS: Record<Sector, string> = {
  industry: 'blue',
  commerce: 'gold',
  transport: 'cyan',
  culture_tourism: 'magenta',
  key_project: 'purple',
  city_operations: 'green',
};

const regionsKey = (parent: string | null) => ['regions', parent] as const;

/** The filter as the address bar holds it; anything malformed there is ignored, not sent. */
function filterFrom(params: URLSearchParams): EnterpriseFilter {
  const q = params.get('q')?.trim() || undefined;
  const sector = params.get('sector');
  const region = params.get('region');
  return {
    q,
    sector: (SECTORS as readonly string[]).includes(sector ?? '') ? (sector as Sector) : undefined,
    region: region && /^\d{6}$/.test(region) ? region : undefined,
  };
}

/** Fen as 万元 with thousands separators and at most two decimals: 123456789000 → 123,456.79. */
function formatWan(fen: number, lang: I18n['lang']): string {
  return (fen / 1_000_000).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    maximumFractionDigits: 2,
  });
}

/**
 * Names of the counties (and cities) the listed enterprises are in, read from the regions the browser
 * already has or fetches once: the province's cities, then the counties of each city that shows up.
 */
function useRegionNames(codes: string[]): Map<string, string> {
  const province = useQuery({
    queryKey: regionsKey(null),
    queryFn: () => api.regions(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const provinceCode = province.data?.items[0]?.code;
  const cities = useQuery({
    queryKey: regionsKey(provinceCode ?? null),
    queryFn: () => api.regions(provinceCode),
    enabled: provinceCode !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const cityCodes = new Set(cities.data?.items.map((city) => city.code));
  const wanted = [...new Set(codes.map((code) => `${code.slice(0, 4)}00`))].filter((code) =>
    cityCodes.has(code),
  );
  const counties = useQueries({
    queries: wanted.map((code) => ({
      queryKey: regionsKey(code),
      queryFn: () => api.regions(code),
      staleTime: Number.POSITIVE_INFINITY,
    })),
  });
  const names = new Map<string, string>();
  for (const region of [
    ...(province.data?.items ?? []),
    ...(cities.data?.items ?? []),
    ...counties.flatMap((county) => county.data?.items ?? []),
  ]) {
    names.set(region.code, region.name);
  }
  return names;
}

function SectorTags({ sectors, i18n }: { sectors: Sector[]; i18n: I18n }) {
  return (
    <Flex gap={4} wrap="wrap">
      {sectors.map((sector) => (
        <Tag key={sector} color={SECTOR_COLORS[sector]} variant="filled" className="sector-tag">
          {i18n.pick(SECTOR_LABELS[sector])}
        </Tag>
      ))}
    </Flex>
  );
}

export default function EnterprisesPage() {
  const i18n = useI18n();
  const { lang, t, pick } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const [search, setSearch] = useState(filter.q ?? '');
  const [openId, setOpenId] = useState<string | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);

  // The address bar is the truth: going back or forward puts its search text in the box.
  useEffect(() => setSearch(filter.q ?? ''), [filter.q]);

  const setFilter = (change: Partial<EnterpriseFilter>) => {
    const next = { ...filter, ...change };
    const address = new URLSearchParams();
    if (next.q) address.set('q', next.q);
    if (next.sector) address.set('sector', next.sector);
    if (next.region) address.set('region', next.region);
    setParams(address);
  };

  const list = useInfiniteQuery({
    queryKey: ['enterprises', 'list', filter],
    queryFn: ({ pageParam }) => api.enterprises(filter, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total ?? 0;
  const regionNames = useRegionNames(rows.map((row) => row.regionCode));
  const regionName = (code: string) => regionNames.get(code) ?? code;

  const exportAs = async (format: 'xlsx' | 'csv', encoding: 'utf8' | 'gb18030') => {
    setExporting(`${format}-${encoding}`);
    try {
      const name = await api.exportEnterprises(filter, format, encoding);
      void message.success(t('enterprises.exported', { name }));
    } catch (error) {
      void message.error(errorMessage(error, lang));
    } finally {
      setExporting(null);
    }
  };

  const columns: TableColumnsType<Enterprise> = [
    {
      key: 'name',
      title: t('enterprises.name'),
      render: (_, row) => (
        <Flex vertical gap={2}>
          <Typography.Link strong onClick={() => setOpenId(row.id)}>
            {row.name}
          </Typography.Link>
          {row.kind === 'enterprise' ? null : (
            <Typography.Text type="secondary" className="small">
              {t(`enterprises.kind.${row.kind}`)}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'uscc',
      title: t('enterprises.uscc'),
      width: 200,
      render: (_, row) => <span className="mono">{row.uscc}</span>,
    },
    {
      key: 'sectors',
      title: t('enterprises.sectors'),
      width: 200,
      render: (_, row) => <SectorTags sectors={row.sectors} i18n={i18n} />,
    },
    {
      key: 'region',
      title: t('enterprises.regionCode'),
      width: 140,
      responsive: ['lg'],
      render: (_, row) => regionName(row.regionCode),
    },
    {
      key: 'headcount',
      title: t('enterprises.headcount'),
      width: 100,
      align: 'right',
      responsive: ['xl'],
      render: (_, row) => row.headcount.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'),
    },
    {
      key: 'annualValue',
      title: `${t('enterprises.annualValue')}${lang === 'zh' ? '（万元）' : ' (¥10k)'}`,
      width: 200,
      align: 'right',
      render: (_, row) => <span className="tabular">{formatWan(row.annualValueFen, lang)}</span>,
    },
  ];

  const canImport = can(me, 'enterprises.import');
  const canManage = can(me, 'enterprises.manage');
  const toolbar = (
    <Flex gap={8} wrap="wrap" data-testid="registry-toolbar">
      <Button
        icon={<DownloadOutlined />}
        loading={exporting === 'xlsx-utf8'}
        onClick={() => void exportAs('xlsx', 'utf8')}
      >
        {t('enterprises.exportXlsx')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'utf8', label: t('enterprises.csvUtf8') },
            { key: 'gb18030', label: t('enterprises.csvGb18030') },
          ],
          onClick: ({ key }) => void exportAs('csv', key === 'gb18030' ? 'gb18030' : 'utf8'),
        }}
      >
        <Button loading={exporting?.startsWith('csv') ?? false}>
          <Space size={4}>
            {t('enterprises.exportCsv')}
            <DownOutlined />
          </Space>
        </Button>
      </Dropdown>
      {canManage ? (
        <Button icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
          {t('reg.create')}
        </Button>
      ) : null}
      {canImport ? (
        <Button type="primary" icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
          {t('enterprises.import')}
        </Button>
      ) : null}
    </Flex>
  );

  const filters = (
    <Flex gap={8} wrap="wrap" className="registry-filters">
      <Input.Search
        allowClear
        enterButton={<SearchOutlined aria-hidden />}
        placeholder={t('enterprises.search')}
        aria-label={t('enterprises.search')}
        value={search}
        maxLength={100}
        onChange={(event) => setSearch(event.target.value)}
        onSearch={(value) => setFilter({ q: value.trim() || undefined })}
        className="registry-search"
      />
      <Select<Sector>
        allowClear
        placeholder={t('enterprises.allSectors')}
        aria-label={t('enterprises.sector')}
        value={filter.sector}
        onChange={(sector) => setFilter({ sector: sector ?? undefined })}
        options={SECTORS.map((sector) => ({ value: sector, label: pick(SECTOR_LABELS[sector]) }))}
        className="registry-select"
      />
      <RegionPicker
        value={filter.region}
        onChange={(region) => setFilter({ region })}
        valueLabel={filter.region ? regionNames.get(filter.region) : undefined}
      />
    </Flex>
  );

  const more = list.hasNextPage ? (
    <Flex justify="center">
      <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
        {t('enterprises.loadMore')}
      </Button>
    </Flex>
  ) : null;

  return (
    <div>
      <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap" style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('enterprises.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('enterprises.hint')}
          </Typography.Paragraph>
        </div>
        {toolbar}
      </Flex>
      <Card>
        <Flex vertical gap={16}>
          {filters}
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <Typography.Text type="secondary" data-testid="registry-count">
                {list.isPending
                  ? t('common.loading')
                  : rows.length < total
                    ? t('enterprises.shown', { shown: rows.length, total })
                    : t('enterprises.total', { total })}
              </Typography.Text>
              {isPhone ? (
                <EnterpriseCards
                  rows={rows}
                  loading={list.isPending}
                  regionName={regionName}
                  onOpen={setOpenId}
                  i18n={i18n}
                />
              ) : (
                <Table<Enterprise>
                  rowKey="id"
                  size="middle"
                  loading={list.isPending}
                  columns={columns}
                  dataSource={rows}
                  pagination={false}
                  locale={{ emptyText: <Empty description={t('enterprises.empty')} /> }}
                />
              )}
              {more}
            </>
          )}
        </Flex>
      </Card>
      <EnterpriseDrawer id={openId} onClose={() => setOpenId(null)} regionName={regionName} i18n={i18n} />
      {canImport ? <EnterpriseImportDialog open={importOpen} onClose={() => setImportOpen(false)} /> : null}
      {canManage ? (
        <CreateEnterpriseDialog
          open={createOpen}
          onClose={() => setCreateOpen(false)}
          onCreated={(id) => {
            setCreateOpen(false);
            setOpenId(id);
          }}
        />
      ) : null}
    </div>
  );
}

/** The phone's list: one card per enterprise, tapping opens the same drawer as the table's name. */
function EnterpriseCards({
  rows,
  loading,
  regionName,
  onOpen,
  i18n,
}: {
  rows: Enterprise[];
  loading: boolean;
  regionName: (code: string) => string;
  onOpen: (id: string) => void;
  i18n: I18n;
}) {
  const { lang, t } = i18n;
  if (loading) return <Spin className="page-spin" />;
  if (rows.length === 0) return <Empty description={t('enterprises.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="registry-cards">
      {rows.map((row) => (
        <Card
          key={row.id}
          size="small"
          hoverable
          className="registry-card"
          onClick={() => onOpen(row.id)}
          title={row.name}
          extra={<Typography.Text type="secondary">{regionName(row.regionCode)}</Typography.Text>}
        >
          <Flex vertical gap={6}>
            <Typography.Text className="mono small">{row.uscc}</Typography.Text>
            <SectorTags sectors={row.sectors} i18n={i18n} />
            <Typography.Text type="secondary">
              {t('enterprises.annualValue')}：
              {t('enterprises.wan', { value: formatWan(row.annualValueFen, lang) })}
            </Typography.Text>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function EnterpriseDrawer({
  id,
  onClose,
  regionName,
  i18n,
}: {
  id: string | null;
  onClose: () => void;
  regionName: (code: string) => string;
  i18n: I18n;
}) {
  const { lang, t } = i18n;
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const detail = useQuery({
    queryKey: ['enterprises', 'detail', id],
    queryFn: () => api.enterprise(id ?? ''),
    enabled: id !== null,
  });
  const row = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={row?.name ?? t('enterprises.detail')}
      size={screens.md === false ? '100%' : 520}
      destroyOnHidden
    >
      {detail.isPending ? (
        <Spin className="page-spin" />
      ) : detail.isError ? (
        <QueryErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : row ? (
        <Descriptions
          column={1}
          size="small"
          bordered
          layout={screens.md === false ? 'vertical' : 'horizontal'}
          items={[
            { key: 'name', label: t('enterprises.name'), children: row.name },
            {
              key: 'uscc',
              label: t('enterprises.uscc'),
              children: (
                <Typography.Text className="mono" copyable>
                  {row.uscc}
                </Typography.Text>
              ),
            },
            { key: 'kind', label: t('enterprises.kind'), children: t(`enterprises.kind.${row.kind}`) },
            {
              key: 'sectors',
              label: t('enterprises.sectors'),
              children: <SectorTags sectors={row.sectors} i18n={i18n} />,
            },
            {
              key: 'region',
              label: t('enterprises.regionCode'),
              children: `${regionName(row.regionCode)}（${row.regionCode}）`,
            },
            { key: 'address', label: t('enterprises.address'), children: row.address ?? '—' },
            {
              key: 'headcount',
              label: t('enterprises.headcount'),
              children: row.headcount.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'),
            },
            {
              key: 'annualValue',
              label: t('enterprises.annualValue'),
              children: t('enterprises.wan', { value: formatWan(row.annualValueFen, lang) }),
            },
            {
              key: 'cityOperations',
              label: t('enterprises.cityOperations'),
              children: row.cityOperations ? t('enterprises.yes') : t('enterprises.no'),
            },
          ]}
        />
      ) : null}
      {row ? <EnterpriseAdmin enterprise={row} canManage={can(me, 'enterprises.manage')} /> : null}
    </Drawer>
  );
}

interface RegionNode {
  value: string;
  title: string;
  isLeaf: boolean;
  children?: RegionNode[];
}

/**
 * The region filter: a tree that starts at the official's own region and loads each level when it opens,
 * so nobody is offered divisions outside their remit.
 */
function RegionPicker({
  value,
  onChange,
  valueLabel,
}: {
  value: string | undefined;
  onChange: (region: string | undefined) => void;
  valueLabel: string | undefined;
}) {
  const me = useMe();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [loadedChildren, setChildren] = useState<Record<string, Region[]>>({});
  // The official's own level is read at once, so the tree opens on it unfolded and can be searched.
  const top = useQuery({
    queryKey: regionsKey(me.region.code),
    queryFn: () => api.regions(me.region.code),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const children = top.data ? { [me.region.code]: top.data.items, ...loadedChildren } : loadedChildren;

  const load = async (code: string) => {
    const list = await queryClient.fetchQuery({
      queryKey: regionsKey(code),
      queryFn: () => api.regions(code),
      staleTime: Number.POSITIVE_INFINITY,
    });
    setChildren((loaded) => ({ ...loaded, [code]: list.items }));
  };

  const toNode = (code: string, name: string, childCount: number | null): RegionNode => {
    const loaded = children[code];
    return {
      value: code,
      title: name,
      isLeaf: childCount === 0 || (loaded !== undefined && loaded.length === 0),
      ...(loaded
        ? { children: loaded.map((child) => toNode(child.code, child.name, child.childCount)) }
        : {}),
    };
  };
  const treeData = [toNode(me.region.code, me.region.name, null)];
  // A region chosen through a shared link may not be loaded in the tree yet: name it from what is known.
  const nameOf = (code: string) =>
    code === me.region.code
      ? me.region.name
      : (Object.values(children)
          .flat()
          .find((region) => region.code === code)?.name ??
        valueLabel ??
        code);

  return (
    <TreeSelect<{ value: string; label: string }>
      allowClear
      labelInValue
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandedKeys={[me.region.code]}
      placeholder={t('enterprises.allRegions')}
      aria-label={t('enterprises.region')}
      value={value ? { value, label: nameOf(value) } : undefined}
      treeData={treeData}
      loadData={(node) => load(String(node.value))}
      onChange={(next) => onChange(next?.value)}
      className="registry-select"
    />
  );
}
