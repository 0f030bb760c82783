/**
 * Records a spot check (抽查, 方案 四(三)) on an entry: date, the items checked one by one, findings, the
 * result; a failed check needs a rectification deadline and may suspend the entry at once — a separate,
 * explicit choice that is off by default.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Switch,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { whitelistManageApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { wlKeys } from './common';

interface Values {
  checkedOn: Dayjs;
  items: { item: string; ok: boolean; note?: string }[];
  findings?: string;
  result: 'passed' | 'failed';
  rectificationDue?: Dayjs;
  suspend?: boolean;
}

/** The items a check usually covers (指南 二): editable, more can be added. */
const DEFAULT_ITEMS = [
  'wl.checks.item.venueCodes',
  'wl.checks.item.testing',
  'wl.checks.item.stockpile',
  'wl.checks.item.closedLoop',
] as const;

export function SpotCheckDialog({
  entryId,
  enterpriseName,
  canSuspend,
  open,
  onClose,
}: {
  entryId: string;
  enterpriseName: string;
  /** The entry is active: a failed check may suspend it. */
  canSuspend: boolean;
  open: boolean;
  onClose: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const result = Form.useWatch('result', form);
  const suspend = Form.useWatch('suspend', form) ?? false;
  const [error, setError] = useState<string | null>(null);

  const record = useMutation({
    mutationFn: (values: Values) =>
      whitelistManageApi.recordSpotCheck(entryId, {
        checkedOn: values.checkedOn.format('YYYY-MM-DD'),
        items: values.items.map((item) => ({
          item: item.item.trim(),
          ok: item.ok,
          ...(item.note?.trim() ? { note: item.note.trim() } : {}),
        })),
        findings: values.findings?.trim() ?? '',
        result: values.result,
        ...(values.result === 'failed'
          ? {
              rectificationDue: values.rectificationDue?.format('YYYY-MM-DD'),
              suspend: canSuspend && !!values.suspend,
            }
          : {}),
      }),
    onSuccess: async (_check, values) => {
      void message.success(
        values.result === 'failed' && values.suspend
          ? t('wl.checks.recordedSuspended')
          : t('wl.checks.recorded'),
      );
      await queryClient.invalidateQueries({ queryKey: wlKeys.all });
      close();
    },
    onError: (failure) => {
      if (!applyFieldErrors(form, failure, lang, ['checkedOn', 'findings', 'rectificationDue', 'suspend']))
        setError(errorMessage(failure, lang));
    },
  });

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('wl.checks.recordTitle', { name: enterpriseName })}
      okText={result === 'failed' && suspend ? t('wl.checks.saveAndSuspend') : t('wl.checks.save')}
      okButtonProps={{ danger: result === 'failed' && suspend, loading: record.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={close}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => record.mutate(values)}
        initialValues={{ items: DEFAULT_ITEMS.map((key) => ({ item: t(key), ok: true })), suspend: false }}
      >
        <Form.Item
          name="checkedOn"
          label={t('wl.checks.checkedOn')}
          rules={[{ required: true, message: t('wl.checks.dateRequired') }]}
        >
          <DatePicker style={{ width: 200 }} />
        </Form.Item>
        <Typography.Text strong>{t('wl.checks.items')}</Typography.Text>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4} style={{ margin: '8px 0 16px' }}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="flex-start" wrap="wrap">
                  <Form.Item
                    name={[field.name, 'item']}
                    rules={[{ required: true, whitespace: true, message: t('wl.checks.itemRequired') }]}
                    style={{ flex: '1 1 200px', marginBottom: 4 }}
                  >
                    <Input maxLength={200} aria-label={t('wl.checks.item')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'ok']} valuePropName="checked" style={{ marginBottom: 4 }}>
                    <Switch
                      checkedChildren={t('wl.checks.ok')}
                      unCheckedChildren={t('wl.checks.notOk')}
                      aria-label={t('wl.checks.itemOk')}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'note']} style={{ flex: '1 1 140px', marginBottom: 4 }}>
                    <Input
                      maxLength={500}
                      placeholder={t('wl.checks.note')}
                      aria-label={t('wl.checks.note')}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('wl.checks.removeItem')}
                    disabled={fields.length <= 1}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ item: '', ok: true })}>
                {t('wl.checks.addItem')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Form.Item name="findings" label={t('wl.checks.findings')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Form.Item
          name="result"
          label={t('wl.checks.result')}
          rules={[{ required: true, message: t('wl.checks.resultRequired') }]}
        >
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'passed', label: t('wl.checks.result.passed') },
              { value: 'failed', label: t('wl.checks.result.failed') },
            ]}
          />
        </Form.Item>
        {result === 'failed' ? (
          <>
            <Form.Item
              name="rectificationDue"
              label={t('wl.checks.rectificationDue')}
              rules={[{ required: true, message: t('wl.checks.dueRequired') }]}
            >
              <DatePicker style={{ width: 200 }} />
            </Form.Item>
            {canSuspend ? (
              <Form.Item name="suspend" valuePropName="checked" style={{ marginBottom: 8 }}>
                <Checkbox>{t('wl.checks.suspendToo')}</Checkbox>
              </Form.Item>
            ) : null}
            {canSuspend ? (
              <Alert
                type={suspend ? 'warning' : 'info'}
                showIcon
                title={suspend ? t('wl.checks.willSuspend') : t('wl.checks.willNotSuspend')}
                style={{ marginBottom: 12 }}
              />
            ) : null}
          </>
        ) : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}
