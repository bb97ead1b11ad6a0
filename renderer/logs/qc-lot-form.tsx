import { useState } from 'react';
import { QC_LIMITS, type QcLot, type SaveQcLotInput } from '../../shared/api/qc-model.ts';
import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import { UNITS } from '../../shared/units.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/** Analytes a control lot can be defined for: those measured as a number with a unit. */
const ANALYTES = (Object.keys(CATALOG) as CatalogKey[]).filter((k) => CATALOG[k].scale === 'Qn' && CATALOG[k].units.length > 0);

interface LevelDraft {
  level: string;
  low: string;
  high: string;
}

interface Draft {
  lotNumber: string;
  analyte: CatalogKey;
  unit: string;
  expiresOn: string;
  levels: LevelDraft[];
}

const EMPTY: Draft = { lotNumber: '', analyte: 'glucoseMassMeter', unit: 'mg/dL', expiresOn: '', levels: [{ level: '1', low: '', high: '' }] };

function draftOf(lot: QcLot): Draft {
  return { ...lot, levels: lot.levels.map((l) => ({ level: l.level, low: String(l.low), high: String(l.high) })) };
}

/** The draft as the contract wants it; the hub checks it again and answers in words. */
function inputOf(draft: Draft, id: string | undefined): SaveQcLotInput {
  return {
    ...(id === undefined ? {} : { id }),
    lotNumber: draft.lotNumber,
    analyte: draft.analyte,
    unit: draft.unit as SaveQcLotInput['unit'],
    expiresOn: draft.expiresOn,
    levels: draft.levels.map((l) => ({ level: l.level, low: Number(l.low), high: Number(l.high) })),
  };
}

/** Add a control lot, or change one: lot number, analyte and unit, expiry, and each level's expected range. */
export function QcLotForm({ lot, onSaved, onCancel }: { lot: QcLot | undefined; onSaved: (lot: QcLot) => void; onCancel: () => void }): React.JSX.Element {
  const store = usePageStateStore();
  const [draft, setDraft] = useState<Draft>(() => (lot ? draftOf(lot) : EMPTY));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setLevel = (i: number, patch: Partial<LevelDraft>): void => set({ levels: draft.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const units = CATALOG[draft.analyte].units;

  const save = async (): Promise<void> => {
    const bad = draft.levels.find((l) => l.low.trim() === '' || l.high.trim() === '' || !Number.isFinite(Number(l.low)) || !Number.isFinite(Number(l.high)));
    if (bad) return setError(`Give level ${bad.level || '(unnamed)'} a low and a high number.`);
    const upside = draft.levels.find((l) => Number(l.low) > Number(l.high));
    if (upside) return setError(`Level ${upside.level}: the low end (${upside.low}) is above the high end (${upside.high}).`);
    setBusy(true);
    const result = await store.call('saveQcLot', inputOf(draft, lot?.id));
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    setError('');
    onSaved(result.value);
  };

  return (
    <form
      className="form qc-lot-form"
      aria-label={lot ? `Change lot ${lot.lotNumber}` : 'Add a control lot'}
      data-testid="qc-lot-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        void save();
      }}
    >
      <label htmlFor="qc-lot-number">Lot number (up to {QC_LIMITS.lotNumber} characters)</label>
      <input id="qc-lot-number" data-testid="qc-lot-number" required maxLength={QC_LIMITS.lotNumber} value={draft.lotNumber} onChange={(e) => set({ lotNumber: e.target.value })} />
      <label htmlFor="qc-lot-analyte">Analyte</label>
      <select
        id="qc-lot-analyte"
        data-testid="qc-lot-analyte"
        value={draft.analyte}
        onChange={(e) => {
          const analyte = e.target.value as CatalogKey;
          set({ analyte, unit: CATALOG[analyte].units[0] ?? '' });
        }}
      >
        {ANALYTES.map((k) => (
          <option key={k} value={k}>
            {CATALOG[k].display}
          </option>
        ))}
      </select>
      <label htmlFor="qc-lot-unit">Unit</label>
      <select id="qc-lot-unit" data-testid="qc-lot-unit" value={draft.unit} onChange={(e) => set({ unit: e.target.value })}>
        {units.map((u) => (
          <option key={u} value={u}>
            {UNITS[u].display || u}
          </option>
        ))}
      </select>
      <label htmlFor="qc-lot-expires">Expires on (last day of use)</label>
      <input id="qc-lot-expires" data-testid="qc-lot-expires" type="date" required value={draft.expiresOn} onChange={(e) => set({ expiresOn: e.target.value })} />
      <fieldset className="qc-levels">
        <legend>Levels and expected ranges (up to {QC_LIMITS.levels})</legend>
        {draft.levels.map((l, i) => (
          <div key={i} className="qc-level-row" data-testid={`qc-level-row-${i}`}>
            <input aria-label={`Level ${i + 1} name (up to ${QC_LIMITS.level} characters)`} data-testid={`qc-level-name-${i}`} required maxLength={QC_LIMITS.level} value={l.level} onChange={(e) => setLevel(i, { level: e.target.value })} />
            <input aria-label={`Level ${i + 1} low`} data-testid={`qc-level-low-${i}`} inputMode="decimal" value={l.low} onChange={(e) => setLevel(i, { low: e.target.value })} />
            <span aria-hidden="true">–</span>
            <input aria-label={`Level ${i + 1} high`} data-testid={`qc-level-high-${i}`} inputMode="decimal" value={l.high} onChange={(e) => setLevel(i, { high: e.target.value })} />
            <span>{UNITS[draft.unit as keyof typeof UNITS]?.display ?? draft.unit}</span>
            {draft.levels.length > 1 && (
              <button type="button" className="button button--quiet" onClick={() => set({ levels: draft.levels.filter((_, j) => j !== i) })}>
                Remove
              </button>
            )}
          </div>
        ))}
        {draft.levels.length < QC_LIMITS.levels && (
          <button type="button" className="button button--quiet" data-testid="qc-level-add" onClick={() => set({ levels: [...draft.levels, { level: String(draft.levels.length + 1), low: '', high: '' }] })}>
            Add a level
          </button>
        )}
      </fieldset>
      <p className="form-error" role="alert" data-testid="qc-lot-error">
        {error}
      </p>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="qc-lot-save">
          {lot ? 'Save changes' : 'Add lot'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
