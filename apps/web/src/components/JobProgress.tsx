/**
 * The progress bar of long work on the server (imports, exports, matching). The server answers a progress id
 * (`platform/progress.ts`); this polls `GET /jobs/:id` about every 700 ms until the work succeeds or fails,
 * then stops and tells the caller once.
 */
import type { JobProgress as Job } from '@sibao/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Progress, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { errorMessage } from './forms';

const POLL_MS = 700;

export function isJobFinished(job: Job | undefined): boolean {
  return job?.status === 'succeeded' || job?.status === 'failed';
}

/** The job `progressId` as the server reports it, polled until it has finished. */
export function useJobProgress(progressId: string | null) {
  return useQuery({
    queryKey: ['jobs', progressId],
    queryFn: () => api.job(progressId ?? ''),
    enabled: progressId !== null,
    refetchInterval: (query) => (isJobFinished(query.state.data) ? false : POLL_MS),
    // Progress is never fresh for long, and the bar should not freeze while the tab is in the background.
    staleTime: 0,
    refetchIntervalInBackground: true,
  });
}

/** Percent done: full only on success; a known total gives the share, an unknown one an empty bar. */
export function jobPercent(job: Job | undefined): number {
  if (!job) return 0;
  if (job.status === 'succeeded') return 100;
  if (job.total === null || job.total <= 0) return 0;
  return Math.min(99, Math.floor((job.done / job.total) * 100));
}

export function JobProgress({
  progressId,
  onFinished,
}: {
  progressId: string;
  /** Called once when the job succeeds or fails, with its last report (its `result` included). */
  onFinished?: (job: Job) => void;
}) {
  const { lang, t } = useI18n();
  const job = useJobProgress(progressId);
  const reported = useRef<string | null>(null);

  useEffect(() => {
    const data = job.data;
    if (data && isJobFinished(data) && reported.current !== data.id) {
      reported.current = data.id;
      onFinished?.(data);
    }
  }, [job.data, onFinished]);

  const data = job.data;
  const status = data?.status ?? 'queued';
  const label =
    status === 'running' && data?.total
      ? t('job.runningCount', { done: data.done, total: data.total })
      : t(`job.${status}`);

  return (
    <Flex vertical gap={4} data-testid="job-progress" data-status={status}>
      <Progress
        percent={jobPercent(data)}
        status={status === 'succeeded' ? 'success' : status === 'failed' ? 'exception' : 'active'}
        aria-label={label}
      />
      <Typography.Text type="secondary" aria-live="polite">
        {label}
      </Typography.Text>
      {job.isError && !data ? (
        <Alert
          type="error"
          showIcon
          title={errorMessage(job.error, lang)}
          action={
            <Button size="small" onClick={() => void job.refetch()}>
              {t('error.retry')}
            </Button>
          }
        />
      ) : null}
    </Flex>
  );
}
