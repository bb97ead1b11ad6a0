import { useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { MethodInput } from '../../shared/api/contract.ts';
import { BirthDateSchema } from '../../shared/api/model.ts';
import { errorText, mrnText, patientText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
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
 * moves on to the second identifier) plus date of birth or name. A CONFLICT (the identifiers do
 * not match the patient the hub knows) is shown prominently; a pending-readings question opens
 * a dialog. Once selected, `onSelected` lets the screen move focus on to the readings.
 */
export function PatientSelect({ ref, onSelected }: { ref?: Ref<PatientSelectHandle>; onSelected?: () => void }): React.JSX.Element {
  const store = usePageStateStore();
  const current = useHub((s) => s.state?.patient);
  const pending = useHub((s) => s.pending);
  const [mrn, setMrn] = useState('');
  const [dob, setDob] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ text: string; conflict: boolean }>();
  const [ask, setAsk] = useState<{ input: SelectInput; count: number | undefined }>();
  const [busy, setBusy] = useState(false);
  const mrnRef = useRef<HTMLInputElement>(null);
  const dobRef = useRef<HTMLInputElement>(null);
  const ids = { mrn: useId(), dob: useId(), name: useId(), error: useId() };

  useImperativeHandle(ref, () => ({
    focus() {
      mrnRef.current?.focus();
    },
    startScan(firstKey: string) {
      setMrn(firstKey);
      setDob('');
      setName('');
      setError(undefined);
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
      setMrn('');
      setDob('');
      setName('');
      setError(undefined);
      setAsk(undefined);
      store.notify(`Patient selected: ${patientText(result.value)}.`);
      await store.load();
      onSelected?.();
      return;
    }
    if (result.error.code === 'PENDING_DECISION_REQUIRED') {
      setAsk({ input, count: pendingCountOf(result.error.details) ?? pending.filter((i) => i.patient?.mrn === current?.mrn).length });
      return;
    }
    setAsk(undefined);
    setError({ text: errorText(result.error), conflict: result.error.code === 'CONFLICT' });
  };

  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    if (busy) return;
    const m = mrn.trim();
    if (!m) return setError({ text: 'Scan or type the MRN.', conflict: false });
    if (!dob.trim() && !name.trim()) {
      dobRef.current?.focus();
      return setError({ text: 'Add the date of birth or the name: a patient needs two identifiers.', conflict: false });
    }
    const birthDate = dob.trim() ? normalizeBirthDate(dob) : undefined;
    if (dob.trim() && !birthDate) return setError({ text: 'The date of birth must be a real date, written YYYY-MM-DD.', conflict: false });
    void send({ mrn: m, ...(birthDate ? { birthDate } : {}), ...(name.trim() ? { name: name.trim() } : {}) });
  };

  const onMrnKey = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    // The scanner's Enter ends the MRN: go on to the second identifier rather than submit.
    if (e.key === 'Enter' && !dob.trim() && !name.trim()) {
      e.preventDefault();
      dobRef.current?.focus();
    }
  };

  return (
    <section className="panel" aria-labelledby={`${ids.mrn}-h`}>
      <h2 id={`${ids.mrn}-h`} className="panel-title">
        {current ? 'Next patient' : 'Select the patient'}
      </h2>
      <form className="form form--patient" onSubmit={submit} aria-describedby={error ? ids.error : undefined} noValidate>
        <label htmlFor={ids.mrn}>MRN (scan or type)</label>
        <input
          id={ids.mrn}
          ref={mrnRef}
          data-testid="patient-mrn-input"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          value={mrn}
          onChange={(e) => setMrn(e.target.value)}
          onKeyDown={onMrnKey}
        />
        <label htmlFor={ids.dob}>Date of birth (YYYY-MM-DD)</label>
        <input
          id={ids.dob}
          ref={dobRef}
          data-testid="patient-dob-input"
          autoComplete="off"
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          maxLength={10}
          value={dob}
          onChange={(e) => setDob(e.target.value)}
        />
        <label htmlFor={ids.name}>or name</label>
        <input id={ids.name} data-testid="patient-name-input" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="patient-select" disabled={busy}>
            Select patient
          </button>
        </div>
        <div id={ids.error} className={error?.conflict ? "form-error form-error--conflict" : "form-error"} aria-live="assertive" data-testid="patient-error">
          {error && (error.conflict ? <strong>Identifiers do not match: {error.text}</strong> : error.text)}
        </div>
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
