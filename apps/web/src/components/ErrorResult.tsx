import { Button, Result, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

export function ForbiddenResult() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('error.forbidden')}
      subTitle={t('error.forbiddenHint')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.home')}
        </Button>
      }
    />
  );
}

export function NotFoundResult() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('error.notFound')}
      subTitle={t('error.notFoundHint')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.home')}
        </Button>
      }
    />
  );
}

/** A failed query: 403 and 404 as their pages, anything else with the server's message and a retry. */
export function QueryErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { lang, t } = useI18n();
  if (error instanceof ApiError && error.status === 403 && error.code !== 'PASSWORD_EXPIRED') {
    return <ForbiddenResult />;
  }
  if (error instanceof ApiError && error.status === 404) return <NotFoundResult />;
  const message = error instanceof ApiError ? error.text(lang) : t('error.crash');
  return (
    <Result
      status="error"
      title={message}
      subTitle={
        error instanceof ApiError && error.requestId ? (
          <Typography.Text type="secondary" copyable={{ text: error.requestId }}>
            {t('error.requestId', { id: error.requestId })}
          </Typography.Text>
        ) : undefined
      }
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('error.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
