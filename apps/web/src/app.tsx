import type { Permission } from '@sibao/contracts';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Result, Spin, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, RouterProvider, useRouteError } from 'react-router';
import { ApiError, setAuthLostHandler } from './api';
import { ForbiddenResult, NotFoundResult } from './components/ErrorResult';
import { I18nProvider, useI18n } from './i18n';
import { RequireAuth } from './layout/AppLayout';
import { menuEntry } from './menu';
import LoginPage from './pages/LoginPage';
import { can, forgetSignedIn, type LoginLocationState, meQueryKey, useMe } from './session';

// Pages load on first visit; the layout and the login page are in the entry chunk.
const HomePage = lazy(() => import('./pages/HomePage'));
const EnterprisesPage = lazy(() => import('./pages/EnterprisesPage'));
const RegionsPage = lazy(() => import('./pages/RegionsPage'));
const ParametersPage = lazy(() => import('./pages/ParametersPage'));
const AccountPage = lazy(() => import('./pages/AccountPage'));
const EntriesPage = lazy(() => import('./pages/whitelist-manage/EntriesPage'));
const EntryPage = lazy(() => import('./pages/whitelist-manage/EntryPage'));
const SpotChecksPage = lazy(() => import('./pages/whitelist-manage/SpotChecksPage'));
const BatchesPage = lazy(() => import('./pages/whitelist-manage/BatchesPage'));
const CoveragePage = lazy(() => import('./pages/whitelist-manage/CoveragePage'));
const PublicWhitelistPage = lazy(() => import('./pages/whitelist/PublicWhitelistPage'));
const ApplyPage = lazy(() => import('./pages/whitelist/ApplyPage'));
const ReviewQueuePage = lazy(() => import('./pages/whitelist/ReviewQueuePage'));
const ClaimPage = lazy(() => import('./pages/registry/ClaimPage'));
const RegistrationsPage = lazy(() => import('./pages/registry/RegistrationsPage'));
const CriteriaPage = lazy(() => import('./pages/criteria/CriteriaPage'));
const RosterPage = lazy(() => import('./pages/workforce/RosterPage'));
const DailyReportPage = lazy(() => import('./pages/workforce/DailyReportPage'));
const AlertsPage = lazy(() => import('./pages/workforce/AlertsPage'));
const ArrivalsPage = lazy(() => import('./pages/workforce/ArrivalsPage'));
const CompliancePage = lazy(() => import('./pages/workforce/CompliancePage'));

/** A page behind its menu entry's permission: users without it get the 403 page. */
function Guard({ permission, children }: { permission: Permission | null; children: ReactNode }) {
  const me = useMe();
  return can(me, permission) ? children : <ForbiddenResult />;
}

function CrashPage() {
  const error = useRouteError();
  const { lang, t } = useI18n();
  console.error(error);
  return (
    <Result
      status="error"
      title={t('error.crash')}
      subTitle={
        error instanceof ApiError && error.requestId
          ? `${error.text(lang)} · ${t('error.requestId', { id: error.requestId })}`
          : t('error.crashHint')
      }
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </Button>
      }
    />
  );
}

const retry = (failures: number, error: unknown) =>
  !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2;

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry, refetchOnWindowFocus: false, staleTime: 30_000 } },
  queryCache: new QueryCache({ onError: onPasswordExpired }),
  mutationCache: new MutationCache({ onError: onPasswordExpired }),
});

/** The server refuses everything but a password change once the password expired: re-read who we are. */
function onPasswordExpired(error: unknown) {
  if (error instanceof ApiError && error.code === 'PASSWORD_EXPIRED') {
    void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }
}

const router = createBrowserRouter([
  {
    errorElement: <CrashPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        // 向社会公布: no sign-in, outside the login guard.
        path: '/public/whitelist',
        element: (
          <Suspense fallback={<Spin fullscreen />}>
            <PublicWhitelistPage />
          </Suspense>
        ),
      },
      {
        // An enterprise claims its account or registers: no sign-in.
        path: '/claim',
        element: (
          <Suspense fallback={<Spin fullscreen />}>
            <ClaimPage />
          </Suspense>
        ),
      },
      {
        path: '/',
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomePage /> },
          {
            path: 'enterprises',
            element: (
              <Guard permission={menuEntry('enterprises').permission}>
                <EnterprisesPage />
              </Guard>
            ),
          },
          {
            path: 'registrations',
            element: (
              <Guard permission={menuEntry('reg-queue').permission}>
                <RegistrationsPage />
              </Guard>
            ),
          },
          {
            path: 'criteria',
            element: (
              <Guard permission={menuEntry('crit').permission}>
                <CriteriaPage />
              </Guard>
            ),
          },
          {
            path: 'regions',
            element: (
              <Guard permission={menuEntry('regions').permission}>
                <RegionsPage />
              </Guard>
            ),
          },
          {
            path: 'parameters',
            element: (
              <Guard permission={menuEntry('parameters').permission}>
                <ParametersPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/apply',
            element: (
              <Guard permission={menuEntry('wl-apply').permission}>
                <ApplyPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/review',
            element: (
              <Guard permission={menuEntry('wl-review').permission}>
                <ReviewQueuePage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/entries',
            element: (
              <Guard permission={menuEntry('wl-entries').permission}>
                <EntriesPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/entries/:id',
            element: (
              <Guard permission={menuEntry('wl-entries').permission}>
                <EntryPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/spot-checks',
            element: (
              <Guard permission={menuEntry('wl-checks').permission}>
                <SpotChecksPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/batches',
            element: (
              <Guard permission={menuEntry('wl-batches').permission}>
                <BatchesPage />
              </Guard>
            ),
          },
          {
            path: 'whitelist/coverage',
            element: (
              <Guard permission={menuEntry('wl-coverage').permission}>
                <CoveragePage />
              </Guard>
            ),
          },
          {
            path: 'workforce/roster',
            element: (
              <Guard permission={menuEntry('wf.roster').permission}>
                <RosterPage />
              </Guard>
            ),
          },
          {
            path: 'workforce/daily-report',
            element: (
              <Guard permission={menuEntry('wf.report').permission}>
                <DailyReportPage />
              </Guard>
            ),
          },
          {
            path: 'workforce/alerts',
            element: (
              <Guard permission={menuEntry('wf.alerts').permission}>
                <AlertsPage />
              </Guard>
            ),
          },
          {
            path: 'workforce/arrivals',
            element: (
              <Guard permission={menuEntry('wf.arrivals').permission}>
                <ArrivalsPage />
              </Guard>
            ),
          },
          {
            path: 'workforce/compliance',
            element: (
              <Guard permission={menuEntry('wf.compliance').permission}>
                <CompliancePage />
              </Guard>
            ),
          },
          { path: 'account', element: <AccountPage /> },
          { path: '403', element: <ForbiddenResult /> },
          { path: '*', element: <NotFoundResult /> },
        ],
      },
    ],
  },
]);

// A 401 on any call while signed in: the session expired or was ended elsewhere. Back to the login page.
setAuthLostHandler(() => {
  if (!queryClient.getQueryData(meQueryKey)) return;
  forgetSignedIn(queryClient);
  const { pathname, search } = router.state.location;
  const state: LoginLocationState = { notice: 'expired', from: pathname + search };
  void router.navigate('/login', { replace: true, state });
});

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#b71c1c',
          colorLink: '#b71c1c',
          borderRadius: 6,
          fontFamily: 'var(--font-sans)',
        },
        components: {
          Layout: { headerBg: '#fff', siderBg: '#fff', headerPadding: '0 16px' },
          Segmented: { itemSelectedBg: '#b71c1c', itemSelectedColor: '#fff' },
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Themed>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </Themed>
    </I18nProvider>
  );
}
