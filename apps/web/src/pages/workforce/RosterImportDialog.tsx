/** Importing the roster from Excel or CSV (the shared import dialog, wired to the roster). */
import { workforceApi } from '../../api';
import { FileImportDialog } from '../../components/FileImportDialog';
import { wfKeys } from './common';

export function RosterImportDialog({ onClose }: { onClose: () => void }) {
  return (
    <FileImportDialog
      open
      onClose={onClose}
      title="wf.import.title"
      step1="wf.import.step1"
      downloadTemplate={workforceApi.rosterTemplate}
      upload={workforceApi.importRoster}
      invalidate={wfKeys.all}
    />
  );
}
