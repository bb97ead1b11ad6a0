import { useEffect, useId, useRef, useState } from 'react';
import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import { isUcumCode, type UcumCode } from '../../shared/units.ts';
import { SHORT_NAMES, unitText } from '../format/observations.ts';
import { errorText, mrnText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

/**
 * Codes a person may enter by hand: quantities with units, one key per LOINC code (the three
 * "Heart rate" keys differ only in their device code, which a hand entry does not have).
 */
const MANUAL_CODES: readonly CatalogKey[] = (() => {
  const seen = new Set<string>();
  const keys: CatalogKey[] = [];
  for (const key of Object.keys(CATALOG) as CatalogKey[]) {
    const entry = CATALOG[key];
    if (entry.scale !== 'Qn' || entry.units.length === 0 || seen.has(entry.loinc)) continue;
    seen.add(entry.loinc);
    keys.push(key);
  }
  return keys;
})();

function manualLabel(key: CatalogKey): string {
  const units = CATALOG[key].units;
  // Two glucose codes share a short name: the unit tells them apart.
  return units.length === 1 && MANUAL_CODES.some((k) => k !== key && SHORT_NAMES[k] === SHORT_NAMES[key]) ? `${SHORT_NAMES[key]} (${unitText(units[0] ?? '')})` : SHORT_NAMES[key];
}

function isManualCode(value: string): value is CatalogKey {
  return (MANUAL_CODES as readonly string[]).includes(value);
}

interface ManualEntryProps {
  /** The rejected reading this entry replaces, if any. */
  readonly replaces: string | undefined;
  readonly onClearReplaces: () => void;
  /** Changes whenever the form should take focus (opened from a reject, or the `m` key). */
  readonly focusSignal: number;
}

/** No measurement needs more digits; more is a typing accident, said before anything is sent. */
const MAX_DIGITS = 7;

/**
 * A value entered by hand (marked manual), e.g. the right value after rejecting a wrong one. The
 * form shows what will be saved and for whom; the hub stores it pending, and it is confirmed in
 * the list like any other reading (docs/architecture.md §8), never sent on its own.
 */
export function ManualEntry({ replaces, onClearReplaces, focusSignal }: ManualEntryProps): React.JSX.Element {
  const store = usePageStateStore();
  const patient = useHub((s) => s.state?.patient);
  const [code, setCode] = useState<CatalogKey | ''>('');
  const [value, setValue] = useState('');
  const [unit, setUnit] = useState<UcumCode | ''>('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLSelectElement>(null);
  const ids = { code: useId(), value: useId(), unit: useId(), title: useId() };
  const units: readonly UcumCode[] = code ? CATALOG[code].units : [];

  useEffect(() => {
    if (focusSignal > 0) codeRef.current?.focus();
  }, [focusSignal]);

  const chooseCode = (next: string): void => {
    const key = isManualCode(next) ? next : '';
    setCode(key);
    setUnit(key ? (CATALOG[key].units[0] ?? '') : '');
  };

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const number = Number(value.replace(',', '.'));
    if (!code) return setError('Choose what was measured.');
    if (value.trim() === '' || !Number.isFinite(number)) return setError('Enter the value as a number.');
    if ((value.match(/\d/g) ?? []).length > MAX_DIGITS) return setError(`The value has more than ${MAX_DIGITS} digits, more than any measurement: check it and type it again.`);
    if (!unit || !isUcumCode(unit)) return setError('Choose the unit.');
    setBusy(true);
    const result = await store.call('enterManual', { code, value: number, unit, ...(replaces ? { replacesReadingId: replaces } : {}) });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    setError(undefined);
    setValue('');
    onClearReplaces();
    store.applyItems([result.value]);
    store.notify(`Entered by hand: ${SHORT_NAMES[code]} ${number} ${unitText(unit)}. Check it in the pending readings and confirm it.`);
  };

  return (
    <section className="panel" aria-labelledby={ids.title}>
      <h2 id={ids.title} className="panel-title">
        Enter a value by hand
      </h2>
      <form className="form form--manual" onSubmit={(e) => void submit(e)} noValidate>
        {replaces && (
          <p className="form-note" data-testid="manual-replaces">
            Replaces rejected reading {replaces}{' '}
            <button type="button" className="button button--quiet" onClick={onClearReplaces}>
              Do not link
            </button>
          </p>
        )}
        <label htmlFor={ids.code}>Measurement</label>
        <select id={ids.code} ref={codeRef} data-testid="manual-code" value={code} onChange={(e) => chooseCode(e.target.value)}>
          <option value="">Choose…</option>
          {MANUAL_CODES.map((k) => (
            <option key={k} value={k}>
              {manualLabel(k)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.value}>Value</label>
        <input id={ids.value} data-testid="manual-value" inputMode="decimal" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        <label htmlFor={ids.unit}>Unit</label>
        <select id={ids.unit} data-testid="manual-unit" value={unit} disabled={units.length === 0} onChange={(e) => setUnit(isUcumCode(e.target.value) ? e.target.value : '')}>
          {units.length === 0 && <option value="">—</option>}
          {units.map((u) => (
            <option key={u} value={u}>
              {unitText(u) || u}
            </option>
          ))}
        </select>
        <p className="form-note manual-preview" data-testid="manual-preview" aria-live="polite">
          {preview(patient, code, value, unit)}
        </p>
        <div className="form-actions">
          <button type="submit" className="button" data-testid="manual-submit" disabled={busy || !patient}>
            Add manual value
          </button>
        </div>
        <p className="form-error" aria-live="assertive">
          {error}
        </p>
      </form>
    </section>
  );
}

/** "Will be saved for MRN 12345 · Jane Doe: SpO₂ 45 %, pending until you confirm it." */
function preview(patient: { mrn: string; name?: string } | undefined, code: CatalogKey | '', value: string, unit: UcumCode | ''): string {
  if (!patient) return 'Select the patient first: a value is always entered for one patient.';
  const who = `${mrnText(patient.mrn)}${patient.name ? ` · ${patient.name}` : ''}`;
  const what = code && value.trim() !== '' ? `${SHORT_NAMES[code]} ${value.trim()} ${unit ? unitText(unit) : ''}`.trim() : 'the value';
  return `Will be saved for ${who}: ${what}, pending until you confirm it.`;
}
