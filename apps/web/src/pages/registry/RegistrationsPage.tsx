/**
 * 企业登记确认: enterprises that registered themselves, for the county (any official of the region with
 * `enterprises.manage`; the server scopes the rows) to confirm — creating the entry and the account — or to
 * reject with a reason.
 */
import { REGISTRATION_STATUSES, SECTOR_LABELS } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { registryApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';

type Status = (typeof REGISTRATION_STATUSES)[number];
type Registration = Awaited<ReturnType<typeof registryApi.registrations>>['items'][number];
const STATUS_COLORS: Record<Status, string> = { pending: 'gold', confirmed: 'green', rejected: 'red' };

export default function RegistrationsPage() {
  const i18n = useI18n();
  const { lang, t, pick, dateTime } = i18n;
  const [status, setStatus] = useState<Status>('pending');
  const [deciding, setDeciding] = useState<{ row: Registration; decision: 'confirm' | 'reject' } | null>(
    null,
  );
  const list = useQuery({
    queryKey: ['registrations', status],
    queryFn: () => registryApi.registrations(status),
  });
  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('reg.queue.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('reg.queue.hint')}</Typography.Paragraph>
      <Flex vertical gap={12}>
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          options={REGISTRATION_STATUSES.map((value) => ({ value, label: t(`reg.queue.status.${value}`) }))}
        />
        {list.isPending ? (
          <Spin className="page-spin" />
        ) : list.isError ? (
          <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Empty description={t('reg.queue.empty')} />
        ) : (
          list.data.items.map((row) => (
            <Card
              key={row.id}
              size="small"
              title={row.name}
              data-testid="registration"
              extra={<Tag color={STATUS_COLORS[row.status]}>{t(`reg.queue.status.${row.status}`)}</Tag>}
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  {
                    key: 'uscc',
                    label: t('enterprises.uscc'),
                    children: <span className="mono">{row.uscc}</span>,
                  },
                  { key: 'kind', label: t('enterprises.kind'), children: t(`enterprises.kind.${row.kind}`) },
                  {
                    key: 'sectors',
                    label: t('enterprises.sectors'),
                    children: row.sectors.map((sector) => pick(SECTOR_LABELS[sector])).join('、'),
                  },
                  { key: 'region', label: t('enterprises.regionCode'), children: row.regionCode },
                  { key: 'address', label: t('enterprises.address'), children: row.address ?? '—' },
                  { key: 'headcount', label: t('enterprises.headcount'), children: row.headcount },
                  {
                    key: 'value',
                    label: t('enterprises.annualValue'),
                    children: t('enterprises.wan', {
                      value: (row.annualValueFen / 1_000_000).toLocaleString(
                        lang === 'zh' ? 'zh-CN' : 'en-GB',
                      ),
                    }),
                  },
                  {
                    key: 'cityOperations',
                    label: t('enterprises.cityOperations'),
                    children: row.cityOperations ? t('enterprises.yes') : t('enterprises.no'),
                  },
                  { key: 'username', label: t('reg.queue.username'), children: row.username },
                  {
                    key: 'submitted',
                    label: t('reg.queue.submittedAt'),
                    children: dateTime(row.submittedAt),
                  },
                  ...(row.reason
                    ? [{ key: 'reason', label: t('reg.queue.reason'), children: row.reason }]
                    : []),
                ]}
              />
              {row.status === 'pending' ? (
                <Flex gap={8} justify="flex-end" style={{ marginTop: 8 }}>
                  <Button danger onClick={() => setDeciding({ row, decision: 'reject' })}>
                    {t('reg.queue.reject')}
                  </Button>
                  <Button type="primary" onClick={() => setDeciding({ row, decision: 'confirm' })}>
                    {t('reg.queue.confirm')}
                  </Button>
                </Flex>
              ) : null}
            </Card>
          ))
        )}
      </Flex>
      {deciding ? (
        <DecisionDialog row={deciding.row} decision={deciding.decision} onClose={() => setDeciding(null)} />
      ) : null}
    </div>
  );
}

function DecisionDialog({
  row,
  decision,
  onClose,
}: {
  row: Registration;
  decision: 'confirm' | 'reject';
  onClose: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const decide = useMutation({
    mutationFn: (reason: string | undefined) =>
      registryApi.decideRegistration(row.id, { decision, ...(reason ? { reason } : {}) }),
    onSuccess: () => {
      void message.success(t(`reg.queue.done.${decision}`));
      void queryClient.invalidateQueries({ queryKey: ['registrations'] });
      void queryClient.invalidateQueries({ queryKey: ['enterprises'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, ['reason']),
  });
  return (
    <Modal
      open
      title={t(decision === 'confirm' ? 'reg.queue.confirmTitle' : 'reg.queue.rejectTitle', {
        name: row.name,
      })}
      okText={t(decision === 'confirm' ? 'reg.queue.confirm' : 'reg.queue.reject')}
      okButtonProps={{ danger: decision === 'reject' }}
      cancelText={t('common.cancel')}
      confirmLoading={decide.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {decide.error ? <Alert type="error" showIcon title={errorMessage(decide.error, lang)} /> : null}
      <Form
        form={form}
        name="decision"
        layout="vertical"
        onFinish={(values) => decide.mutate(values.reason?.trim())}
      >
        {decision === 'confirm' ? (
          <Typography.Paragraph>{t('reg.queue.confirmHint')}</Typography.Paragraph>
        ) : (
          <Form.Item
            name="reason"
            label={t('reg.queue.reason')}
            rules={[
              { required: true, whitespace: true, min: 2, max: 500, message: t('reg.queue.reasonRequired') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
