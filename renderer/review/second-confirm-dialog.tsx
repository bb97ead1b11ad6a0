import type { Acknowledgement, Patient, ReviewItem } from '../../shared/api/model.ts';
import { Dialog } from '../components/dialog.tsx';
import { summarize } from '../format/observations.ts';
import { patientNamed, patientShort } from '../format/words.ts';

/** What confirming this reading must acknowledge (the hub refuses it otherwise). */
export function acknowledgementsFor(item: ReviewItem): Acknowledgement[] {
  const c = item.checks;
  if (!c) return [];
  return [...(c.critical.length > 0 ? (['critical'] as const) : []), ...(c.old ? (['old'] as const) : [])];
}

interface SecondConfirmProps {
  readonly item: ReviewItem;
  readonly patient: Patient;
  readonly onConfirm: (acknowledge: Acknowledgement[]) => void;
  readonly onCancel: () => void;
}

/**
 * The second, explicit question before confirming a critical value or an old result
 * (docs/architecture.md §8). It names the patient; Cancel is the safe default focus.
 */
export function SecondConfirmDialog({ item, patient, onConfirm, onCancel }: SecondConfirmProps): React.JSX.Element {
  const needed = acknowledgementsFor(item);
  const who = patientNamed(patient);
  const critical = item.checks?.critical ?? [];
  const old = item.checks?.old;
  const title = needed.includes('critical') ? 'Confirm a critical value?' : 'Confirm an old result?';
  return (
    <Dialog title={title} role="alertdialog" onClose={onCancel} testId="second-confirm" description={<p>{`${summarize(item.reading.observations)} — ${item.deviceLabel}`}</p>}>
      {critical.length > 0 && (
        <ul className="checks" data-testid="second-confirm-critical">
          {critical.map((t, i) => (
            <li key={i} className="check check--critical">{`${t}.`}</li>
          ))}
        </ul>
      )}
      {old && (
        <p className="check check--old" data-testid="second-confirm-old">
          {`This result is ${old.age} old.`}
        </p>
      )}
      <p data-testid="second-confirm-question">{`Confirm it for ${who}?`}</p>
      <div className="form-actions">
        <button type="button" className="button button--primary" data-testid="second-confirm-submit" onClick={() => onConfirm(needed)}>
          {`Confirm for ${patientShort(patient)}`}
        </button>
        <button type="button" className="button" data-autofocus data-testid="second-confirm-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
