import type { LoginResponse, MfaEnrolment } from '@sibao/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, type GetRef, Input, QRCode, Typography } from 'antd';
import { type Ref, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import { useI18n } from '../i18n';
import { applyFieldErrors, errorMessage } from './forms';

/** The secret in groups of four, as authenticator apps print it: `JBSW Y3DP EHPK 3PXP`. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

export type OneTimeCodeRef = GetRef<typeof Input.OTP>;

/** Six digits, nothing else: the field of every second-factor form. */
export function OneTimeCodeInput(props: {
  value?: string;
  onChange?: (value: string) => void;
  autoFocus?: boolean;
  ref?: Ref<OneTimeCodeRef>;
}) {
  const { t } = useI18n();
  return (
    <Input.OTP
      ref={props.ref}
      length={6}
      size="large"
      styles={{ input: { width: 44, fontSize: 20 } }}
      value={props.value ?? ''}
      onChange={props.onChange}
      formatter={(value) => value.replace(/\D/g, '')}
      autoFocus={props.autoFocus}
      aria-label={t('mfa.code')}
      autoComplete="one-time-code"
    />
  );
}

export const oneTimeCodeRule = { pattern: /^\d{6}$/, required: true } as const;

/**
 * TOTP enrolment: ask the server for a secret, show it (QR code, grouped secret, otpauth URI), then confirm
 * with a first code. Used by the login's enrolment step and by the account page.
 */
export function TotpEnrolment({ onDone }: { onDone: (result: LoginResponse) => void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<{ code: string }>();
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const codeInput = useRef<OneTimeCodeRef>(null);

  const enrol = useMutation({ mutationFn: api.enrolMfa, onSuccess: setEnrolment });
  const confirm = useMutation({
    mutationFn: (code: string) => api.confirmMfa({ code }),
    onSuccess: onDone,
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'MFA_INVALID') {
        form.setFields([{ name: 'code', value: '', errors: [error.text(lang)] }]);
        codeInput.current?.focus();
      } else {
        applyFieldErrors(form, error, lang, ['code']);
      }
    },
  });

  const failure =
    enrol.error ??
    (confirm.error instanceof ApiError && confirm.error.code === 'MFA_INVALID' ? null : confirm.error);

  if (!enrolment) {
    return (
      <Flex vertical gap={12} align="flex-start">
        {enrol.error ? <Alert type="error" showIcon title={errorMessage(enrol.error, lang)} /> : null}
        <Button type="primary" loading={enrol.isPending} onClick={() => enrol.mutate()}>
          {t('mfa.start')}
        </Button>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph style={{ marginBottom: 0 }}>{t('mfa.step1')}</Typography.Paragraph>
      <Flex gap={16} wrap="wrap" align="flex-start">
        <QRCode value={enrolment.otpauthUri} size={160} bordered />
        <Flex vertical gap={8} style={{ minWidth: 0, flex: '1 1 220px' }}>
          <Typography.Text type="secondary">{t('mfa.secret')}</Typography.Text>
          <Typography.Text
            code
            copyable={{ text: enrolment.secret }}
            style={{ fontSize: 18, letterSpacing: 1 }}
            data-testid="totp-secret"
          >
            {groupSecret(enrolment.secret)}
          </Typography.Text>
          <Typography.Text type="secondary">{t('mfa.uri')}</Typography.Text>
          <Typography.Paragraph
            copyable
            style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all', marginBottom: 0 }}
          >
            {enrolment.otpauthUri}
          </Typography.Paragraph>
        </Flex>
      </Flex>
      {failure ? <Alert type="error" showIcon title={errorMessage(failure, lang)} /> : null}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => confirm.mutate(code)}>
        <Form.Item
          name="code"
          label={t('mfa.step2')}
          rules={[{ ...oneTimeCodeRule, message: t('mfa.codeInvalid') }]}
        >
          <OneTimeCodeInput autoFocus ref={codeInput} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('mfa.confirm')}
        </Button>
      </Form>
    </Flex>
  );
}
