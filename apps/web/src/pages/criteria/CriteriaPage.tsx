/**
 * 遴选标准: the versions of each sector's criteria (draft / published / retired). The province-tier
 * department of a sector drafts, edits and publishes them (the server says who: others may read); a
 * refused publication lists every problem the server found (422).
 */
import { PlusOutlined } from '@ant-design/icons';
import { type Criteria, SECTOR_LABELS, SECTORS, type Sector } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError, registryApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { type I18n, useI18n } from '../../i18n';
import { type MessageKey, messages } from '../../messages';
import { useMe } from '../../session';
import { CriteriaEditor } from './CriteriaEditor';
import { RuleView } from './criteria.rules';
import './criteria.css';

const STATUS_COLORS = { draft: 'gold', published: 'green', retired: 'default' } as const;

export default function CriteriaPage() {
  const i18n = useI18n();
  const { t, pick, dateTime } = i18n;
  const me = useMe();
  const [sector, setSector] = useState<Sector>(me.sectors[0] ?? 'industry');
  const [editing, setEditing] = useState<{ draft?: Criteria; from?: Criteria } | null>(null);
  const author =
    me.user.role === 'sector_department' && me.tier === 'province' && me.sectors.includes(sector);
  const list = useQuery({
    queryKey: ['criteria', sector],
    queryFn: () => registryApi.criteria(sector),
  });
  const items = [...(list.data?.items ?? [])].sort((a, b) => b.version - a.version);
  const published = items.find((row) => row.status === 'published');

  return (
    <div>
      <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap" style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('crit.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('crit.hint')}
          </Typography.Paragraph>
        </div>
        <Space wrap>
          <Select<Sector>
            aria-label={t('crit.sector')}
            value={sector}
            onChange={setSector}
            options={SECTORS.map((value) => ({ value, label: pick(SECTOR_LABELS[value]) }))}
            style={{ width: 180 }}
          />
          {author ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing(published ? { from: published } : {})}
            >
              {t('crit.new')}
            </Button>
          ) : null}
        </Space>
      </Flex>
      {author ? null : <Alert type="info" showIcon title={t('crit.readOnly')} style={{ marginBottom: 12 }} />}
      {list.isPending ? (
        <Spin className="page-spin" />
      ) : list.isError ? (
        <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <Empty description={t('crit.empty')} />
      ) : (
        <Flex vertical gap={12}>
          {items.map((row) => (
            <VersionCard
              key={row.id}
              row={row}
              author={author}
              i18n={i18n}
              dateTime={dateTime}
              onEdit={() => setEditing({ draft: row })}
              onCopy={() => setEditing({ from: row })}
            />
          ))}
        </Flex>
      )}
      {editing ? (
        <CriteriaEditor
          sector={sector}
          draft={editing.draft}
          from={editing.from}
          readOnly={!author || (editing.draft !== undefined && editing.draft.status !== 'draft')}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

function VersionCard({
  row,
  author,
  i18n,
  dateTime,
  onEdit,
  onCopy,
}: {
  row: Criteria;
  author: boolean;
  i18n: I18n;
  dateTime: (iso: string) => string;
  onEdit: () => void;
  onCopy: () => void;
}) {
  const { lang, t } = i18n;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const publish = useMutation({
    mutationFn: () => registryApi.publishCriteria(row.id),
    onSuccess: () => {
      void message.success(t('crit.published'));
      void queryClient.invalidateQueries({ queryKey: ['criteria', row.sector] });
    },
  });
  const draft = row.status === 'draft';
  return (
    <Card
      size="small"
      data-testid={`criteria-v${row.version}`}
      title={
        <Space wrap>
          <span>{t('crit.version', { version: row.version })}</span>
          <Tag color={STATUS_COLORS[row.status]}>{t(`crit.status.${row.status}`)}</Tag>
          <Typography.Text>{row.title}</Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          <Button size="small" onClick={onEdit}>
            {author && draft ? t('crit.edit') : t('crit.view')}
          </Button>
          {author ? (
            <Button size="small" onClick={onCopy}>
              {t('crit.copy')}
            </Button>
          ) : null}
          {author && draft ? (
            <Popconfirm
              title={t('crit.publishConfirm')}
              okText={t('crit.publish')}
              cancelText={t('common.cancel')}
              onConfirm={() => publish.mutate()}
            >
              <Button size="small" type="primary" loading={publish.isPending}>
                {t('crit.publish')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      }
    >
      <Typography.Text type="secondary" className="small">
        {row.publishedAt
          ? t('crit.publishedAt', { time: dateTime(row.publishedAt) })
          : t('crit.createdAt', { time: dateTime(row.createdAt) })}
      </Typography.Text>
      <div className="crit-preview">
        <RuleView cond={row.rule} i18n={i18n} />
      </div>
      {publish.error ? <PublishProblems error={publish.error} lang={lang} i18n={i18n} /> : null}
    </Card>
  );
}

/** The server's reasons for refusing a publication, one per line, with the path they concern. */
export function PublishProblems({ error, lang, i18n }: { error: unknown; lang: I18n['lang']; i18n: I18n }) {
  const { t } = i18n;
  const problems =
    error instanceof ApiError && error.code === 'WHITELIST_CRITERIA_NOT_PUBLISHABLE' ? error.fieldErrors : [];
  const known = (code: string) => {
    const key = `crit.issue.${code}`;
    return key in messages ? t(key as MessageKey) : code;
  };
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 12 }}
      data-testid="publish-problems"
      title={problems.length ? t('crit.problems') : errorMessage(error, lang)}
      description={
        problems.length ? (
          <ul className="crit-problems">
            {problems.map((problem) => (
              <li key={`${problem.path}-${problem.code}-${problem.message}`}>
                <strong>{known(problem.code)}</strong> <span className="mono">{problem.path}</span>
                {' — '}
                {problem.message}
              </li>
            ))}
          </ul>
        ) : null
      }
    />
  );
}
