import { useRef, useState } from 'react';
import type { DriverInfo, MethodOutput } from '../../shared/api/contract.ts';
import { ConvertedNote } from '../components/converted-note.tsx';
import { flattenObservations, obsParts, observationName } from '../format/observations.ts';
import { errorText, formatInstant, formatLocalTime } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { readFileText } from './download.ts';
import { countText } from './words.ts';

type Replay = MethodOutput<'replayTrace'>;

const KIND_TEXT: Readonly<Record<Replay['readings'][number]['kind'], string>> = { patient: 'Patient', control: 'Control (QC)', calibration: 'Calibration' };

/**
 * Load a trace file and replay it against a driver: the readings it gives, and what did not
 * fit. The check after a recording (does it read back?) and before a driver change ships.
 */
export function TraceReplay({ drivers, preferred }: { drivers: readonly DriverInfo[]; preferred: string | undefined }): React.JSX.Element {
  const store = usePageStateStore();
  const file = useRef<HTMLInputElement>(null);
  const [driverId, setDriverId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ name: string; replay: Replay }>();
  // The open port's driver until the person picks one.
  const chosen = driverId ?? preferred ?? '';

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const picked = file.current?.files?.[0];
    if (!picked) return setError('Choose a trace file.');
    if (!chosen) return setError('Choose the driver to replay it with.');
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    let text: string;
    try {
      text = await readFileText(picked);
    } catch {
      setBusy(false);
      return setError(`Could not read ${picked.name}.`);
    }
    if (text.trim() === '') {
      setBusy(false);
      return setError(`${picked.name} is empty.`);
    }
    const answer = await store.call('replayTrace', { driverId: chosen, trace: text });
    setBusy(false);
    if (!answer.ok) return setError(errorText(answer.error));
    setResult({ name: picked.name, replay: answer.value });
  };

  return (
    <section className="panel" aria-labelledby="replay-title">
      <h2 id="replay-title" className="panel-title">
        Load a trace file
      </h2>
      <p className="panel-hint">Replays a recorded trace against a driver and shows the readings it gives. Nothing is stored.</p>
      <form className="form replay-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="trace-load-file">Trace file</label>
        <input id="trace-load-file" ref={file} type="file" accept=".trace,.txt,text/plain" data-testid="trace-load-file" />
        <label htmlFor="trace-load-driver">Driver</label>
        <select id="trace-load-driver" data-testid="trace-load-driver" value={chosen} onChange={(e) => setDriverId(e.target.value)}>
          <option value="">Choose the driver…</option>
          {drivers.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.manufacturer})
            </option>
          ))}
        </select>
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="trace-load-submit" disabled={busy}>
            {busy ? 'Replaying…' : 'Replay'}
          </button>
        </div>
        <p className="form-error" aria-live="assertive" data-testid="trace-load-error">
          {error}
        </p>
      </form>
      {result && <ReplayResult name={result.name} replay={result.replay} />}
    </section>
  );
}

function ReplayResult({ name, replay }: { name: string; replay: Replay }): React.JSX.Element {
  return (
    <div className="replay-result" data-testid="replay-result" aria-live="polite">
      <p>
        <strong>{name}</strong>: {countText(replay.readings.length, 'reading')}. <span data-testid="replay-end">Ended: {replay.end}.</span>
      </p>
      {replay.problems.length > 0 && (
        <ul className="port-hints replay-problems" aria-label="Problems">
          {replay.problems.map((p, i) => (
            <li key={i} data-testid="replay-problem">
              {p}
            </li>
          ))}
        </ul>
      )}
      {replay.readings.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Readings from the trace</caption>
          <thead>
            <tr>
              <th scope="col">Device time</th>
              <th scope="col">Kind</th>
              <th scope="col">Values</th>
              <th scope="col">Device</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {replay.readings.map((r, i) => (
              <tr key={i} data-testid="replay-reading">
                <td className="cell-time">{r.deviceTime ? formatLocalTime(r.deviceTime, true) : formatInstant(r.effectiveTime)}</td>
                <td>{KIND_TEXT[r.kind]}</td>
                <td>
                  <ul className="cell-values">
                    {flattenObservations(r.observations).map((obs, j) => {
                      const v = obsParts(obs);
                      return (
                        <li key={j} data-testid="replay-value" data-code={obs.code ?? ''} data-value={v.value}>
                          {observationName(obs)} <strong>{v.value}</strong> {v.unit}
                          <ConvertedNote text={v.converted} />
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td>
                  {r.device.manufacturer} {r.device.model}
                  {r.device.serial && <div className="cell-note">serial {r.device.serial}</div>}
                </td>
                <td>{r.flags.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
