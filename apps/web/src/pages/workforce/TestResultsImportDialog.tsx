/**
 * An enterprise imports its own employees' PCR results from Excel or CSV (issue 5: "plus Excel upload for
 * enterprises") — the shared import dialog, wired to `POST /workforce/test-results/import`. All or nothing
 * with row-numbered errors; samples the lab already sent count as duplicates.
 */
import { ExperimentOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { workforceApi } from '../../api';
import { FileImportDialog } from '../../components/FileImportDialog';
import { useI18n } from '../../i18n';
import { wfKeys } from './common';

export function TestResultsImportDialog({ onClose }: { onClose: () => void }) {
  return (
    <FileImportDialog
      open
      onClose={onClose}
      title="wf.testImport.title"
      step1="wf.testImport.step1"
      downloadTemplate={workforceApi.testResultsTemplate}
      upload={workforceApi.importTestResults}
      invalidate={wfKeys.all}
    />
  );
}

/** The roster page's button and dialog, in one piece (the page mounts it next to its own actions). */
export function TestResultsImportButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<ExperimentOutlined />} onClick={() => setOpen(true)} data-testid="import-test-results">
        {t('wf.testImport.open')}
      </Button>
      {open ? <TestResultsImportDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
