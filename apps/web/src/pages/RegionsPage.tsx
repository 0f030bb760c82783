import type { Region } from '@sibao/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Col, Descriptions, Empty, Row, Spin, Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { type Key, useEffect, useState } from 'react';
import { api } from '../api';
import { QueryErrorResult } from '../components/ErrorResult';
import { type I18n, useI18n } from '../i18n';

const regionsKey = (parent: string | null) => ['regions', parent] as const;
const LEVEL_COLORS: Record<Region['level'], string> = {
  province: 'red',
  city: 'orange',
  county: 'blue',
  zone: 'purple',
};

export default function RegionsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const queryClient = useQueryClient();
  const root = useQuery({ queryKey: regionsKey(null), queryFn: () => api.regions() });
  /** Children loaded so far, by parent code. */
  const [children, setChildren] = useState<Record<string, Region[]>>({});
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [selected, setSelected] = useState<Region | null>(null);

  // Open the province on arrival so its cities show without a click.
  const provinceCode = root.data?.items[0]?.code;
  useEffect(() => {
    if (provinceCode) setExpanded((keys) => (keys.length === 0 ? [provinceCode] : keys));
  }, [provinceCode]);

  const loadChildren = async (code: string) => {
    const list = await queryClient.fetchQuery({
      queryKey: regionsKey(code),
      queryFn: () => api.regions(code),
      staleTime: Number.POSITIVE_INFINITY,
    });
    setChildren((loaded) => ({ ...loaded, [code]: list.items }));
  };

  if (root.isPending) return <Spin className="page-spin" />;
  if (root.isError) return <QueryErrorResult error={root.error} onRetry={() => void root.refetch()} />;

  const byCode = new Map<string, Region>();
  const toNode = (region: Region): TreeDataNode => {
    byCode.set(region.code, region);
    const loaded = children[region.code];
    return {
      key: region.code,
      title: <RegionTitle region={region} i18n={i18n} />,
      isLeaf: region.childCount === 0,
      children: loaded?.map(toNode),
    };
  };
  const treeData = root.data.items.map(toNode);

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('regions.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('regions.hint')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card>
            <Tree
              treeData={treeData}
              loadData={(node) => loadChildren(String(node.key))}
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys)}
              onSelect={(_keys, info) => setSelected(byCode.get(String(info.node.key)) ?? null)}
              showLine
              blockNode
              aria-label={t('regions.title')}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('regions.detail')}>
            {selected ? (
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'name', label: t('regions.name'), children: selected.name },
                  {
                    key: 'code',
                    label: t('regions.code'),
                    children: <Typography.Text code>{selected.code}</Typography.Text>,
                  },
                  { key: 'level', label: t('regions.level'), children: levelLabel(selected.level, i18n) },
                  { key: 'children', label: t('regions.children'), children: selected.childCount },
                ]}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('regions.selectHint')} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function levelLabel(level: Region['level'], { t }: I18n): string {
  return t(`regions.level.${level}`);
}

function RegionTitle({ region, i18n }: { region: Region; i18n: I18n }) {
  return (
    <span className="region-title">
      <span>{region.name}</span>
      <Tag color={LEVEL_COLORS[region.level]} variant="filled" className="region-level">
        {levelLabel(region.level, i18n)}
      </Tag>
      <Typography.Text type="secondary" className="region-code">
        {region.code}
      </Typography.Text>
    </span>
  );
}
