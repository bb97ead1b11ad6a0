import { useState } from 'react';
import type { DriverInfo } from '../../shared/api/contract.ts';
import { errorText, formatInstant } from '../format/words.ts';
import { useQuery } from '../history/use-query.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { takesLink } from './driver-choice.ts';

/**
 * Device simulators: play a driver's device on a serial port or pty (one end of a socat pair),
 * so the other end can be added as a port and set up as if the device were there.
 */
export function SimulatorsPanel({ drivers }: { drivers: readonly DriverInfo[] }): React.JSX.Element {
  const store = usePageStateStore();
  // A simulator taking or leaving a port changes the port list: ask again then too.
  const portsVersion = useHub((s) => s.portsVersion);
  const [tick, setTick] = useState(0);
  const running = useQuery('listSimulators', {}, [tick, portsVersion]);
  const playable = drivers.filter((d) => takesLink(d, 'serial') && d.scenarios.length > 0);
  const [driverId, setDriverId] = useState('');
  const [scenario, setScenario] = useState('');
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const driver = playable.find((d) => d.id === driverId);

  const start = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!driver) return setError('Choose the device to simulate.');
    if (!path.trim()) return setError('Type the port or pty to play it on.');
    setBusy(true);
    setError(undefined);
    const result = await store.call('startSimulator', { driverId: driver.id, path: path.trim(), ...(scenario ? { scenario } : {}) });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    store.notify(`Simulating ${driver.name} (${result.value.scenario}) on ${result.value.path}.`);
    setTick((t) => t + 1);
  };

  const stop = async (id: string, what: string): Promise<void> => {
    const result = await store.call('stopSimulator', { id });
    if (!result.ok) return store.notifyError(result.error);
    store.notify(`Stopped the simulator on ${what}.`);
    setTick((t) => t + 1);
  };

  const list = running.status === 'ok' ? running.value : [];
  const nameOf = (id: string): string => drivers.find((d) => d.id === id)?.name ?? id;

  return (
    <section className="panel" aria-labelledby="sim-title">
      <h2 id="sim-title" className="panel-title">
        Simulators
      </h2>
      <p className="panel-hint">For training and for checking a setup without the device: the simulator answers as the device would.</p>
      <form className="form sim-form" onSubmit={(e) => void start(e)} noValidate>
        <div className="form">
          <label htmlFor="sim-driver">Device</label>
          <select
            id="sim-driver"
            data-testid="sim-driver"
            value={driverId}
            onChange={(e) => {
              setDriverId(e.target.value);
              setScenario('');
            }}
          >
            <option value="">Choose the device…</option>
            {playable.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.manufacturer})
              </option>
            ))}
          </select>
        </div>
        <div className="form">
          <label htmlFor="sim-scenario">Scenario</label>
          <select id="sim-scenario" data-testid="sim-scenario" value={scenario} disabled={!driver} onChange={(e) => setScenario(e.target.value)}>
            <option value="">{driver ? `Default (${driver.scenarios[0] ?? '—'})` : '—'}</option>
            {driver?.scenarios.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="form">
          <label htmlFor="sim-path">Play on (port or pty path)</label>
          <input id="sim-path" data-testid="sim-path" value={path} placeholder="/dev/pts/5" autoComplete="off" spellCheck={false} onChange={(e) => setPath(e.target.value)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="sim-start" disabled={busy}>
            Start simulator
          </button>
        </div>
      </form>
      <p className="form-error" aria-live="assertive" data-testid="sim-error">
        {error}
      </p>
      {running.status === 'error' && <p className="form-error">{errorText(running.error)}</p>}
      {list.length === 0 ? (
        <p className="empty">No simulator is running.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Running simulators</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Scenario</th>
              <th scope="col">Playing on</th>
              <th scope="col">Since</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-testid={`sim-row-${s.id}`}>
                <td>{nameOf(s.driverId)}</td>
                <td>{s.scenario}</td>
                <td>
                  <code>{s.path}</code>
                </td>
                <td className="cell-time">{formatInstant(s.startedAt, true)}</td>
                <td>
                  <button type="button" className="button" data-testid={`sim-stop-${s.id}`} aria-label={`Stop the simulator on ${s.path}`} onClick={() => void stop(s.id, s.path)}>
                    Stop
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
