/**
 * The row-numbered errors of a refused import (any module's: the platform reports them all in one shape),
 * with the statement that nothing was imported.
 */
import { ERROR_CATALOG } from '@sibao/contracts';
import { Alert, Flex, Table, type TableColumnsType, Typography } from 'antd';
import type { ImportRowError } from '../api';
import { useI18n } from '../i18n';
import type { Label, Lang } from '../messages';

/** The catalogue's message for a known code (USCC_CHECK_CHAR …), else the server's own text. */
export function rowErrorText(error: ImportRowError, lang: Lang): string {
  const known = (ERROR_CATALOG as Record<string, Label | undefined>)[error.code];
  return known ? known[lang] : error.message;
}

export function ImportErrors({ errors, errorCount }: { errors: ImportRowError[]; errorCount: number }) {
  const { lang, t } = useI18n();
  const columns: TableColumnsType<ImportRowError> = [
    {
      key: 'row',
      title: t('import.row'),
      width: 96,
      render: (_, error) => t('import.rowN', { n: error.row }),
    },
    { key: 'column', title: t('import.column'), dataIndex: 'column', width: 180 },
    { key: 'problem', title: t('import.problem'), render: (_, error) => rowErrorText(error, lang) },
  ];
  return (
    <Flex vertical gap={12} data-testid="import-errors">
      <Alert type="error" showIcon title={t('import.failedRows', { n: errorCount })} />
      {errorCount > errors.length ? (
        <Typography.Text type="secondary">{t('import.truncated', { shown: errors.length })}</Typography.Text>
      ) : null}
      <Table<ImportRowError>
        size="small"
        rowKey={(error) => `${error.row}:${error.field}:${error.code}`}
        columns={columns}
        dataSource={errors}
        pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        scroll={{ x: 480 }}
      />
    </Flex>
  );
}
