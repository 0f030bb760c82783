/**
 * Importing the roster from Excel or CSV: template, upload (raw body, one idempotency key per file), the job's
 * progress bar, then the count imported or the row-numbered errors (all or nothing).
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { JobProgress as Job } from '@sibao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Modal, Result, Typography, Upload } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { type ImportResult, ImportResultSchema, workforceApi } from '../../api';
import { errorMessage } from '../../components/forms';
import { ImportErrors } from '../../components/ImportErrors';
import { JobProgress } from '../../components/JobProgress';
import { useI18n } from '../../i18n';
import { wfKeys } from './common';

function outcomeOf(job: Job): ImportResult | null {
  const parsed = ImportResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

export function RosterImportDialog({ onClose }: { onClose: () => void }) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progressId, setProgressId] = useState<string | null>(null);
  const [finished, setFinished] = useState<Job | null>(null);
  const idempotency = useRef<{ file: File; key: string } | null>(null);

  const keyFor = (chosen: File): string => {
    if (idempotency.current?.file !== chosen)
      idempotency.current = { file: chosen, key: crypto.randomUUID() };
    return idempotency.current.key;
  };

  const template = useMutation({
    mutationFn: () => workforceApi.rosterTemplate(lang),
    onError: (error) => void message.error(errorMessage(error, lang)),
  });
  const upload = useMutation({
    mutationFn: (chosen: File) => workforceApi.importRoster(chosen, keyFor(chosen)),
    onSuccess: ({ progressId: id }) => setProgressId(id),
  });

  const onFinished = useCallback(
    (job: Job) => {
      setFinished(job);
      if (job.status === 'succeeded') void queryClient.invalidateQueries({ queryKey: wfKeys.all });
    },
    [queryClient],
  );

  const reset = () => {
    setFile(null);
    setProgressId(null);
    setFinished(null);
    upload.reset();
    idempotency.current = null;
  };
  const close = () => {
    if (progressId && !finished) void queryClient.invalidateQueries({ queryKey: wfKeys.all });
    onClose();
  };

  const outcome = finished ? outcomeOf(finished) : null;

  return (
    <Modal
      open
      title={t('wf.import.title')}
      onCancel={close}
      destroyOnHidden
      width={720}
      footer={
        <Flex justify="flex-end" gap={8} wrap="wrap">
          {finished ? <Button onClick={reset}>{t('import.again')}</Button> : null}
          <Button onClick={close}>{t('import.close')}</Button>
          {progressId ? null : (
            <Button
              type="primary"
              disabled={!file}
              loading={upload.isPending}
              onClick={() => file && upload.mutate(file)}
            >
              {t('import.start')}
            </Button>
          )}
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        <Flex vertical gap={8} align="flex-start">
          <Typography.Text>1. {t('wf.import.step1')}</Typography.Text>
          <Button icon={<DownloadOutlined />} loading={template.isPending} onClick={() => template.mutate()}>
            {t('import.template')}
          </Button>
        </Flex>
        <Flex vertical gap={8}>
          <Typography.Text>2. {t('import.step2')}</Typography.Text>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            disabled={progressId !== null}
            fileList={file ? [{ uid: 'chosen', name: file.name, size: file.size, status: 'done' }] : []}
            beforeUpload={(chosen) => {
              setFile(chosen);
              upload.reset();
              return false;
            }}
            onRemove={() => {
              setFile(null);
              upload.reset();
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('import.pick')}</p>
            <p className="ant-upload-hint">{t('import.pickHint')}</p>
          </Upload.Dragger>
        </Flex>
        {upload.error ? (
          <Alert
            type="error"
            showIcon
            title={errorMessage(upload.error, lang)}
            data-testid="import-refused"
          />
        ) : null}
        {progressId ? <JobProgress progressId={progressId} onFinished={onFinished} /> : null}
        {finished && outcome && 'imported' in outcome ? (
          <Result
            status="success"
            title={t('import.succeeded', { n: outcome.imported })}
            style={{ padding: '8px 0' }}
          />
        ) : null}
        {finished && outcome && 'errors' in outcome ? (
          <ImportErrors errors={outcome.errors} errorCount={outcome.errorCount} />
        ) : null}
        {finished && outcome && 'message' in outcome ? (
          <Alert type="error" showIcon title={t('import.failedFile')} description={outcome.message[lang]} />
        ) : null}
        {finished && !outcome && finished.status === 'failed' ? (
          <Alert type="error" showIcon title={t('import.failedFile')} />
        ) : null}
      </Flex>
    </Modal>
  );
}
