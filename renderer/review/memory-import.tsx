import { useEffect, useState } from 'react';
import type { MemoryList, MemoryResult } from '../../shared/api/contract.ts';
import { summarize } from '../format/observations.ts';
import { errorText, formatInstant, patientText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { windowText } from '../../shared/device-role.ts';
import { ageText } from './memory-age.ts';

/**
 * Device memory (docs/architecture.md §8, "Device roles"): results downloaded from a meter's
 * memory wait here, out of the review list, until the assistant imports them — patient first,
 * then the results: those measured within the recent window are pre-selected, older ones are
 * collapsed with their ages and need an explicit acknowledgement.
 */
export function MemoryImport(): React.JSX.Element | null {
  const store = usePageStateStore();
  const version = useHub((s) => s.reviewVersion);
  const [memory, setMemory] = useState<MemoryList>();
  const [open, setOpen] = useState<string>();

  useEffect(() => {
    let live = true;
    void store.call('listMemory', {}).then((r) => {
      if (live && r.ok) setMemory(r.value);
    });
    return () => {
      live = false;
    };
  }, [store, version]);

  if (!memory || memory.devices.length === 0) return null;
  return (
    <section className="memory-import" aria-labelledby="memory-title" data-testid="memory-import">
      <h3 id="memory-title" className="panel-title">
        Device memory
      </h3>
      <ul className="memory-devices">
        {memory.devices.map((d) => (
          <li key={d.deviceKey} data-testid={`memory-device-${d.deviceKey}`}>
            <span>
              {d.deviceLabel}: <strong data-testid={`memory-count-${d.deviceKey}`}>{d.count}</strong> result{d.count === 1 ? '' : 's'} not imported
            </span>
            <button type="button" className="button" data-testid={`memory-open-${d.deviceKey}`} onClick={() => setOpen(open === d.deviceKey ? undefined : d.deviceKey)}>
              {open === d.deviceKey ? 'Close' : 'Import…'}
            </button>
          </li>
        ))}
      </ul>
      {open !== undefined && memory.devices.some((d) => d.deviceKey === open) && (
        <ImportPanel key={open} deviceKey={open} windowMinutes={memory.recentWindowMinutes} onDone={() => setOpen(undefined)} />
      )}
    </section>
  );
}

function ImportPanel({ deviceKey, windowMinutes, onDone }: { deviceKey: string; windowMinutes: number; onDone: () => void }): React.JSX.Element {
  const store = usePageStateStore();
  const patient = useHub((s) => s.state?.patient);
  const [results, setResults] = useState<readonly MemoryResult[]>();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void store.call('listMemory', { deviceKey }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(errorText(r.error));
      setResults(r.value.results);
      // The recent ones are pre-selected; an old one is only ever chosen by hand.
      setChosen(new Set(r.value.results.filter((x) => x.recent).map((x) => x.item.id)));
    });
    return () => {
      live = false;
    };
  }, [store, deviceKey]);

  if (!patient) {
    return (
      <p className="form-error" data-testid="memory-needs-patient">
        Select the patient first: memory results are imported for one patient.
      </p>
    );
  }
  if (!results) return <p className="form-hint">{error ?? 'Reading the device memory…'}</p>;
  const recent = results.filter((r) => r.recent);
  const old = results.filter((r) => !r.recent);
  const oldChosen = old.filter((r) => chosen.has(r.item.id)).length;
  const toggle = (id: string, on: boolean): void => setChosen((c) => (on ? new Set([...c, id]) : new Set([...c].filter((x) => x !== id))));

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const result = await store.call('importReadings', { readingIds: [...chosen], ...(oldChosen > 0 ? { acknowledgeOld: acknowledged } : {}) });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    store.applyItems(result.value);
    store.notify(`Imported ${result.value.length} result${result.value.length === 1 ? '' : 's'} for ${patientText(patient)}: confirm them in the list.`);
    onDone();
  };

  const row = (r: MemoryResult): React.JSX.Element => (
    <li key={r.item.id} className="memory-result" data-testid={`memory-result-${r.item.id}`} data-recent={r.recent}>
      <input id={`mem-${r.item.id}`} type="checkbox" data-testid={`memory-pick-${r.item.id}`} checked={chosen.has(r.item.id)} onChange={(e) => toggle(r.item.id, e.target.checked)} />
      <label htmlFor={`mem-${r.item.id}`}>
        {summarize(r.item.reading.observations)} · measured {formatInstant(r.measuredAt)} · <span data-testid={`memory-age-${r.item.id}`}>{ageText(r.ageMinutes)} ago</span>
      </label>
    </li>
  );

  return (
    <div className="memory-panel" data-testid="memory-panel">
      <p>
        Import for <strong data-testid="memory-patient">{patientText(patient)}</strong>
      </p>
      <p className="form-hint">Results measured in the last {windowText(windowMinutes)} are selected.</p>
      {recent.length === 0 ? <p className="form-hint">None measured in the last {windowText(windowMinutes)}.</p> : <ul className="memory-results">{recent.map(row)}</ul>}
      {old.length > 0 && (
        <details data-testid="memory-older">
          <summary>
            {old.length} older result{old.length === 1 ? '' : 's'}
          </summary>
          <ul className="memory-results">{old.map(row)}</ul>
        </details>
      )}
      {oldChosen > 0 && (
        <span className="checkbox">
          <input id="memory-ack" type="checkbox" data-testid="memory-ack" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
          <label htmlFor="memory-ack">
            {oldChosen} selected result{oldChosen === 1 ? ' is' : 's are'} older than {windowText(windowMinutes)}: I checked {oldChosen === 1 ? 'it belongs' : 'they belong'} to this patient.
          </label>
        </span>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="memory-import-submit"
          disabled={busy || chosen.size === 0 || (oldChosen > 0 && !acknowledged)}
          onClick={() => void submit()}
        >
          {busy ? 'Importing…' : `Import ${chosen.size} result${chosen.size === 1 ? '' : 's'}`}
        </button>
      </div>
      <p className="form-error" aria-live="assertive" data-testid="memory-error">
        {error}
      </p>
    </div>
  );
}
