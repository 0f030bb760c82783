/** Importing the enterprise registry from Excel or CSV (the shared import dialog, wired to the registry). */
import { api } from '../api';
import { FileImportDialog } from '../components/FileImportDialog';

/** A stable key (not a new array each render: the dialog's callbacks depend on it). */
const ENTERPRISES = ['enterprises'] as const;

export function EnterpriseImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <FileImportDialog
      open={open}
      onClose={onClose}
      title="import.title"
      step1="import.step1"
      downloadTemplate={api.enterpriseTemplate}
      upload={api.importEnterprises}
      invalidate={ENTERPRISES}
    />
  );
}
