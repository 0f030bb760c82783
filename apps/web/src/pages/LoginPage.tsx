import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import type { LoginBody, LoginResponse } from '@sibao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../api';
import { applyFieldErrors, errorMessage } from '../components/forms';
import { LanguageSwitch } from '../components/LanguageSwitch';
import {
  OneTimeCodeInput,
  type OneTimeCodeRef,
  oneTimeCodeRule,
  TotpEnrolment,
} from '../components/TotpEnrolment';
import { useI18n } from '../i18n';
import { type LoginLocationState, rememberSignedIn, useMeQuery } from '../session';

type Step = 'password' | 'mfa' | 'enrol';

export default function LoginPage() {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMeQuery();
  const [step, setStep] = useState<Step>('password');
  const state = (location.state ?? {}) as LoginLocationState;
  // Back to where the user was going when the session ran out, else home.
  const target = state.from && !state.from.startsWith('/login') ? state.from : '/';

  /** Where each answer of the login leads. */
  const onAnswer = (answer: LoginResponse) => {
    if (answer.status === 'ok') {
      rememberSignedIn(queryClient, answer.me);
      navigate(target, { replace: true });
    } else {
      setStep(answer.status === 'mfa_required' ? 'mfa' : 'enrol');
    }
  };

  if (me.isPending) return <Spin fullscreen />;
  if (me.data && step === 'password') return <Navigate to={target} replace />;

  return (
    <div className="login-page">
      <header className="login-topbar">
        <Typography.Text className="login-issuer">{t('app.issuer')}</Typography.Text>
        <LanguageSwitch size="small" />
      </header>
      <main className="login-main">
        <Flex vertical align="center" gap={8} className="login-brand">
          <div className="login-logo" aria-hidden>
            保
          </div>
          <Typography.Title level={1} className="login-title">
            {t('app.fullName')}
          </Typography.Title>
          <Typography.Text className="login-subtitle">{t('login.subtitle')}</Typography.Text>
        </Flex>
        <Card className="login-card">
          {step === 'password' ? <PasswordStep notice={state.notice} onAnswer={onAnswer} /> : null}
          {step === 'mfa' ? <MfaStep onAnswer={onAnswer} onBack={() => setStep('password')} /> : null}
          {step === 'enrol' ? <EnrolStep onAnswer={onAnswer} onBack={() => setStep('password')} /> : null}
        </Card>
        <Flex gap={16} wrap="wrap" justify="center">
          <Link to="/public/whitelist" style={{ color: '#fff', textDecoration: 'underline' }}>
            {t('wl.public.link')}
          </Link>
          <Link to="/claim" style={{ color: '#fff', textDecoration: 'underline' }}>
            {t('reg.claim.link')}
          </Link>
        </Flex>
        <Typography.Text className="login-footer">{t('login.footer')}</Typography.Text>
      </main>
    </div>
  );
}

function PasswordStep({
  notice,
  onAnswer,
}: {
  notice: LoginLocationState['notice'];
  onAnswer: (answer: LoginResponse) => void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<LoginBody>();
  const login = useMutation({
    mutationFn: api.login,
    onSuccess: onAnswer,
    onError: (error) => applyFieldErrors(form, error, lang, ['username', 'password']),
  });

  return (
    <Form<LoginBody>
      form={form}
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => login.mutate(values)}
      onValuesChange={() => login.error && login.reset()}
    >
      <Typography.Title level={2} className="login-card-title">
        {t('login.title')}
      </Typography.Title>
      {login.error ? (
        <Alert
          className="login-alert"
          type="error"
          showIcon
          title={errorMessage(login.error, lang)}
          role="alert"
        />
      ) : notice === 'expired' ? (
        <Alert className="login-alert" type="warning" showIcon title={t('login.expired')} />
      ) : notice === 'loggedOut' ? (
        <Alert className="login-alert" type="success" showIcon title={t('login.loggedOut')} />
      ) : null}
      <Form.Item
        name="username"
        label={t('login.username')}
        rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('login.passwordRequired') }]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={login.isPending}>
        {t('login.submit')}
      </Button>
    </Form>
  );
}

function MfaStep({ onAnswer, onBack }: { onAnswer: (answer: LoginResponse) => void; onBack: () => void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<{ code: string }>();
  const codeInput = useRef<OneTimeCodeRef>(null);
  const verify = useMutation({
    mutationFn: (code: string) => api.verifyMfa({ code }),
    onSuccess: onAnswer,
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'MFA_INVALID') {
        form.setFields([{ name: 'code', value: '', errors: [error.text(lang)] }]);
        codeInput.current?.focus();
      }
    },
  });
  const otherError =
    verify.error instanceof ApiError && verify.error.code === 'MFA_INVALID' ? null : verify.error;

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => verify.mutate(code)}>
      <Typography.Title level={2} className="login-card-title">
        <SafetyCertificateOutlined /> {t('login.mfaTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('login.mfaHint')}</Typography.Paragraph>
      {otherError ? (
        <Alert className="login-alert" type="error" showIcon title={errorMessage(otherError, lang)} />
      ) : null}
      <Form.Item
        name="code"
        label={t('mfa.code')}
        rules={[{ ...oneTimeCodeRule, message: t('mfa.codeInvalid') }]}
      >
        <OneTimeCodeInput autoFocus ref={codeInput} />
      </Form.Item>
      <Flex vertical gap={8}>
        <Button type="primary" htmlType="submit" block size="large" loading={verify.isPending}>
          {t('mfa.verify')}
        </Button>
        <Button type="link" onClick={onBack}>
          {t('login.back')}
        </Button>
      </Flex>
    </Form>
  );
}

function EnrolStep({ onAnswer, onBack }: { onAnswer: (answer: LoginResponse) => void; onBack: () => void }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={2} className="login-card-title">
        <SafetyCertificateOutlined /> {t('login.enrolTitle')}
      </Typography.Title>
      <Alert type="info" showIcon title={t('login.enrolHint')} />
      <TotpEnrolment onDone={onAnswer} />
      <Button type="link" onClick={onBack}>
        {t('login.back')}
      </Button>
    </Flex>
  );
}
