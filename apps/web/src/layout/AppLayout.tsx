import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { ROLE_LABELS, TIER_LABELS } from '@sibao/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  Avatar,
  Button,
  Drawer,
  Dropdown,
  Flex,
  Grid,
  Layout,
  Menu,
  type MenuProps,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { Suspense, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api';
import { QueryErrorResult } from '../components/ErrorResult';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { activeMenuKey, MENU } from '../menu';
import { can, forgetSignedIn, MeProvider, useMe, useMeQuery } from '../session';

/** The authenticated part of the app: no session → the login page, remembering where the user was going. */
export function RequireAuth() {
  const location = useLocation();
  const me = useMeQuery();
  if (me.isPending) return <Spin fullscreen />;
  if (me.isError) return <QueryErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // An expired password lets the user do one thing: change it (等保2.0 rotation).
  if (me.data.user.passwordExpired && location.pathname !== '/account')
    return <Navigate to="/account" replace />;
  return (
    <MeProvider value={me.data}>
      <AppLayout />
    </MeProvider>
  );
}

function AppLayout() {
  const me = useMe();
  const { lang, t, pick } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  // Until the first measurement `md` is undefined; treat that as desktop to avoid a flash of the drawer button.
  const isPhone = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const locked = me.user.passwordExpired;
  const items: MenuProps['items'] = MENU.filter((entry) => can(me, entry.permission))
    .filter((entry) => !locked || entry.key === 'account')
    .map((entry) => ({ key: entry.key, icon: entry.icon, label: pick(entry.label) }));
  const selected = activeMenuKey(location.pathname);

  const onMenuClick: MenuProps['onClick'] = ({ key }) => {
    const entry = MENU.find((candidate) => candidate.key === key);
    if (entry) navigate(entry.path);
    setDrawerOpen(false);
  };

  const signOut = async () => {
    try {
      await api.logout();
    } catch {
      // The session may already be gone; the user is signed out either way.
    }
    forgetSignedIn(queryClient);
    navigate('/login', { replace: true, state: { notice: 'loggedOut' } });
  };

  // An enterprise user's tier is the enterprise itself: the role says it all.
  const roleLabel =
    me.tier === 'enterprise'
      ? pick(ROLE_LABELS[me.user.role])
      : `${pick(TIER_LABELS[me.tier])} · ${pick(ROLE_LABELS[me.user.role])}`;
  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        type: 'group',
        label: (
          <Flex vertical>
            <Typography.Text strong>{me.user.displayName}</Typography.Text>
            <Typography.Text type="secondary">{me.user.username}</Typography.Text>
          </Flex>
        ),
      },
      { type: 'divider' },
      { key: 'account', icon: <UserOutlined />, label: t('header.account') },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'account') navigate('/account');
      if (key === 'logout') void signOut();
    },
  };

  const menu = (
    <nav aria-label={t('nav.label')} data-testid="main-menu">
      <Menu
        mode="inline"
        items={items}
        selectedKeys={selected ? [selected] : []}
        onClick={onMenuClick}
        style={{ borderInlineEnd: 'none' }}
      />
    </nav>
  );

  const identity = (
    <Flex vertical gap={2} className="identity">
      <Typography.Text strong ellipsis className="identity-org">
        {me.orgUnit.name}
      </Typography.Text>
      <Flex gap={6} align="center" wrap="wrap">
        <Typography.Text type="secondary">{me.region.name}</Typography.Text>
        <Tag color="red" variant="filled">
          {roleLabel}
        </Tag>
      </Flex>
    </Flex>
  );

  return (
    <Layout className="app-layout">
      {isPhone ? null : (
        <Layout.Sider width={224} theme="light" className="app-sider">
          <div className="app-brand">
            <span className="app-logo" aria-hidden>
              保
            </span>
            <span className="app-brand-name">{t('app.name')}</span>
          </div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="app-header">
          {isPhone ? (
            <Flex align="center" gap={8} style={{ minWidth: 0 }}>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('header.openMenu')}
                onClick={() => setDrawerOpen(true)}
              />
              <span className="app-logo" aria-hidden>
                保
              </span>
              <Typography.Text strong ellipsis>
                {t('app.short')}
              </Typography.Text>
            </Flex>
          ) : (
            identity
          )}
          <Flex align="center" gap={12} style={{ flex: 'none' }}>
            <LanguageSwitch size="small" />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" aria-label={t('header.userMenu')} className="user-button">
                <Avatar size="small" icon={<UserOutlined />} />
                {isPhone ? null : <span className="user-name">{me.user.displayName}</span>}
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content className="app-content" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
          <Suspense fallback={<Spin className="page-spin" />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {isPhone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={280}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
        >
          <div className="drawer-identity">{identity}</div>
          {menu}
        </Drawer>
      ) : null}
    </Layout>
  );
}
