/**
 * What the public account pages share: the new account's fields with the password rules shown as the user
 * types, and placing the server's refusals on the field they concern (nested paths and path-less codes).
 */
import { CheckCircleFilled, CloseCircleOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Form, type FormInstance, Input, Typography } from 'antd';
import { ApiError, fieldErrorText, fieldName } from '../../api';
import { useI18n } from '../../i18n';
import type { Lang, MessageKey } from '../../messages';

/** The client-side view of the password policy (the server decides; this only guides). */
function passwordChecks(password: string, username: string): { key: MessageKey; ok: boolean | null }[] {
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  const name = username.trim().toLowerCase();
  return [
    { key: 'account.rule.length', ok: [...password].length >= 12 },
    { key: 'account.rule.classes', ok: classes >= 3 },
    {
      key: 'reg.account.noUsername',
      ok: name.length < 3 ? null : !password.toLowerCase().includes(name),
    },
    { key: 'account.rule.common', ok: null },
  ];
}

export interface AccountValues {
  username: string;
  displayName: string;
  password: string;
  confirmPassword: string;
}

/** Username, contact name, password (rules listed under it) and its confirmation, inside a `Form`. */
export function AccountFields<T extends AccountValues>({ form }: { form: FormInstance<T> }) {
  const { t } = useI18n();
  const password: string = Form.useWatch('password', form as FormInstance) ?? '';
  const username: string = Form.useWatch('username', form as FormInstance) ?? '';
  return (
    <>
      <Form.Item
        name="username"
        label={t('reg.account.username')}
        extra={t('reg.account.usernameHint')}
        rules={[
          { required: true, message: t('reg.required') },
          { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: t('reg.account.usernameHint') },
        ]}
      >
        <Input autoComplete="username" autoCapitalize="none" maxLength={64} />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('reg.account.displayName')}
        rules={[{ required: true, whitespace: true, max: 50, message: t('reg.required') }]}
      >
        <Input autoComplete="name" maxLength={50} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('reg.account.password')}
        rules={[{ required: true, message: t('login.passwordRequired') }]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <section aria-label={t('account.rules')} className="password-rules">
        <Typography.Text type="secondary">{t('account.rules')}</Typography.Text>
        <ul>
          {passwordChecks(password, username).map(({ key, ok }) => (
            <li key={key} className={ok === null ? '' : ok ? 'rule-ok' : 'rule-open'}>
              {ok === null ? <InfoCircleOutlined /> : ok ? <CheckCircleFilled /> : <CloseCircleOutlined />}{' '}
              {t(key)}
            </li>
          ))}
        </ul>
      </section>
      <Form.Item
        name="confirmPassword"
        label={t('reg.account.confirm')}
        dependencies={['password']}
        rules={[
          { required: true, message: t('login.passwordRequired') },
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              if (value && value !== getFieldValue('password')) throw new Error(t('reg.account.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </>
  );
}

/** Codes the server answers without a field path, and the field each belongs on. */
const FIELD_OF_CODE: Record<string, string> = {
  ACTIVATION_CODE_INVALID: 'code',
  USERNAME_TAKEN: 'username',
  PASSWORD_WEAK: 'password',
  ENTERPRISE_USCC_EXISTS: 'uscc',
  ENTERPRISE_REGION_NOT_COUNTY: 'regionCode',
};

/**
 * Puts an API refusal on the form's (flat) fields: `body.enterprise.uscc` lands on `uscc`, a password
 * refusal shows the policy message, a path-less code on its field. False when nothing found a field.
 */
export function placeErrors<T>(form: FormInstance<T>, error: unknown, lang: Lang, fields: string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const known = new Set(fields);
  const byField = new Map<string, string[]>();
  const put = (name: string | undefined, text: string) => {
    if (name === undefined || !known.has(name)) return;
    byField.set(name, [...(byField.get(name) ?? []), text]);
  };
  if (error.code === 'PASSWORD_WEAK') put('password', error.text(lang));
  else
    for (const fieldError of error.fieldErrors) {
      const parts = fieldName(fieldError.path);
      put(parts[0] === 'enterprise' ? parts[1] : parts[0], fieldErrorText(fieldError, lang));
    }
  if (byField.size === 0) put(FIELD_OF_CODE[error.code], error.text(lang));
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return byField.size > 0;
}
