/**
 * 分级保障: moves an entry to another service tier with a reason. The department may assign its own tier or
 * a lower one (the server checks it too, and that the entry's current tier is not above the department's).
 */
import { SERVICE_TIERS } from '@sibao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { whitelistManageApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';
import { type ServiceTier, tierLabel, wlKeys } from './common';

interface Values {
  serviceTier: ServiceTier;
  reason: string;
}

const RANK: Record<string, number> = { county: 1, city: 2, province: 3 };

export function TierDialog({
  entryId,
  enterpriseName,
  current,
  open,
  onClose,
}: {
  entryId: string;
  enterpriseName: string;
  current: ServiceTier;
  open: boolean;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { lang, t } = i18n;
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const choices = SERVICE_TIERS.filter((tier) => tier !== current && RANK[tier]! <= (RANK[me.tier] ?? 0));

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  const change = useMutation({
    mutationFn: (values: Values) =>
      whitelistManageApi.changeTier(entryId, {
        serviceTier: values.serviceTier,
        reason: values.reason.trim(),
      }),
    onSuccess: async () => {
      void message.success(t('wl.entries.done.tier'));
      await queryClient.invalidateQueries({ queryKey: wlKeys.all });
      close();
    },
    onError: (failure) => {
      if (!applyFieldErrors(form, failure, lang, ['serviceTier', 'reason']))
        setError(errorMessage(failure, lang));
    },
  });

  if (!open) return null;
  return (
    <Modal
      open
      title={t('wl.entries.tierDialog.title', { name: enterpriseName })}
      okText={t('wl.entries.action.changeTier')}
      okButtonProps={{ loading: change.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => change.mutate(values)}
        requiredMark
        data-testid="tier-form"
      >
        <Typography.Paragraph type="secondary">{t('wl.entries.tierDialog.explain')}</Typography.Paragraph>
        <Typography.Paragraph>
          {t('wl.entries.tierDialog.current', { tier: tierLabel(current, i18n) })}
        </Typography.Paragraph>
        <Form.Item
          name="serviceTier"
          label={t('wl.entries.tierDialog.tier')}
          rules={[{ required: true, message: t('wl.entries.tierDialog.tierRequired') }]}
        >
          <Select<ServiceTier>
            options={choices.map((tier) => ({ value: tier, label: tierLabel(tier, i18n) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('wl.entries.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('wl.entries.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}
