/**
 * The registry administration inside the enterprise drawer: upstream/downstream links (链式保障), the liaison
 * cadre (包保干部, phone masked by the server) and the activation code an enterprise claims its account with.
 * Reading needs `enterprises.read`; changing needs `enterprises.manage`, and the server scopes both.
 */
import { CopyOutlined, DeleteOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { LINK_DIRECTIONS, validateMobile } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, type Enterprise, registryApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import './registry.css';

type Direction = (typeof LINK_DIRECTIONS)[number];
const linksKey = (id: string) => ['enterprises', 'links', id] as const;
const liaisonKey = (id: string) => ['enterprises', 'liaison', id] as const;

export function EnterpriseAdmin({ enterprise, canManage }: { enterprise: Enterprise; canManage: boolean }) {
  return (
    <Flex vertical gap={16} style={{ marginTop: 16 }}>
      <LinksCard enterprise={enterprise} canManage={canManage} />
      <LiaisonCard enterpriseId={enterprise.id} canManage={canManage} />
      {canManage ? <ActivationCodeCard enterpriseId={enterprise.id} /> : null}
    </Flex>
  );
}

function LinksCard({ enterprise, canManage }: { enterprise: Enterprise; canManage: boolean }) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const links = useQuery({
    queryKey: linksKey(enterprise.id),
    queryFn: () => registryApi.links(enterprise.id),
  });
  const remove = useMutation({
    mutationFn: (linkId: string) => registryApi.removeLink(enterprise.id, linkId),
    onSuccess: () => {
      void message.success(t('reg.link.removed'));
      void queryClient.invalidateQueries({ queryKey: linksKey(enterprise.id) });
    },
    onError: (error) => void message.error(errorMessage(error, lang)),
  });
  return (
    <Card
      size="small"
      title={t('reg.links')}
      data-testid="enterprise-links"
      extra={
        canManage ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('reg.link.add')}
          </Button>
        ) : null
      }
    >
      {links.isError ? (
        <QueryErrorResult error={links.error} onRetry={() => void links.refetch()} />
      ) : (
        <List
          size="small"
          loading={links.isPending}
          dataSource={links.data?.items ?? []}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reg.links.empty')} />,
          }}
          renderItem={(link) => (
            <List.Item
              actions={
                canManage
                  ? [
                      <Popconfirm
                        key="remove"
                        title={t('reg.link.removeConfirm', { name: link.linkedEnterprise.name })}
                        okText={t('reg.link.remove')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove.mutateAsync(link.id)}
                      >
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={`${t('reg.link.remove')} ${link.linkedEnterprise.name}`}
                        />
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Flex vertical gap={2}>
                <Space size={6} wrap>
                  <Tag color={link.direction === 'upstream' ? 'blue' : 'green'}>
                    {t(`reg.link.${link.direction}`)}
                  </Tag>
                  <Typography.Text>{link.linkedEnterprise.name}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" className="mono small">
                  {link.linkedEnterprise.uscc}
                  {link.note ? ` · ${link.note}` : ''}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
      {canManage ? (
        <AddLinkDialog enterprise={enterprise} open={adding} onClose={() => setAdding(false)} />
      ) : null}
    </Card>
  );
}

interface LinkForm {
  linkedEnterpriseId: string;
  direction: Direction;
  note?: string;
}

function AddLinkDialog({
  enterprise,
  open,
  onClose,
}: {
  enterprise: Enterprise;
  open: boolean;
  onClose: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<LinkForm>();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['enterprises', 'list', { q }, 'link-picker'],
    queryFn: () => api.enterprises({ q: q || undefined }, { limit: 20 }),
    enabled: open,
  });
  const add = useMutation({
    mutationFn: (values: LinkForm) =>
      registryApi.addLink(enterprise.id, {
        linkedEnterpriseId: values.linkedEnterpriseId,
        direction: values.direction,
        note: values.note?.trim() || null,
      }),
    onSuccess: () => {
      void message.success(t('reg.link.added'));
      void queryClient.invalidateQueries({ queryKey: linksKey(enterprise.id) });
      form.resetFields();
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error, lang, ['linkedEnterpriseId', 'direction', 'note']))
        form.setFields([{ name: 'linkedEnterpriseId', errors: [errorMessage(error, lang)] }]);
    },
  });
  return (
    <Modal
      open={open}
      title={`${t('reg.link.add')}：${enterprise.name}`}
      okText={t('reg.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<LinkForm>
        form={form}
        name="enterpriseLink"
        layout="vertical"
        initialValues={{ direction: 'upstream' }}
        onFinish={(values) => add.mutate(values)}
      >
        <Form.Item name="direction" label={t('reg.link.direction')}>
          <Segmented
            options={LINK_DIRECTIONS.map((direction) => ({
              value: direction,
              label: t(`reg.link.${direction}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="linkedEnterpriseId"
          label={t('reg.link.pick')}
          rules={[{ required: true, message: t('reg.link.search') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: (text) => setQ(text.trim()) }}
            placeholder={t('reg.link.search')}
            loading={found.isFetching}
            options={(found.data?.items ?? [])
              .filter((row) => row.id !== enterprise.id)
              .map((row) => ({ value: row.id, label: `${row.name}（${row.uscc}）` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('reg.link.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface LiaisonForm {
  name: string;
  phone: string;
  orgUnitName?: string;
}

function LiaisonCard({ enterpriseId, canManage }: { enterpriseId: string; canManage: boolean }) {
  const { lang, t, dateTime } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<LiaisonForm>();
  const liaison = useQuery({
    queryKey: liaisonKey(enterpriseId),
    queryFn: () => registryApi.liaison(enterpriseId),
  });
  const save = useMutation({
    mutationFn: (values: LiaisonForm) =>
      registryApi.setLiaison(enterpriseId, {
        name: values.name.trim(),
        phone: values.phone.trim(),
        orgUnitName: values.orgUnitName?.trim() || null,
      }),
    onSuccess: (answer) => {
      queryClient.setQueryData(liaisonKey(enterpriseId), answer);
      void message.success(t('reg.liaison.saved'));
      form.resetFields();
      setEditing(false);
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error, lang, ['name', 'phone', 'orgUnitName']))
        void message.error(errorMessage(error, lang));
    },
  });
  const current = liaison.data?.liaison ?? null;
  return (
    <Card
      size="small"
      title={t('reg.liaison')}
      data-testid="enterprise-liaison"
      extra={
        canManage && !editing ? (
          <Button size="small" onClick={() => setEditing(true)}>
            {current ? t('reg.liaison.replace') : t('reg.liaison.set')}
          </Button>
        ) : null
      }
    >
      {liaison.isError ? (
        <QueryErrorResult error={liaison.error} onRetry={() => void liaison.refetch()} />
      ) : current ? (
        <Flex vertical gap={2}>
          <Typography.Text strong>{current.name}</Typography.Text>
          <Typography.Text className="mono">{current.phoneMasked}</Typography.Text>
          {current.orgUnitName ? <Typography.Text>{current.orgUnitName}</Typography.Text> : null}
          <Typography.Text type="secondary" className="small">
            {t('reg.liaison.since', { time: dateTime(current.assignedAt) })}
          </Typography.Text>
        </Flex>
      ) : (
        <Typography.Text type="secondary">
          {liaison.isPending ? t('common.loading') : t('reg.liaison.none')}
        </Typography.Text>
      )}
      {editing ? (
        <Form<LiaisonForm>
          form={form}
          name="liaison"
          layout="vertical"
          style={{ marginTop: 12 }}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item
            name="name"
            label={t('reg.liaison.name')}
            rules={[{ required: true, whitespace: true, min: 2, max: 30, message: t('reg.required') }]}
          >
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('reg.liaison.phone')}
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  if (!value || !validateMobile(value).ok) throw new Error(t('reg.liaison.phoneInvalid'));
                },
              },
            ]}
          >
            <Input inputMode="tel" maxLength={20} autoComplete="off" />
          </Form.Item>
          <Form.Item name="orgUnitName" label={t('reg.liaison.unit')}>
            <Input maxLength={100} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('reg.save')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setEditing(false);
              }}
            >
              {t('common.cancel')}
            </Button>
          </Space>
        </Form>
      ) : null}
    </Card>
  );
}

/** Issues a code and shows it once: it lives in this component's state only and is gone when closed. */
function ActivationCodeCard({ enterpriseId }: { enterpriseId: string }) {
  const { lang, t, dateTime } = useI18n();
  const { message } = App.useApp();
  const [validDays, setValidDays] = useState(7);
  const issue = useMutation({
    mutationFn: () => registryApi.issueActivationCode(enterpriseId, { validDays }),
    onError: (error) => void message.error(errorMessage(error, lang)),
  });
  const issued = issue.data;
  const copy = async () => {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.code);
      void message.success(t('reg.code.copied'));
    } catch {
      void message.error(errorMessage(null, lang));
    }
  };
  return (
    <Card size="small" title={t('reg.code')} data-testid="enterprise-activation">
      <Typography.Paragraph type="secondary">{t('reg.code.hint')}</Typography.Paragraph>
      <Space wrap>
        <span>{t('reg.code.validDays')}</span>
        <InputNumber
          aria-label={t('reg.code.validDays')}
          min={1}
          max={30}
          precision={0}
          value={validDays}
          onChange={(value) => setValidDays(value ?? 7)}
        />
        <Button icon={<KeyOutlined />} loading={issue.isPending} onClick={() => issue.mutate()}>
          {t('reg.code.issue')}
        </Button>
      </Space>
      <Modal
        open={issued !== undefined}
        title={t('reg.code.issued')}
        closable={false}
        keyboard={false}
        mask={{ closable: false }}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => issue.reset()}>
            {t('reg.code.done')}
          </Button>
        }
      >
        {issued ? (
          <Flex vertical gap={12}>
            <Alert type="warning" showIcon title={t('reg.code.once')} />
            <Typography.Text className="mono activation-code" data-testid="activation-code" strong>
              {issued.code}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('reg.code.expires', { time: dateTime(issued.expiresAt) })}
            </Typography.Text>
            <Button icon={<CopyOutlined />} onClick={() => void copy()}>
              {t('reg.code.copy')}
            </Button>
          </Flex>
        ) : null}
      </Modal>
    </Card>
  );
}
