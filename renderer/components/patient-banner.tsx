import type { Patient, PatientEncounter } from '../../shared/api/model.ts';
import { ageText } from '../../shared/birth-date-rule.ts';
import { formatBirthDate, formatInstant } from '../format/words.ts';

interface PatientBannerProps {
  readonly patient: Patient | undefined;
  /** "Done with patient": clears the selection (absent where that makes no sense). */
  readonly onClear?: () => void;
  /** Today, for the age (tests pass a fixed day). */
  readonly today?: Date;
}

/**
 * The patient every decision is filed to, shown at all times with both identifiers
 * (docs/architecture.md §8 rule 2): the MRN, the name and the date of birth with the age (months
 * for infants), large enough to check from arm's length, and how the patient was checked against
 * the EHR: "verified with <source> at <time>", "not in the EHR", "not verified — EHR unreachable",
 * or "local — not verified" for a patient created on this workstation with no source configured. It sits in the sticky header, so it stays on screen on
 * every screen and while the page scrolls. A long value is cut with an ellipsis and given whole
 * on hover (title) — it never widens the page or pushes "Done with patient" off screen. With no
 * patient, it says so plainly: readings then wait unassigned.
 */
export function PatientBanner({ patient, onClear, today = new Date() }: PatientBannerProps): React.JSX.Element {
  if (!patient) {
    return (
      <section className="patient-banner patient-banner--none" aria-label="Patient" aria-live="polite" data-testid="patient-banner" data-state="none">
        <p className="patient-none">No patient selected</p>
        <p className="patient-hint">New readings wait as unassigned until a patient is selected.</p>
      </section>
    );
  }
  const age = patient.birthDate ? ageText(patient.birthDate, today) : undefined;
  const dob = patient.birthDate ? `${formatBirthDate(patient.birthDate)}${age === undefined ? '' : ` (${age})`}` : undefined;
  return (
    <section className="patient-banner" aria-label="Patient" aria-live="polite" data-testid="patient-banner" data-state="selected" data-verified={patient.verified === false ? 'false' : undefined}>
      <dl className="patient-ids">
        <div className="patient-id patient-id--mrn">
          {/* Said once: an MRN that carries its own prefix ("MRN-20418") keeps the label for screen readers only. */}
          <dt className={/^mrn/i.test(patient.mrn) ? 'visually-hidden' : undefined}>MRN</dt>
          <dd data-testid="patient-mrn" className="clip" title={patient.mrn}>
            {patient.mrn}
          </dd>
        </div>
        {patient.name !== undefined && (
          <div className="patient-id patient-id--name">
            <dt>Name</dt>
            <dd data-testid="patient-name" className="clip" title={patient.name}>
              {patient.name}
            </dd>
          </div>
        )}
        {dob !== undefined && (
          <div className="patient-id patient-id--dob">
            <dt>Date of birth</dt>
            <dd data-testid="patient-dob" className="clip" title={dob}>
              {formatBirthDate(patient.birthDate ?? '')}
              {age !== undefined && <span className="patient-age" data-testid="patient-age"> ({age})</span>}
            </dd>
          </div>
        )}
      </dl>
      {/* The visit and how the patient was checked, one above the other: side by side they took
          the room the identifiers need at 1366 px. */}
      <div className="patient-context">
        {patient.encounter !== undefined && (
          <p className="patient-encounter" data-testid="patient-encounter" data-visit={patient.encounter.visitId}>
            {encounterText(patient.encounter)}
          </p>
        )}
        <VerificationTag patient={patient} />
      </div>
      {onClear && (
        <button type="button" className="button button--quiet patient-done" onClick={onClear} data-testid="patient-clear">
          Done with patient
        </button>
      )}
    </section>
  );
}

/** The selected encounter in a line: "Visit V-2026-9 · Room 4 · 09:30". */
export function encounterText(e: PatientEncounter): string {
  const start = e.start === undefined ? undefined : new Date(e.start);
  const time = start === undefined || Number.isNaN(start.getTime()) ? undefined : `${String(start.getHours()).padStart(2, '0')}:${String(start.getMinutes()).padStart(2, '0')}`;
  // No-break spaces inside each part: a narrow banner wraps between parts, never inside "Room 5".
  const parts = [
    e.visitNumber !== undefined ? `Visit\u00a0${e.visitNumber}` : e.encounterId !== undefined ? `Encounter\u00a0${e.encounterId}` : 'Visit selected',
    e.room !== undefined ? `Room\u00a0${e.room}` : e.location,
    time,
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
}

/**
 * How selection checked the patient against the EHR (docs/patient-sources.md). Anything short of
 * "verified" is shown in the warning style, in plain words, so nobody mistakes a local record for
 * the EHR's.
 */
function VerificationTag({ patient }: { readonly patient: Patient }): React.JSX.Element | null {
  const v = patient.verification;
  if (v?.state === 'verified') {
    // The time alone: verification happens at selection, today.
    const when = v.at === undefined ? undefined : new Date(v.at);
    const at = when === undefined || Number.isNaN(when.getTime()) ? '' : ` at ${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}`;
    return (
      <p className="patient-verified" data-testid="patient-verified" title={v.at === undefined ? undefined : `Checked against ${v.sourceName ?? 'the EHR'}: ${formatInstant(v.at, true)}`}>
        Verified with {v.sourceName ?? 'the EHR'}
        {at}
      </p>
    );
  }
  const warn = (text: string, title: string): React.JSX.Element => (
    <p className="patient-local" data-testid="patient-local" data-verification={v?.state} title={title}>
      {text}
    </p>
  );
  if (v?.state === 'unreachable') return warn('Not verified — EHR unreachable', `The EHR could not be asked (${v.reason ?? 'no answer'}); the hub used what it has on file. Results carry the identifiers as given.`);
  if (v?.state === 'not-in-ehr') return warn('Not in the EHR — local patient', `The EHR does not know this MRN (${v.reason ?? ''}); check the wristband.`);
  if (patient.verified === false) return warn('Local — not verified against the EHR', 'This patient was added on this workstation and has not been checked against the EHR.');
  return null;
}
