import { useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { MethodInput } from '../../shared/api/contract.ts';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { BirthDateSchema } from '../../shared/api/model.ts';
import { birthDateProblem } from '../../shared/birth-date-rule.ts';
import { LimitNote, overLimit } from '../components/limit-note.tsx';
import { errorText, mrnText, patientText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { IdentityOffer, offerFor, type Offer } from './identity-offer.tsx';
import { PendingDecisionDialog, pendingCountOf, type PendingAction } from './pending-decision.tsx';

/** What the review list needs: start a scan with the key that was typed on it. */
export interface PatientSelectHandle {
  startScan(firstKey: string): void;
  focus(): void;
}

type SelectInput = MethodInput<'selectPatient'>;

/** `YYYY-MM-DD` or `YYYYMMDD` (as many wristband barcodes print it) → `YYYY-MM-DD`, if a real date. */
export function normalizeBirthDate(text: string): string | undefined {
  const t = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  const iso = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : t;
  return BirthDateSchema.safeParse(iso).success ? iso : undefined;
}

/**
 * Select or scan the patient: one MRN field (a barcode scanner types the MRN and Enter, which
 * moves on to the second identifier) plus date of birth or name. The hub's identification rules
 * (docs/architecture.md §8 rule 2) each lead to an explicit step here: an MRN not on file offers
 * "Add a new local patient" (MRN, date of birth and name; not verified against the EHR), a name
 * for a patient on file without one offers "Add name to this patient". A CONFLICT is shown
 * prominently; a pending-readings question opens a dialog. Each field states its limit and more
 * is refused with a message.
 */
export function PatientSelect({ ref, onSelected }: { ref?: Ref<PatientSelectHandle>; onSelected?: () => void }): React.JSX.Element {
  const store = usePageStateStore();
  const current = useHub((s) => s.state?.patient);
  const pending = useHub((s) => s.pending);
  const [mrn, setMrn] = useState('');
  const [dob, setDob] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ text: string; conflict: boolean }>();
  const [offer, setOffer] = useState<Offer>();
  /** The explicit new-local-patient step: all three identifiers, sent with createLocal. */
  const [creating, setCreating] = useState(false);
  const [ask, setAsk] = useState<{ input: SelectInput; count: number | undefined }>();
  const [busy, setBusy] = useState(false);
  const mrnRef = useRef<HTMLInputElement>(null);
  const dobRef = useRef<HTMLInputElement>(null);
  const ids = { mrn: useId(), dob: useId(), name: useId(), error: useId(), mrnLimit: useId(), nameLimit: useId() };

  const reset = (): void => {
    setMrn('');
    setDob('');
    setName('');
    setError(undefined);
    setOffer(undefined);
    setCreating(false);
  };

  useImperativeHandle(ref, () => ({
    focus() {
      mrnRef.current?.focus();
    },
    startScan(firstKey: string) {
      reset();
      setMrn(firstKey);
      mrnRef.current?.focus();
    },
  }));

  // With nobody selected, the page is ready for a scan as soon as it opens.
  useEffect(() => {
    if (!current && !document.activeElement?.closest('input, select, textarea, [role="article"]')) mrnRef.current?.focus();
  }, [current]);

  const send = async (input: SelectInput): Promise<void> => {
    setBusy(true);
    const result = await store.call('selectPatient', input);
    setBusy(false);
    if (result.ok) {
      reset();
      setAsk(undefined);
      store.notify(`Patient ${input.createLocal ? 'added and ' : ''}selected: ${patientText(result.value)}.`);
      await store.load();
      onSelected?.();
      return;
    }
    if (result.error.code === 'PENDING_DECISION_REQUIRED') {
      setAsk({ input, count: pendingCountOf(result.error.details) ?? pending.filter((i) => i.patient?.mrn === current?.mrn).length });
      return;
    }
    setAsk(undefined);
    const next = offerFor(result.error, input);
    setOffer(next);
    setError({ text: errorText(result.error), conflict: result.error.code === 'CONFLICT' && next === undefined });
  };

  /** The form's own checks, in the words the hub would use; undefined when it may be sent. */
  const check = (): { text: string; focus?: HTMLInputElement | null } | undefined => {
    const m = mrn.trim();
    if (!m) return { text: 'Scan or type the MRN.', focus: mrnRef.current };
    const tooLong = overLimit('MRN', mrn, INPUT_LIMITS.mrn) ?? overLimit('Name', name, INPUT_LIMITS.patientName);
    if (tooLong) return { text: tooLong };
    if (creating && (!dob.trim() || !name.trim())) return { text: 'A new local patient needs the MRN, the date of birth and the name.', focus: dobRef.current };
    if (!dob.trim() && !name.trim()) return { text: 'Add the date of birth or the name: a patient needs two identifiers.', focus: dobRef.current };
    if (!dob.trim()) return undefined;
    const birthDate = normalizeBirthDate(dob);
    if (!birthDate) return { text: 'The date of birth must be a real date, written YYYY-MM-DD.', focus: dobRef.current };
    const problem = birthDateProblem(birthDate, new Date());
    return problem === undefined ? undefined : { text: problem, focus: dobRef.current };
  };

  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    if (busy) return;
    const problem = check();
    if (problem) {
      problem.focus?.focus();
      setOffer(undefined);
      return setError({ text: problem.text, conflict: false });
    }
    const birthDate = dob.trim() ? normalizeBirthDate(dob) : undefined;
    void send({ mrn: mrn.trim(), ...(birthDate ? { birthDate } : {}), ...(name.trim() ? { name: name.trim() } : {}), ...(creating ? { createLocal: true } : {}) });
  };

  const onMrnKey = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    // The scanner's Enter ends the MRN: go on to the second identifier rather than submit.
    if (e.key === 'Enter' && !dob.trim() && !name.trim()) {
      e.preventDefault();
      dobRef.current?.focus();
    }
  };

  const startCreating = (): void => {
    setCreating(true);
    setOffer(undefined);
    setError(undefined);
    dobRef.current?.focus();
  };

  return (
    <section className="panel" aria-labelledby={`${ids.mrn}-h`} data-testid="patient-select-panel" data-mode={creating ? 'create-local' : 'select'}>
      <h2 id={`${ids.mrn}-h`} className="panel-title">
        {creating ? 'New local patient' : current ? 'Next patient' : 'Select the patient'}
      </h2>
      {creating && (
        <p className="form-warning" data-testid="patient-create-local-note">
          A new local patient is <strong>not verified against the EHR</strong>: copy the MRN, date of birth and name from the wristband.
        </p>
      )}
      <form className="form form--patient" onSubmit={submit} aria-describedby={error ? ids.error : undefined} noValidate>
        <label htmlFor={ids.mrn}>MRN (scan or type)</label>
        <input
          id={ids.mrn}
          ref={mrnRef}
          data-testid="patient-mrn-input"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={ids.mrnLimit}
          aria-invalid={overLimit('MRN', mrn, INPUT_LIMITS.mrn) ? true : undefined}
          value={mrn}
          onChange={(e) => setMrn(e.target.value)}
          onKeyDown={onMrnKey}
        />
        <LimitNote id={ids.mrnLimit} field="MRN" value={mrn} max={INPUT_LIMITS.mrn} testId="patient-mrn-limit" />
        <label htmlFor={ids.dob}>Date of birth (YYYY-MM-DD)</label>
        <input
          id={ids.dob}
          ref={dobRef}
          data-testid="patient-dob-input"
          autoComplete="off"
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          value={dob}
          onChange={(e) => setDob(e.target.value)}
        />
        <label htmlFor={ids.name}>{creating ? 'Name' : 'or name'}</label>
        <input
          id={ids.name}
          data-testid="patient-name-input"
          autoComplete="off"
          aria-describedby={ids.nameLimit}
          aria-invalid={overLimit('Name', name, INPUT_LIMITS.patientName) ? true : undefined}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <LimitNote id={ids.nameLimit} field="Name" value={name} max={INPUT_LIMITS.patientName} testId="patient-name-limit" />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid={creating ? 'patient-create-local' : 'patient-select'} disabled={busy}>
            {creating ? 'Add new local patient' : 'Select patient'}
          </button>
          {creating && (
            <button type="button" className="button" data-testid="patient-create-local-cancel" onClick={() => setCreating(false)}>
              Cancel
            </button>
          )}
        </div>
        <div id={ids.error} className={error?.conflict ? 'form-error form-error--conflict' : 'form-error'} aria-live="assertive" data-testid="patient-error">
          {error && (error.conflict ? <strong>Identifiers do not match: {error.text}</strong> : error.text)}
        </div>
        {offer && <IdentityOffer offer={offer} busy={busy} onCreateLocal={startCreating} onAddName={(input) => void send({ ...input, addName: true })} />}
      </form>
      {ask && (
        <PendingDecisionDialog
          previous={current}
          count={ask.count}
          next={`switch to ${mrnText(ask.input.mrn)}`}
          onChoose={(action: PendingAction) => void send({ ...ask.input, pending: action })}
          onCancel={() => setAsk(undefined)}
        />
      )}
    </section>
  );
}
