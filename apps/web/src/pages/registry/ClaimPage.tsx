/**
 * /claim, no sign-in: an enterprise in the registry opens its account with the activation code its county
 * issued (USCC + code + the new account), or an enterprise not yet registered registers itself for its
 * county to confirm. Phone-first: one column, large inputs. The code and password only ever travel in a
 * POST body — never in the address bar, never in storage.
 */
import { ENTERPRISE_KINDS, SECTOR_LABELS, SECTORS, type Sector } from '@sibao/contracts';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Divider,
  Form,
  Input,
  InputNumber,
  Result,
  Segmented,
  Select,
  Switch,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { registryApi } from '../../api';
import { errorMessage } from '../../components/forms';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n';
import { useUsccRule } from './CreateEnterpriseDialog';
import { AccountFields, type AccountValues, placeErrors } from './registry.shared';
import './registry.css';

export default function ClaimPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'claim' | 'register'>('claim');
  return (
    <div className="claim-page">
      <header className="claim-topbar">
        <Link to="/login">{t('reg.claim.back')}</Link>
        <LanguageSwitch size="small" />
      </header>
      <main className="claim-main">
        <Typography.Title level={2}>{t('reg.claim.title')}</Typography.Title>
        <Card>
          <Tabs
            activeKey={tab}
            onChange={(key) => setTab(key === 'register' ? 'register' : 'claim')}
            items={[
              { key: 'claim', label: t('reg.claim.tab.claim'), children: <ClaimForm /> },
              { key: 'register', label: t('reg.claim.tab.register'), children: <RegisterForm /> },
            ]}
          />
        </Card>
      </main>
    </div>
  );
}

type ClaimValues = AccountValues & { uscc: string; code: string };

function ClaimForm() {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<ClaimValues>();
  const usccRule = useUsccRule();
  const [placed, setPlaced] = useState(false);
  const claim = useMutation({
    mutationFn: (values: ClaimValues) =>
      registryApi.claim({
        uscc: values.uscc.trim().toUpperCase(),
        code: values.code.trim(),
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        password: values.password,
      }),
    onSuccess: () => form.resetFields(['password', 'confirmPassword', 'code']),
    onMutate: () => setPlaced(false),
    onError: (error) =>
      setPlaced(placeErrors(form, error, lang, ['uscc', 'code', 'username', 'displayName', 'password'])),
  });
  if (claim.data)
    return (
      <Result
        status="success"
        title={t('reg.claim.done')}
        subTitle={t('reg.claim.doneHint', { username: claim.data.username })}
        extra={
          <Link to="/login">
            <Button type="primary" size="large">
              {t('reg.claim.signIn')}
            </Button>
          </Link>
        }
      />
    );
  const unplaced = placed ? null : claim.error;
  return (
    <Form<ClaimValues>
      form={form}
      name="claim"
      layout="vertical"
      size="large"
      requiredMark={false}
      onFinish={(values) => claim.mutate(values)}
    >
      <Typography.Paragraph type="secondary">{t('reg.claim.hint')}</Typography.Paragraph>
      {unplaced ? <Alert type="error" showIcon title={errorMessage(unplaced, lang)} role="alert" /> : null}
      <Form.Item name="uscc" label={t('enterprises.uscc')} rules={[usccRule]} validateTrigger="onBlur">
        <Input className="mono" maxLength={18} autoComplete="off" autoCapitalize="characters" />
      </Form.Item>
      <Form.Item
        name="code"
        label={t('reg.claim.code')}
        rules={[{ required: true, whitespace: true, min: 6, message: t('reg.claim.codeRequired') }]}
      >
        <Input className="mono" maxLength={32} autoComplete="one-time-code" autoCapitalize="characters" />
      </Form.Item>
      <Divider plain>{t('reg.account')}</Divider>
      <AccountFields form={form} />
      <Button type="primary" htmlType="submit" block loading={claim.isPending}>
        {t('reg.claim.submit')}
      </Button>
    </Form>
  );
}

type RegisterValues = AccountValues & {
  kind: (typeof ENTERPRISE_KINDS)[number];
  uscc: string;
  name: string;
  sectors: Sector[];
  regionCode: string;
  address?: string;
  headcount?: number | null;
  annualValueWan?: number | null;
  cityOperations: boolean;
};

function RegisterForm() {
  const { lang, t, pick } = useI18n();
  const [form] = Form.useForm<RegisterValues>();
  const usccRule = useUsccRule();
  const [placed, setPlaced] = useState(false);
  const register = useMutation({
    mutationFn: (values: RegisterValues) =>
      registryApi.register({
        enterprise: {
          kind: values.kind,
          uscc: values.uscc.trim().toUpperCase(),
          name: values.name.trim(),
          sectors: values.sectors,
          regionCode: values.regionCode.trim(),
          address: values.address?.trim() || null,
          headcount: values.headcount ?? 0,
          annualValueFen: Math.round((values.annualValueWan ?? 0) * 1_000_000),
          cityOperations: values.cityOperations,
        },
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        password: values.password,
      }),
    onMutate: () => setPlaced(false),
    onError: (error) =>
      setPlaced(
        placeErrors(form, error, lang, [
          'uscc',
          'name',
          'sectors',
          'regionCode',
          'address',
          'headcount',
          'username',
          'displayName',
          'password',
        ]),
      ),
  });
  if (register.data)
    return (
      <Result
        status="success"
        title={t('reg.register.done')}
        subTitle={t('reg.register.doneHint', { username: form.getFieldValue('username') ?? '' })}
        extra={
          <Link to="/login">
            <Button size="large">{t('reg.claim.back')}</Button>
          </Link>
        }
      />
    );
  const unplaced = placed ? null : register.error;
  return (
    <Form<RegisterValues>
      form={form}
      name="register"
      layout="vertical"
      size="large"
      requiredMark={false}
      preserve
      initialValues={{ kind: 'enterprise', sectors: [], cityOperations: false }}
      onFinish={(values) => register.mutate(values)}
    >
      <Typography.Paragraph type="secondary">{t('reg.register.hint')}</Typography.Paragraph>
      {unplaced ? <Alert type="error" showIcon title={errorMessage(unplaced, lang)} role="alert" /> : null}
      <Divider plain>{t('reg.register.enterprise')}</Divider>
      <Form.Item name="kind" label={t('enterprises.kind')}>
        <Segmented
          block
          options={ENTERPRISE_KINDS.map((kind) => ({ value: kind, label: t(`enterprises.kind.${kind}`) }))}
        />
      </Form.Item>
      <Form.Item name="uscc" label={t('enterprises.uscc')} rules={[usccRule]} validateTrigger="onBlur">
        <Input className="mono" maxLength={18} autoComplete="off" autoCapitalize="characters" />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('enterprises.name')}
        rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('reg.required') }]}
      >
        <Input maxLength={100} autoComplete="organization" />
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
        label={t('reg.countyCode')}
        extra={t('reg.countyCodeHint')}
        rules={[{ required: true, pattern: /^\d{6}$/, message: t('reg.countyCodeInvalid') }]}
      >
        <Input inputMode="numeric" maxLength={6} className="mono" />
      </Form.Item>
      <Form.Item name="address" label={t('enterprises.address')}>
        <Input maxLength={200} autoComplete="street-address" />
      </Form.Item>
      <Form.Item name="headcount" label={t('enterprises.headcount')}>
        <InputNumber min={0} max={1_000_000} precision={0} inputMode="numeric" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="annualValueWan" label={t('reg.annualValueWan')}>
        <InputNumber min={0} precision={2} inputMode="decimal" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="cityOperations" label={t('enterprises.cityOperations')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Divider plain>{t('reg.account')}</Divider>
      <AccountFields form={form} />
      <Button type="primary" htmlType="submit" block loading={register.isPending}>
        {t('reg.register.submit')}
      </Button>
    </Form>
  );
}
