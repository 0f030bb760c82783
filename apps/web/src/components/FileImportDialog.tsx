/**
 * Importing a file from Excel or CSV, for any module: template, upload (raw body, idempotency key per file), the
 * job's progress bar, then either the count imported or the row-numbered errors (and nothing imported).
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { JobProgress as Job } from '@sibao/contracts';
import type { QueryKey } from '@tanstack/react-query';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Modal, Result, Typography, Upload } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { ApiError, type ImportResult, ImportResultSchema, type ImportRowError } from '../api';
import { useI18n } from '../i18n';
import type { Lang, MessageKey } from '../messages';
import { errorMessage } from './forms';
import { ImportErrors } from './ImportErrors';
import { JobProgress } from './JobProgress';

/** What a finished import came to, read from the job's `result`. */
function outcomeOf(job: Job): ImportResult | null {
  const parsed = ImportResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

export interface FileImportDialogProps {
  open: boolean;
  onClose: () => void;
  /** The dialog's title and the first step's text (what the template is for). */
  title: MessageKey;
  step1: MessageKey;
  downloadTemplate: (lang: Lang) => Promise<unknown>;
  /**
   * Sends the file as the raw body with the idempotency key; answers the job's progress id — or, for a small
   * file imported at once, the count imported (a refusal is then an IMPORT_ROWS_INVALID with row errors).
   */
  upload: (file: File, idempotencyKey: string) => Promise<{ progressId: string } | { imported: number }>;
  /** The queries to read again once rows may have been added. */
  invalidate: QueryKey;
}

export function FileImportDialog({
  open,
  onClose,
  title,
  step1,
  downloadTemplate,
  upload: send,
  invalidate,
}: FileImportDialogProps) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progressId, setProgressId] = useState<string | null>(null);
  const [finished, setFinished] = useState<Job | null>(null);
  // A file imported at once (no job): how many rows.
  const [imported, setImported] = useState<number | null>(null);
  // One key per chosen file: resending the same file after a lost answer replays instead of importing twice.
  const idempotency = useRef<{ file: File; key: string } | null>(null);

  const keyFor = (chosen: File): string => {
    if (idempotency.current?.file !== chosen) {
      idempotency.current = { file: chosen, key: crypto.randomUUID() };
    }
    return idempotency.current.key;
  };

  const template = useMutation({
    mutationFn: () => downloadTemplate(lang),
    onError: (error) => void message.error(errorMessage(error, lang)),
  });

  const upload = useMutation({
    mutationFn: (chosen: File) => send(chosen, keyFor(chosen)),
    onSuccess: (answer) => {
      if ('progressId' in answer) return setProgressId(answer.progressId);
      setImported(answer.imported);
      void queryClient.invalidateQueries({ queryKey: invalidate });
    },
  });
  // Row errors of a file refused at once, in the shape a job reports them.
  const refusedRows: ImportRowError[] =
    upload.error instanceof ApiError && upload.error.code === 'IMPORT_ROWS_INVALID'
      ? upload.error.fieldErrors.map((e) => ({
          row: e.row ?? 0,
          column: e.path,
          field: e.path,
          code: e.code,
          message: e.message,
        }))
      : [];

  const onFinished = useCallback(
    (job: Job) => {
      setFinished(job);
      if (job.status === 'succeeded') void queryClient.invalidateQueries({ queryKey: invalidate });
    },
    [queryClient, invalidate],
  );

  const reset = () => {
    setFile(null);
    setProgressId(null);
    setFinished(null);
    setImported(null);
    upload.reset();
    idempotency.current = null;
  };

  const close = () => {
    // A job left running may still add rows: read the list again when it is next shown.
    if (progressId && !finished) void queryClient.invalidateQueries({ queryKey: invalidate });
    reset();
    onClose();
  };

  const outcome = finished ? outcomeOf(finished) : null;

  return (
    <Modal
      open={open}
      title={t(title)}
      onCancel={close}
      destroyOnHidden
      width={720}
      footer={
        <Flex justify="flex-end" gap={8} wrap="wrap">
          {finished || imported !== null ? <Button onClick={reset}>{t('import.again')}</Button> : null}
          <Button onClick={close}>{t('import.close')}</Button>
          {progressId || imported !== null ? null : (
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
          <Typography.Text>1. {t(step1)}</Typography.Text>
          <Button icon={<DownloadOutlined />} loading={template.isPending} onClick={() => template.mutate()}>
            {t('import.template')}
          </Button>
        </Flex>
        <Flex vertical gap={8}>
          <Typography.Text>2. {t('import.step2')}</Typography.Text>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            disabled={progressId !== null || imported !== null}
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

        {refusedRows.length > 0 ? (
          <ImportErrors errors={refusedRows} errorCount={refusedRows.length} />
        ) : null}
        {upload.error && refusedRows.length === 0 ? (
          <Alert
            type="error"
            showIcon
            title={errorMessage(upload.error, lang)}
            data-testid="import-refused"
          />
        ) : null}

        {progressId ? <JobProgress progressId={progressId} onFinished={onFinished} /> : null}

        {(finished && outcome && 'imported' in outcome) || imported !== null ? (
          <Result
            status="success"
            title={t('import.succeeded', {
              n: imported ?? (outcome && 'imported' in outcome ? outcome.imported : 0),
            })}
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
