import type { Patient } from '../../shared/api/model.ts';
import { ageYears, formatBirthDate } from '../format/words.ts';

interface PatientBannerProps {
  readonly patient: Patient | undefined;
  /** "Done with patient": clears the selection (absent where that makes no sense). */
  readonly onClear?: () => void;
}

/**
 * The patient every decision is filed to, shown at all times with both identifiers
 * (docs/architecture.md §8 rule 2): the MRN and the date of birth and/or the name, large enough to check from
 * arm's length. With no patient, it says so plainly: readings then wait unassigned.
 */
export function PatientBanner({ patient, onClear }: PatientBannerProps): React.JSX.Element {
  if (!patient) {
    return (
      <section className="patient-banner patient-banner--none" aria-label="Patient" aria-live="polite" data-testid="patient-banner" data-state="none">
        <p className="patient-none">No patient selected</p>
        <p className="patient-hint">New readings wait as unassigned until a patient is selected.</p>
      </section>
    );
  }
  const age = patient.birthDate ? ageYears(patient.birthDate) : undefined;
  return (
    <section className="patient-banner" aria-label="Patient" aria-live="polite" data-testid="patient-banner" data-state="selected">
      <dl className="patient-ids">
        <div className="patient-id">
          {/* Said once: an MRN that carries its own prefix ("MRN-20418") keeps the label for screen readers only. */}
          <dt className={/^mrn/i.test(patient.mrn) ? 'visually-hidden' : undefined}>MRN</dt>
          <dd data-testid="patient-mrn">{patient.mrn}</dd>
        </div>
        {patient.name !== undefined && (
          <div className="patient-id">
            <dt>Name</dt>
            <dd data-testid="patient-name">{patient.name}</dd>
          </div>
        )}
        {patient.birthDate !== undefined && (
          <div className="patient-id">
            <dt>Date of birth</dt>
            <dd data-testid="patient-dob">
              {formatBirthDate(patient.birthDate)}
              {age !== undefined && <span className="patient-age"> ({age} y)</span>}
            </dd>
          </div>
        )}
      </dl>
      {onClear && (
        <button type="button" className="button button--quiet" onClick={onClear} data-testid="patient-clear">
          Done with patient
        </button>
      )}
    </section>
  );
}
