import { RightOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { ROLE_LABELS, SECTOR_LABELS, TIER_LABELS } from '@sibao/contracts';
import { Alert, Button, Card, Col, Descriptions, Flex, Row, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { MENU } from '../menu';
import { ROLE_PROFILES } from '../roles';
import { can, useMe } from '../session';

export default function HomePage() {
  const me = useMe();
  const { t, pick } = useI18n();
  const navigate = useNavigate();
  const profile = ROLE_PROFILES[me.user.role];
  const links = MENU.filter((entry) => entry.key !== 'home' && can(me, entry.permission));

  return (
    <Flex vertical gap={16}>
      <Card>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('home.greeting', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{pick(profile.summary)}</Typography.Paragraph>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'org', label: t('home.orgUnit'), children: me.orgUnit.name },
            { key: 'role', label: t('home.role'), children: pick(ROLE_LABELS[me.user.role]) },
            { key: 'tier', label: t('home.tier'), children: pick(TIER_LABELS[me.tier]) },
            { key: 'region', label: t('home.region'), children: me.region.name },
            ...(me.sectors.length > 0
              ? [
                  {
                    key: 'sectors',
                    label: t('home.sectors'),
                    children: me.sectors.map((sector) => pick(SECTOR_LABELS[sector])).join('、'),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      {!me.user.mfaEnabled ? (
        <Alert
          type={me.mfaRequired ? 'warning' : 'info'}
          showIcon
          icon={<SafetyCertificateOutlined />}
          title={me.mfaRequired ? t('mfa.requiredNote') : t('home.mfaReminder')}
          action={
            <Button size="small" onClick={() => navigate('/account')}>
              {t('home.goAccount')}
            </Button>
          }
        />
      ) : null}

      <section aria-labelledby="duties-title">
        <Typography.Title level={4} id="duties-title">
          {t('home.duties')}
        </Typography.Title>
        <Row gutter={[16, 16]}>
          {profile.duties.map((duty) => (
            <Col key={duty.title.en} xs={24} sm={12} xl={6}>
              <Card size="small" title={pick(duty.title)} className="duty-card">
                <Typography.Text type="secondary">{pick(duty.detail)}</Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
      </section>

      <section aria-labelledby="links-title">
        <Typography.Title level={4} id="links-title">
          {t('home.quickLinks')}
        </Typography.Title>
        <Row gutter={[16, 16]}>
          {links.map((entry) => (
            <Col key={entry.key} xs={24} sm={12} xl={6}>
              <Link to={entry.path} className="quick-link">
                <Card size="small" hoverable>
                  <Flex align="center" gap={12}>
                    <span className="quick-link-icon">{entry.icon}</span>
                    <Flex vertical style={{ flex: 1, minWidth: 0 }}>
                      <Typography.Text strong>{pick(entry.label)}</Typography.Text>
                      <Typography.Text type="secondary" ellipsis>
                        {pick(entry.description)}
                      </Typography.Text>
                    </Flex>
                    <RightOutlined />
                  </Flex>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </section>
    </Flex>
  );
}
