/**
 * 批次: the batches published in the official's region, and — for a sector department — publishing the next
 * numbered batch of its sector and region. The server puts every active entry of that sector and region not
 * yet in a batch into it (the dialog previews them) and refuses an empty batch with its own message.
 */
import { LinkOutlined } from '@ant-design/icons';
import type { Sector } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, List, Modal, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { whitelistManageApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { sectorLabel, wlKeys } from './common';

type BatchRow = Awaited<ReturnType<typeof whitelistManageApi.batches>>['items'][number];
const PREVIEW_LIMIT = 200;

export const publicBatchLink = (id: string) => `/public/whitelist?batch=${encodeURIComponent(id)}`;

export default function BatchesPage() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const me = useMe();
  const mayPublish = can(me, 'whitelist.publish') && me.sectors.length > 0;
  const [publishing, setPublishing] = useState(false);
  const list = useQuery({ queryKey: wlKeys.batches, queryFn: () => whitelistManageApi.batches() });

  return (
    <div>
      <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap">
        <div>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('wl.batches.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('wl.batches.hint')}</Typography.Paragraph>
        </div>
        {mayPublish ? (
          <Button type="primary" onClick={() => setPublishing(true)}>
            {t('wl.batches.publish')}
          </Button>
        ) : null}
      </Flex>
      <Card>
        {list.isError ? (
          <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<BatchRow>
            rowKey="id"
            size="middle"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 560 }}
            columns={[
              {
                key: 'label',
                title: t('wl.batches.label'),
                render: (_, row) => (
                  <Flex vertical gap={2}>
                    <Typography.Text strong>{row.label}</Typography.Text>
                    {row.title ? <Typography.Text type="secondary">{row.title}</Typography.Text> : null}
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
                key: 'count',
                title: t('wl.batches.entries'),
                width: 90,
                align: 'right',
                render: (_, row) => row.entryCount,
              },
              {
                key: 'at',
                title: t('wl.batches.publishedAt'),
                width: 160,
                render: (_, row) => dateTime(row.publishedAt),
              },
              {
                key: 'public',
                title: t('wl.batches.public'),
                width: 120,
                render: (_, row) => (
                  <a href={publicBatchLink(row.id)} target="_blank" rel="noopener">
                    <LinkOutlined /> {t('wl.batches.openPublic')}
                  </a>
                ),
              },
            ]}
          />
        )}
      </Card>
      {mayPublish ? (
        <PublishDialog open={publishing} sectors={me.sectors} onClose={() => setPublishing(false)} />
      ) : null}
    </div>
  );
}

function PublishDialog({
  open,
  sectors,
  onClose,
}: {
  open: boolean;
  sectors: Sector[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { lang, t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [sector, setSector] = useState<Sector>(sectors[0]!);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: wlKeys.entries({ sector, status: 'active', preview: true }),
    queryFn: () => whitelistManageApi.entries({ sector, status: 'active' }, { limit: PREVIEW_LIMIT }),
    enabled: open,
  });
  const pending = (preview.data?.items ?? []).filter((entry) => entry.batch === null);
  const publish = useMutation({
    mutationFn: () =>
      whitelistManageApi.publishBatch({ sector, ...(title.trim() ? { title: title.trim() } : {}) }),
    onSuccess: async (batch) => {
      void message.success(t('wl.batches.published', { label: batch.label, n: batch.entryCount }));
      await queryClient.invalidateQueries({ queryKey: wlKeys.all });
      close();
    },
    onError: (failure) => setError(errorMessage(failure, lang)),
  });
  const close = () => {
    setError(null);
    setTitle('');
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('wl.batches.publishTitle')}
      okText={t('wl.batches.publishOk')}
      okButtonProps={{ loading: publish.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => publish.mutate()}
      onCancel={close}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('wl.entries.sector')}>
          <Select<Sector>
            value={sector}
            onChange={(value) => {
              setSector(value);
              setError(null);
            }}
            options={sectors.map((value) => ({ value, label: sectorLabel(value, i18n) }))}
          />
        </Form.Item>
        <Form.Item label={t('wl.batches.titleOptional')}>
          <Input value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
        </Form.Item>
      </Form>
      <Typography.Paragraph>
        {t('wl.batches.covers', { region: me.region.name, sector: sectorLabel(sector, i18n) })}
      </Typography.Paragraph>
      {preview.isError ? (
        <Alert type="error" showIcon title={errorMessage(preview.error, lang)} />
      ) : (
        <List
          size="small"
          bordered
          loading={preview.isPending}
          header={
            <Typography.Text strong data-testid="batch-preview-count">
              {preview.data && preview.data.total > PREVIEW_LIMIT
                ? t('wl.batches.previewPartial', { n: pending.length, limit: PREVIEW_LIMIT })
                : t('wl.batches.preview', { n: pending.length })}
            </Typography.Text>
          }
          dataSource={pending.slice(0, 50)}
          renderItem={(entry) => <List.Item>{entry.enterprise.name}</List.Item>}
          locale={{ emptyText: t('wl.batches.previewEmpty') }}
          style={{ maxHeight: 260, overflow: 'auto', marginBottom: 12 }}
        />
      )}
      {error ? <Alert type="error" showIcon title={error} data-testid="batch-error" /> : null}
    </Modal>
  );
}
