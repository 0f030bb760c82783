/**
 * Confirms a suspension, reinstatement or removal with its reason. Removal can be 熔断 (`circuit_breaker`):
 * then at least one piece of evidence is required (the server checks it too) and the public list shows the
 * entry as removed.
 */

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { type EntryAction, whitelistManageApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { wlKeys } from './common';

interface Values {
  reason: string;
  breaker?: boolean;
  evidence?: string;
}

export function EntryActionDialog({
  entryId,
  enterpriseName,
  action,
  onClose,
}: {
  entryId: string;
  enterpriseName: string;
  action: EntryAction | null;
  onClose: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const breaker = Form.useWatch('breaker', form) ?? false;
  const [error, setError] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: (values: Values) => {
      const evidence = (values.evidence ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
      return whitelistManageApi.changeEntry(entryId, action!, {
        reason: values.reason.trim(),
        ...(action === 'remove' && values.breaker ? { kind: 'circuit_breaker' as const, evidence } : {}),
      });
    },
    onSuccess: async () => {
      void message.success(t(`wl.entries.done.${action!}`));
      await queryClient.invalidateQueries({ queryKey: wlKeys.all });
      close();
    },
    onError: (failure) => {
      if (!applyFieldErrors(form, failure, lang, ['reason', 'evidence']))
        setError(errorMessage(failure, lang));
    },
  });

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  if (!action) return null;
  const danger = action !== 'reinstate';
  return (
    <Modal
      open
      title={t(`wl.entries.confirm.${action}`, { name: enterpriseName })}
      okText={breaker ? t('wl.entries.action.circuitBreaker') : t(`wl.entries.action.${action}`)}
      okButtonProps={{ danger, loading: change.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={(values) => change.mutate(values)} requiredMark>
        <Typography.Paragraph type="secondary">{t(`wl.entries.explain.${action}`)}</Typography.Paragraph>
        <Form.Item
          name="reason"
          label={t('wl.entries.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('wl.entries.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
        {action === 'remove' ? (
          <>
            <Form.Item name="breaker" valuePropName="checked">
              <Checkbox>{t('wl.entries.breakerCheck')}</Checkbox>
            </Form.Item>
            {breaker ? (
              <>
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={t('wl.entries.breakerWarning')}
                />
                <Form.Item
                  name="evidence"
                  label={t('wl.entries.evidence')}
                  extra={t('wl.entries.evidenceHint')}
                  rules={[
                    { required: true, whitespace: true, min: 2, message: t('wl.entries.evidenceRequired') },
                  ]}
                >
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
              </>
            ) : null}
          </>
        ) : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}
