/**
 * 新增企业: an official registers one enterprise (project, park) in the registry. The USCC is checked here
 * with the contracts' validator before anything is sent; the server's refusals (USCC taken, county outside
 * the official's region, sector outside the department's) land on their fields.
 */
import {
  ENTERPRISE_KINDS,
  ERROR_CATALOG,
  type Region,
  SECTOR_LABELS,
  SECTORS,
  type Sector,
  validateUscc,
} from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Segmented, Select, Switch, TreeSelect } from 'antd';
import { useState } from 'react';
import { ApiError, api, registryApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';

interface CreateForm {
  kind: (typeof ENTERPRISE_KINDS)[number];
  uscc: string;
  name: string;
  sectors: Sector[];
  regionCode: string;
  address?: string;
  headcount?: number | null;
  annualValueWan?: number | null;
  cityOperations: boolean;
}

/** A form rule that checks a USCC with the same validator the server uses, in the UI language. */
export function useUsccRule() {
  const { lang, t } = useI18n();
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) throw new Error(t('reg.required'));
      const result = validateUscc(value);
      if (!result.ok) throw new Error(ERROR_CATALOG[result.code][lang]);
    },
  };
}

export function CreateEnterpriseDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { lang, t, pick } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const usccRule = useUsccRule();
  const create = useMutation({
    mutationFn: (values: CreateForm) =>
      registryApi.createEnterprise({
        kind: values.kind,
        uscc: values.uscc.trim().toUpperCase(),
        name: values.name.trim(),
        sectors: values.sectors,
        regionCode: values.regionCode,
        address: values.address?.trim() || null,
        headcount: values.headcount ?? 0,
        annualValueFen: Math.round((values.annualValueWan ?? 0) * 1_000_000),
        cityOperations: values.cityOperations,
      }),
    onSuccess: (row) => {
      void message.success(t('reg.create.done', { name: row.name }));
      void queryClient.invalidateQueries({ queryKey: ['enterprises'] });
      form.resetFields();
      onCreated(row.id);
    },
    onError: (error) =>
      applyFieldErrors(form, error, lang, ['uscc', 'name', 'sectors', 'regionCode', 'address', 'headcount']),
  });
  const unplaced =
    create.error instanceof ApiError && create.error.fieldErrors.length > 0 ? null : create.error;

  return (
    <Modal
      open={open}
      title={t('reg.create.title')}
      okText={t('reg.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        create.reset();
        onClose();
      }}
      destroyOnHidden
      width={560}
    >
      {unplaced ? <Alert type="error" showIcon title={errorMessage(unplaced, lang)} /> : null}
      <Form<CreateForm>
        form={form}
        name="createEnterprise"
        layout="vertical"
        requiredMark
        initialValues={{
          kind: 'enterprise',
          sectors: me.sectors.length === 1 ? me.sectors : [],
          regionCode: me.tier === 'county' ? me.region.code : undefined,
          cityOperations: false,
        }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="kind" label={t('enterprises.kind')}>
          <Segmented
            options={ENTERPRISE_KINDS.map((kind) => ({ value: kind, label: t(`enterprises.kind.${kind}`) }))}
          />
        </Form.Item>
        <Form.Item name="uscc" label={t('enterprises.uscc')} rules={[usccRule]} validateTrigger="onBlur">
          <Input className="mono" maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('enterprises.name')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('reg.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="sectors"
          label={t('enterprises.sectors')}
          rules={[{ required: true, type: 'array', min: 1, message: t('reg.required') }]}
        >
          <Select<Sector[]>
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={SECTORS.map((sector) => ({ value: sector, label: pick(SECTOR_LABELS[sector]) }))}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('reg.county')}
          rules={[{ required: true, message: t('reg.countyPick') }]}
        >
          <CountyPicker />
        </Form.Item>
        <Form.Item name="address" label={t('enterprises.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="headcount" label={t('enterprises.headcount')}>
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="annualValueWan" label={t('reg.annualValueWan')}>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="cityOperations" label={t('enterprises.cityOperations')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CountyNode {
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
  children?: CountyNode[];
}

/** A county-level division inside the official's region: cities open to their counties on demand. */
function CountyPicker({ value, onChange }: { value?: string; onChange?: (code: string) => void }) {
  const me = useMe();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [loaded, setLoaded] = useState<Record<string, Region[]>>({});
  const top = useQuery({
    queryKey: ['regions', me.region.code],
    queryFn: () => api.regions(me.region.code),
    staleTime: Number.POSITIVE_INFINITY,
    enabled: me.tier !== 'county',
  });
  const toNode = (region: Pick<Region, 'code' | 'name' | 'level' | 'childCount'>): CountyNode => {
    const county = region.level === 'county' || region.level === 'zone';
    const children = loaded[region.code];
    return {
      value: region.code,
      title: region.name,
      isLeaf: county || region.childCount === 0,
      selectable: county,
      ...(children ? { children: children.map(toNode) } : {}),
    };
  };
  const treeData =
    me.tier === 'county'
      ? [{ value: me.region.code, title: me.region.name, isLeaf: true, selectable: true }]
      : (top.data?.items ?? []).map(toNode);
  return (
    <TreeSelect
      showSearch
      treeNodeFilterProp="title"
      placeholder={t('reg.countyPick')}
      aria-label={t('reg.county')}
      value={value}
      onChange={(code: string) => onChange?.(code)}
      treeData={treeData}
      loadData={async (node) => {
        const code = String(node.value);
        const list = await queryClient.fetchQuery({
          queryKey: ['regions', code],
          queryFn: () => api.regions(code),
          staleTime: Number.POSITIVE_INFINITY,
        });
        setLoaded((now) => ({ ...now, [code]: list.items }));
      }}
    />
  );
}
