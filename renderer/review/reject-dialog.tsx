import { useId, useState } from 'react';
import type { ApiError, ReviewItem } from '../../shared/api/model.ts';
import { REJECT_REASONS, type RejectReason } from '../../shared/api/model.ts';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { Dialog } from '../components/dialog.tsx';
import { LimitNote, overLimit } from '../components/limit-note.tsx';
import { summarize } from '../format/observations.ts';
import { REJECT_REASON_TEXT, errorText } from '../format/words.ts';

export interface RejectChoice {
  readonly reason: RejectReason;
  readonly note?: string;
  /** Open manual entry afterwards, to enter the right value (it will replace this reading). */
  readonly enterByHand: boolean;
}

interface RejectDialogProps {
  readonly item: ReviewItem;
  readonly onSubmit: (choice: RejectChoice) => Promise<ApiError | undefined>;
  readonly onCancel: () => void;
}

function isReason(value: string): value is RejectReason {
  return (REJECT_REASONS as readonly string[]).includes(value);
}

/**
 * Reject with a reason: one of the contract's short list, plus free text (required for
 * "Other"). Nothing is sent until a reason is chosen; the reading itself is never edited.
 */
export function RejectDialog({ item, onSubmit, onCancel }: RejectDialogProps): React.JSX.Element {
  const [reason, setReason] = useState<RejectReason | ''>('');
  const [note, setNote] = useState('');
  const [enterByHand, setEnterByHand] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const noteId = useId();
  const handId = useId();
  const noteLimitId = useId();
  const needsNote = reason === 'other' && note.trim() === '';
  // A note over the limit is refused with a message, never cut mid-word.
  const missing = reason === '' ? 'Choose a reason to reject.' : needsNote ? 'Describe the reason for "Other".' : overLimit('Note', note, INPUT_LIMITS.rejectNote);

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (reason === '' || missing || busy) return;
    setBusy(true);
    const trimmed = note.trim();
    const failure = await onSubmit({ reason, enterByHand, ...(trimmed ? { note: trimmed } : {}) });
    setBusy(false);
    if (failure) setError(errorText(failure));
  };

  return (
    <Dialog title="Reject reading" onClose={onCancel} testId="reject-dialog" description={<p>{`${summarize(item.reading.observations)} — ${item.deviceLabel}`}</p>}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={reasonId}>Reason</label>
        <select
          id={reasonId}
          data-testid="reject-reason"
          data-autofocus
          value={reason}
          required
          onChange={(e) => setReason(isReason(e.target.value) ? e.target.value : '')}
        >
          <option value="">Choose a reason…</option>
          {REJECT_REASONS.map((r) => (
            <option key={r} value={r}>
              {REJECT_REASON_TEXT[r]}
            </option>
          ))}
        </select>
        <label htmlFor={noteId}>Note {reason === 'other' ? '(required)' : '(optional)'}</label>
        <textarea id={noteId} data-testid="reject-note" rows={2} aria-describedby={noteLimitId} value={note} onChange={(e) => setNote(e.target.value)} />
        <LimitNote id={noteLimitId} field="Note" value={note} max={INPUT_LIMITS.rejectNote} testId="reject-note-limit" />
        <div className="checkbox">
          <input id={handId} type="checkbox" data-testid="reject-enter-by-hand" checked={enterByHand} onChange={(e) => setEnterByHand(e.target.checked)} />
          <label htmlFor={handId}>Then enter the correct value by hand</label>
        </div>
        <p className="form-hint" aria-live="polite">
          {missing ?? '\u00a0'}
        </p>
        {error && (
          <p className="form-error" aria-live="assertive">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button--danger" data-testid="reject-submit" disabled={missing !== undefined || busy}>
            Reject reading
          </button>
          <button type="button" className="button" data-testid="reject-cancel" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
