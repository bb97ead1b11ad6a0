import { useState } from 'react';
import type { ApiError } from '../../../shared/api/model.ts';
import type { PatientSourceView } from '../../../shared/patients/patient-lookup.ts';
import { Dialog } from '../../components/dialog.tsx';
import { errorText } from '../../format/words.ts';

interface RemoveSourceDialogProps {
  readonly view: PatientSourceView;
  /** Resolves to the error when the hub refused, so the dialog stays open and says why. */
  readonly onConfirm: () => Promise<ApiError | undefined>;
  readonly onCancel: () => void;
}

/** Asks before removing a source: patients are then no longer checked against it. */
export function RemoveSourceDialog({ view, onConfirm, onCancel }: RemoveSourceDialogProps): React.JSX.Element {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const failure = await onConfirm();
    setBusy(false);
    if (failure) setError(errorText(failure));
  };
  return (
    <Dialog
      title={`Remove ${view.source.name}?`}
      role="alertdialog"
      onClose={onCancel}
      testId="source-remove-dialog"
      description={
        <p>
          Patients will no longer be checked against this source{view.hasSecret ? ', and its stored token is deleted' : ''}. What it already told this
          workstation stays in the cache until the cache expires it.
        </p>
      }
    >
      {error && (
        <p className="form-error" aria-live="assertive" data-testid="source-remove-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button--primary" data-testid="source-remove-confirm" disabled={busy} onClick={() => void confirm()}>
          Remove
        </button>
        <button type="button" className="button" data-testid="source-remove-cancel" data-autofocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
