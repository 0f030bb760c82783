/**
 * The materials of an application (承诺书, 闭环管理方案, 物资清单 …): listed with type and size and downloaded
 * through the session (nothing is kept in the browser); while the application is open its enterprise adds
 * them (with upload progress) and deletes them. The server decides the type from the content; the checks
 * here only spare a pointless upload.
 */
import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type Application,
  type ApplicationFile,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_APPLICATION,
} from '@sibao/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Popconfirm, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { whitelistApi } from '../../api';
import { errorMessage } from '../../components/forms';
import type { I18n } from '../../i18n';

/** What the file picker offers: the types the server accepts. */
export const MATERIAL_ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx,.xlsx';
const MATERIAL_EXTENSIONS = /\.(pdf|jpe?g|png|docx|xlsx)$/i;

const TYPE_NAMES: Record<ApplicationFile['mediaType'], string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
};

export function fileSize(bytes: number, lang: I18n['lang']): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`;
}

/** Why a picked file cannot be a material (null when it may be sent): type by name, size. */
export function materialProblem(file: { name: string; size: number }, i18n: I18n): string | null {
  if (!MATERIAL_EXTENSIONS.test(file.name)) return i18n.t('wl.files.badType', { name: file.name });
  if (file.size > MAX_ATTACHMENT_BYTES || file.size === 0)
    return i18n.t('wl.files.tooBig', { name: file.name });
  return null;
}

export function ApplicationFiles({ application: a, i18n }: { application: Application; i18n: I18n }) {
  const { lang, t } = i18n;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<UploadFile[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['whitelist', 'applications'] });
  const room =
    MAX_ATTACHMENTS_PER_APPLICATION - a.files.length - uploads.filter((f) => f.status === 'uploading').length;

  const download = async (file: ApplicationFile) => {
    try {
      await whitelistApi.downloadApplicationFile(a.id, file);
    } catch (error) {
      void message.error(errorMessage(error, lang));
    }
  };
  const remove = async (file: ApplicationFile) => {
    try {
      await whitelistApi.deleteApplicationFile(a.id, file.id);
      void message.success(t('wl.files.deleted', { name: file.filename }));
    } catch (error) {
      void message.error(errorMessage(error, lang));
    } finally {
      await refresh();
    }
  };

  return (
    <Flex vertical gap={6} data-testid="application-files">
      {a.files.length === 0 && uploads.length === 0 ? (
        <Typography.Text type="secondary">{t('wl.files.none')}</Typography.Text>
      ) : null}
      {a.files.map((f) => (
        <Flex key={f.id} justify="space-between" align="center" gap={8} className="wl-file">
          <Typography.Link
            ellipsis
            style={{ minWidth: 0 }}
            onClick={() => void download(f)}
            aria-label={t('wl.files.download', { name: f.filename })}
          >
            <DownloadOutlined aria-hidden /> {f.filename}
          </Typography.Link>
          <Flex gap={4} align="center" style={{ flexShrink: 0 }}>
            <Typography.Text type="secondary" className="small">
              {TYPE_NAMES[f.mediaType]} · {fileSize(f.bytes, lang)}
            </Typography.Text>
            {a.filesEditable ? (
              <Popconfirm
                title={t('wl.files.confirmDelete', { name: f.filename })}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => remove(f)}
              >
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('wl.files.delete', { name: f.filename })}
                />
              </Popconfirm>
            ) : null}
          </Flex>
        </Flex>
      ))}
      {a.filesEditable ? (
        <Upload
          multiple
          accept={MATERIAL_ACCEPT}
          fileList={uploads}
          showUploadList={{ showRemoveIcon: true }}
          beforeUpload={(file) => {
            const problem = materialProblem(file, i18n);
            if (problem) {
              void message.error(problem);
              return Upload.LIST_IGNORE;
            }
            return true;
          }}
          onChange={(info) => setUploads(info.fileList.filter((f) => f.status !== 'done'))}
          customRequest={({ file, onProgress, onSuccess, onError }) => {
            whitelistApi
              .uploadApplicationFile(a.id, file as File, (percent) => onProgress?.({ percent }))
              .then((stored) => {
                onSuccess?.(stored);
                void refresh();
              })
              .catch((error: unknown) => {
                void message.error(`${(file as File).name}：${errorMessage(error, lang)}`);
                onError?.(error as Error);
              });
          }}
        >
          <Button icon={<UploadOutlined />} disabled={room <= 0}>
            {t('wl.files.add')}
          </Button>
        </Upload>
      ) : null}
      {a.filesEditable && room <= 0 ? (
        <Typography.Text type="secondary" className="small">
          {t('wl.files.tooMany', { n: MAX_ATTACHMENTS_PER_APPLICATION })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
