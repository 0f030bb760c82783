import {
  CheckCircleFilled,
  CloseCircleOutlined,
  InfoCircleOutlined,
  SafetyCertificateFilled,
} from '@ant-design/icons';
import type { ChangePasswordBody, SessionInfo } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Popconfirm,
  Row,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ApiError, api } from '../api';
import { QueryErrorResult } from '../components/ErrorResult';
import { applyFieldErrors, errorMessage } from '../components/forms';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { meQueryKey, useMe } from '../session';

const sessionsKey = ['auth', 'sessions'] as const;

export default function AccountPage() {
  const me = useMe();
  const { t, dateTime } = useI18n();
  const expired = me.user.passwordExpired;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('account.title')}
      </Typography.Title>
      {expired ? <Alert type="error" showIcon title={t('account.passwordExpired')} role="alert" /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <PasswordCard />
        </Col>
        {expired ? null : (
          <Col xs={24} lg={12}>
            <Flex vertical gap={16}>
              <Card title={t('account.profile')}>
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'name', label: t('account.displayName'), children: me.user.displayName },
                    { key: 'username', label: t('account.username'), children: me.user.username },
                    { key: 'org', label: t('home.orgUnit'), children: me.orgUnit.name },
                    {
                      key: 'ends',
                      label: t('account.sessionEnds'),
                      children: dateTime(me.session.expiresAt),
                    },
                  ]}
                />
              </Card>
              <MfaCard />
            </Flex>
          </Col>
        )}
      </Row>
      {expired ? null : <SessionsCard />}
    </Flex>
  );
}

type PasswordForm = ChangePasswordBody & { confirmPassword: string };

/** The client-side view of the password rules (等保2.0): the server decides, this only guides. */
function passwordChecks(password: string): { key: MessageKey; ok: boolean | null }[] {
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  return [
    { key: 'account.rule.length', ok: [...password].length >= 12 },
    { key: 'account.rule.classes', ok: classes >= 3 },
    { key: 'account.rule.common', ok: null },
  ];
}

function PasswordCard() {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';

  const change = useMutation({
    mutationFn: api.changePassword,
    onSuccess: async () => {
      form.resetFields();
      message.success(t('account.passwordChanged'));
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      await queryClient.invalidateQueries({ queryKey: sessionsKey });
    },
    onError: (error) => {
      if (applyFieldErrors(form, error, lang, ['currentPassword', 'newPassword'])) return;
      if (error instanceof ApiError && error.code === 'PASSWORD_WRONG') {
        form.setFields([{ name: 'currentPassword', errors: [error.text(lang)] }]);
      } else if (error instanceof ApiError && error.code === 'PASSWORD_WEAK') {
        form.setFields([{ name: 'newPassword', errors: [error.text(lang)] }]);
      }
    },
  });
  const shownError =
    change.error instanceof ApiError && ['PASSWORD_WRONG', 'PASSWORD_WEAK'].includes(change.error.code)
      ? null
      : change.error;

  return (
    <Card title={t('account.changePassword')}>
      <Form<PasswordForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword })}
      >
        {shownError ? (
          <Alert type="error" showIcon title={errorMessage(shownError, lang)} style={{ marginBottom: 16 }} />
        ) : null}
        <Form.Item
          name="currentPassword"
          label={t('account.currentPassword')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: t('login.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                value && value === getFieldValue('currentPassword')
                  ? Promise.reject(new Error(t('account.passwordSame')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <section aria-label={t('account.rules')} className="password-rules">
          <Typography.Text type="secondary">{t('account.rules')}</Typography.Text>
          <ul>
            {passwordChecks(newPassword).map(({ key, ok }) => (
              <li key={key} className={ok === null ? '' : ok ? 'rule-ok' : 'rule-open'}>
                {ok === null ? <InfoCircleOutlined /> : ok ? <CheckCircleFilled /> : <CloseCircleOutlined />}{' '}
                {t(key)}
              </li>
            ))}
          </ul>
        </section>
        <Form.Item
          name="confirmPassword"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('login.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('account.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} className="full-width-phone">
          {t('account.save')}
        </Button>
      </Form>
    </Card>
  );
}

function MfaCard() {
  const me = useMe();
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  return (
    <Card
      title={t('account.mfa')}
      extra={
        me.user.mfaEnabled ? (
          <Tag color="success" icon={<SafetyCertificateFilled />}>
            {t('mfa.enabled')}
          </Tag>
        ) : (
          <Tag>{t('mfa.disabled')}</Tag>
        )
      }
    >
      {me.user.mfaEnabled ? (
        <Typography.Text>{t('mfa.enrolled')}</Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            {me.mfaRequired ? t('mfa.requiredNote') : t('mfa.optionalNote')}
          </Typography.Text>
          <TotpEnrolment
            onDone={(answer) => {
              message.success(t('mfa.enrolled'));
              if (answer.status === 'ok') queryClient.setQueryData(meQueryKey, answer.me);
              else void queryClient.invalidateQueries({ queryKey: meQueryKey });
            }}
          />
        </Flex>
      )}
    </Card>
  );
}

/** A readable name for a user agent: browser and system, the full string in a tooltip. */
function describeUserAgent(userAgent: string): string {
  const browser =
    [
      [/MicroMessenger/, '微信'],
      [/Edg\//, 'Edge'],
      [/Firefox\//, 'Firefox'],
      [/Chrome\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? '';
  const system =
    [
      [/Android/, 'Android'],
      [/iPhone|iPad/, 'iOS'],
      [/Windows/, 'Windows'],
      [/Mac OS X/, 'macOS'],
      [/Linux/, 'Linux'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? '';
  return [browser, system].filter(Boolean).join(' · ') || userAgent.slice(0, 40);
}

function SessionsCard() {
  const { lang, t, dateTime } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: api.sessions });
  const end = useMutation({
    mutationFn: api.endSession,
    onSuccess: async () => {
      message.success(t('account.session.ended'));
      await queryClient.invalidateQueries({ queryKey: sessionsKey });
    },
    onError: (error) => message.error(errorMessage(error, lang)),
  });

  if (sessions.isError)
    return <QueryErrorResult error={sessions.error} onRetry={() => void sessions.refetch()} />;

  const columns: TableColumnsType<SessionInfo> = [
    {
      key: 'device',
      title: t('account.session.device'),
      render: (_, session) => (
        <Flex gap={8} align="center" wrap="wrap">
          {session.userAgent ? (
            <Tooltip title={session.userAgent}>
              <span>{describeUserAgent(session.userAgent)}</span>
            </Tooltip>
          ) : (
            t('account.session.unknown')
          )}
          {session.current ? <Tag color="blue">{t('account.session.current')}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'ip', title: t('account.session.ip'), responsive: ['md'], render: (_, s) => s.ip ?? '—' },
    {
      key: 'createdAt',
      title: t('account.session.createdAt'),
      responsive: ['lg'],
      render: (_, s) => dateTime(s.createdAt),
    },
    { key: 'lastSeenAt', title: t('account.session.lastSeenAt'), render: (_, s) => dateTime(s.lastSeenAt) },
    {
      key: 'action',
      title: '',
      width: 80,
      render: (_, session) =>
        session.current ? null : (
          <Popconfirm
            title={t('account.session.endConfirm')}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => end.mutateAsync(session.id).catch(() => undefined)}
          >
            <Button size="small" danger>
              {t('account.session.end')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card title={t('account.sessions')}>
      <Typography.Paragraph type="secondary">{t('account.sessionsHint')}</Typography.Paragraph>
      <Table<SessionInfo>
        rowKey="id"
        size="small"
        loading={sessions.isPending}
        columns={columns}
        dataSource={sessions.data?.items ?? []}
        pagination={false}
      />
    </Card>
  );
}
