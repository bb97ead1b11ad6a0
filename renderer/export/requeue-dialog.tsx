import { useState } from 'react';
import type { ApiError, OutboxRow } from '../../shared/api/model.ts';
import { Dialog } from '../components/dialog.tsx';
import { errorText, mrnText } from '../format/words.ts';

interface RequeueDialogProps {
  readonly row: OutboxRow;
  /** Resolves to the error when the hub refused, so the dialog can stay open and say why. */
  readonly onConfirm: () => Promise<ApiError | undefined>;
  readonly onCancel: () => void;
}

/**
 * Asks before putting a dead row back in the queue: the receiver refused it, so sending it again
 * only helps once the cause (mapping, patient identifier, receiver settings) was fixed.
 */
export function RequeueDialog({ row, onConfirm, onCancel }: RequeueDialogProps): React.JSX.Element {
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
      title="Send this export again?"
      role="alertdialog"
      onClose={onCancel}
      testId="outbox-requeue-dialog"
      description={
        <>
          <p>{`${row.summary.join(', ')} for ${mrnText(row.patientMrn)} to ${row.targetName}.`}</p>
          <p>
            The message will be <strong>built again</strong> from the stored reading (an HL7 message gets a new message id) and{' '}
            <strong>sent again</strong>. Do this only after the cause was fixed
            {row.lastMessage ? `; the receiver said: “${row.lastMessage}”` : ''}.
          </p>
        </>
      }
    >
      {error && (
        <p className="form-error" aria-live="assertive" data-testid="outbox-requeue-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button--primary" data-testid="outbox-requeue-confirm" disabled={busy} onClick={() => void confirm()}>
          Requeue and send again
        </button>
        <button type="button" className="button" data-testid="outbox-requeue-cancel" data-autofocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
