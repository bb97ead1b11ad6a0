import type { Patient } from '../../shared/api/model.ts';
import type { PENDING_ACTIONS } from '../../shared/api/contract.ts';
import { Dialog } from '../components/dialog.tsx';
import { patientShort, patientText } from '../format/words.ts';

export type PendingAction = (typeof PENDING_ACTIONS)[number];

interface PendingDecisionProps {
  readonly previous: Patient | undefined;
  /** How many readings wait, when known. */
  readonly count: number | undefined;
  /** What happens next, for the question: "switch to MRN 123", "finish with this patient". */
  readonly next: string;
  readonly onChoose: (action: PendingAction) => void;
  readonly onCancel: () => void;
}

/**
 * The question asked when the patient changes while readings of the previous one are still
 * pending (docs/architecture.md §8 rule 3): keep them with that patient, or return them to unassigned. Never a guess.
 */
export function PendingDecisionDialog({ previous, count, next, onChoose, onCancel }: PendingDecisionProps): React.JSX.Element {
  const who = previous ? patientText(previous) : 'The previous patient';
  const how = count === undefined ? 'readings' : `${count} reading${count === 1 ? '' : 's'}`;
  return (
    <Dialog
      role="alertdialog"
      title="Pending readings of the previous patient"
      onClose={onCancel}
      testId="pending-dialog"
      description={
        <p>
          <strong>{who}</strong> still has {how} waiting for a decision. What should happen to them before you {next}?
        </p>
      }
    >
      <div className="form-actions form-actions--stacked">
        <button type="button" className="button button--primary" data-autofocus data-testid="pending-keep" onClick={() => onChoose('keep-with-previous')}>
          {`Keep them with ${previous ? patientShort(previous) : 'the previous patient'}`}
        </button>
        <button type="button" className="button" data-testid="pending-unassign" onClick={() => onChoose('unassign')}>
          Return them to unassigned
        </button>
        <button type="button" className="button button--quiet" data-testid="pending-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** The count a PENDING_DECISION_REQUIRED error carries, if the hub sent one. */
export function pendingCountOf(details: Record<string, unknown> | undefined): number | undefined {
  for (const key of ['count', 'pending', 'pendingCount']) {
    const v = details?.[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (Array.isArray(v)) return v.length;
  }
  return undefined;
}
