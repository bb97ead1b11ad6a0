import { useState } from 'react';
import type { ApiResult } from '../../shared/api/client.ts';
import type { DriverInfo } from '../../shared/api/contract.ts';
import type { Port, PortSettings } from '../../shared/api/ports-model.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { driverChoices, initialDriver, matchNarrows, settingsFor, takesLink, usesSerialSettings } from './driver-choice.ts';
import { DriverOptions, type OptionValues } from './driver-options.tsx';
import { SerialSettings } from './serial-settings.tsx';
import { PortRole } from './port-role.tsx';

interface PortTestMessage {
  readonly ok: boolean;
  readonly text: string;
}

type Action = 'save' | 'unassign' | 'connect' | 'disconnect' | 'test' | 'forget';

/**
 * One port's setup: the driver (among those discovery matched, or all), its serial settings,
 * auto-connect, Save; and Connect, Disconnect and Test connection. Mounted per port (keyed by
 * its id), so the form starts from what is saved every time another port is opened.
 */
export function PortSetup({ port, drivers }: { port: Port; drivers: readonly DriverInfo[] }): React.JSX.Element {
  const store = usePageStateStore();
  const [showAll, setShowAll] = useState(false);
  const [driverId, setDriverId] = useState(() => initialDriver(port));
  const [settings, setSettings] = useState<PortSettings>(() => settingsFor(port, drivers.find((d) => d.id === initialDriver(port))));
  const [autoConnect, setAutoConnect] = useState(port.assignment?.autoConnect ?? true);
  const [options, setOptions] = useState<OptionValues>(() => optionsFor(port, initialDriver(port)));
  const [busy, setBusy] = useState<Action>();
  const [error, setError] = useState<string>();
  const [test, setTest] = useState<PortTestMessage>();

  const choices = driverChoices(port, drivers, showAll);
  const driver = drivers.find((d) => d.id === driverId);
  const serial = usesSerialSettings(port, driver);
  const assigned = port.assignment !== undefined;
  const live = port.state === 'connected' || port.state === 'connecting';
  // A meter's folder is read once per press (the newest report), like a meter's download.
  const folder = port.transport === 'folder';

  const pickDriver = (id: string): void => {
    setDriverId(id);
    // A different driver brings its own defaults (or the settings in force when it is the assigned one).
    setSettings(settingsFor(port, drivers.find((d) => d.id === id)));
    setOptions(optionsFor(port, id));
  };

  /** Run one command; on its answer, `done` puts it in place and says what happened (an error shows in the form). */
  const act = async <T,>(action: Action, call: () => Promise<ApiResult<T>>, done: (value: T) => string): Promise<void> => {
    setBusy(action);
    setError(undefined);
    const result = await call();
    setBusy(undefined);
    if (!result.ok) return setError(errorText(result.error));
    store.notify(done(result.value));
  };

  /** A command that answers with the port: show the answer at once. */
  const run = (action: Action, call: () => Promise<ApiResult<Port>>, done: (p: Port) => string): Promise<void> =>
    act(action, call, (p) => {
      store.applyPort(p);
      return done(p);
    });

  /** Forget the port: its driver and settings are deleted; one added by hand leaves the list. */
  const forget = (): Promise<void> =>
    act('forget', () => store.call('removePort', { portId: port.id }), (ports) => {
      store.applyPorts(ports);
      return ports.some((p) => p.id === port.id) ? `Forgot the settings of ${port.path}; it is still plugged in, so it stays listed.` : `Forgot ${port.path}.`;
    });

  const save = (e: React.FormEvent): void => {
    e.preventDefault();
    if (!driver) return setError('Choose the driver for the device on this port.');
    void run(
      'save',
      () => store.call('assignPort', { portId: port.id, driverId: driver.id, ...(serial ? { settings } : {}), options, autoConnect }),
      (p) => `Saved: ${driver.name} on ${p.path}${autoConnect ? ' (connects on its own)' : ''}.`,
    );
  };

  const runTest = async (): Promise<void> => {
    setBusy('test');
    setTest(undefined);
    const result = await store.call('testPort', { portId: port.id });
    setBusy(undefined);
    if (!result.ok) return setTest({ ok: false, text: errorText(result.error) });
    const { ok, message, identity } = result.value;
    // The hub's sentence usually names the device already; add the identity only when it does not.
    const named = identity === undefined || message.includes(identity.model);
    const who = named ? '' : ` ${identity.manufacturer} ${identity.model}${identity.serial ? `, serial ${identity.serial}` : ''}${identity.firmware ? `, firmware ${identity.firmware}` : ''}.`;
    setTest({ ok, text: `${ok ? '✓ Device answered' : '⚠ No good answer'}: ${message}${who}` });
  };

  return (
    <form className="form port-setup" aria-label={`Set up ${port.path}`} onSubmit={save} noValidate>
      <div className="port-setup-driver">
        <label htmlFor="port-driver">Driver</label>
        <select id="port-driver" data-testid={`port-driver-${port.id}`} value={driverId} onChange={(e) => pickDriver(e.target.value)} aria-describedby="port-driver-hint">
          <option value="">Choose the device…</option>
          {choices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.manufacturer})
            </option>
          ))}
        </select>
        <p id="port-driver-hint" className="form-hint">
          {matchNarrows(port) && !showAll ? 'Only the drivers that match this USB id are listed.' : 'Every driver for this kind of port is listed.'}
        </p>
        {matchNarrows(port) && (
          <span className="checkbox">
            <input id="port-driver-all" type="checkbox" data-testid="port-driver-all" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
            <label htmlFor="port-driver-all">Show every driver</label>
          </span>
        )}
      </div>
      {driver && driver.hints.length > 0 && (
        <ul className="driver-hints" aria-label={`About ${driver.name}`}>
          {driver.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      )}
      {serial && <SerialSettings settings={settings} defaults={driver?.defaults} onChange={setSettings} />}
      {port.transport === 'tcp' && driver !== undefined && takesLink(driver, 'serial') && <p className="form-hint">The serial settings of a network box are set on the box itself.</p>}
      {port.transport === 'listen' && (
        <p className="form-hint" data-testid="port-listen-hint">
          Set each device to send to this workstation at {port.path.replace(/^(0\.0\.0\.0|\[::\]):/, 'its address, port ')}. Each device that connects is read on its own
          connection; Connect starts listening{port.connections !== undefined ? ` (${port.connections} connected now)` : ''}.
        </p>
      )}
      {driver && <DriverOptions key={driver.id} options={driver.options} values={options} onChange={setOptions} central={port.assignment?.driverId === driverId ? port.assignment.centralOptions : undefined} />}
      {port.assignment?.driverId === driverId && <PortRole port={port} />}
      <span className="checkbox">
        <input id="port-autoconnect" type="checkbox" data-testid="port-autoconnect" checked={autoConnect} onChange={(e) => setAutoConnect(e.target.checked)} />
        <label htmlFor="port-autoconnect">Connect on its own (when the hub starts and when the device is plugged in)</label>
      </span>
      <div className="form-actions">
        <button type="submit" className="button button--primary" data-testid={`port-assign-${port.id}`} disabled={busy !== undefined}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
        {assigned && (
          <button
            type="button"
            className="button"
            data-testid={`port-unassign-${port.id}`}
            disabled={busy !== undefined}
            onClick={() => void run('unassign', () => store.call('unassignPort', { portId: port.id }), (p) => `No driver on ${p.path} any more.`)}
          >
            Remove driver
          </button>
        )}
        <button
          type="button"
          className="button"
          data-testid={`port-connect-${port.id}`}
          disabled={busy !== undefined || !assigned || live}
          onClick={() => void run('connect', () => store.call('connectPort', { portId: port.id }), (p) => (folder ? `Reading the newest report in ${p.path}.` : `Connecting ${p.path}.`))}
        >
          {folder ? 'Read now' : 'Connect'}
        </button>
        <button
          type="button"
          className="button"
          data-testid={`port-disconnect-${port.id}`}
          disabled={busy !== undefined || !live}
          onClick={() => void run('disconnect', () => store.call('disconnectPort', { portId: port.id }), (p) => `Disconnected ${p.path}.`)}
        >
          Disconnect
        </button>
        <button type="button" className="button" data-testid={`port-test-${port.id}`} disabled={busy !== undefined || !assigned} onClick={() => void runTest()}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="button"
          className="button"
          data-testid={`port-forget-${port.id}`}
          disabled={busy !== undefined}
          title="Stop it and delete its driver and settings; a port added by hand leaves the list"
          onClick={() => void forget()}
        >
          {busy === 'forget' ? 'Forgetting…' : 'Forget port'}
        </button>
      </div>
      {!assigned && <p className="form-hint">Save a driver first: Connect and Test connection use the saved driver and settings.</p>}
      <p className="form-error" aria-live="assertive" data-testid="port-setup-error">
        {error}
      </p>
      <p
        className={`port-test-result${test ? (test.ok ? ' port-test-result--ok' : ' port-test-result--failed') : ''}`}
        aria-live="polite"
        data-testid="port-test-result"
        data-ok={test?.ok}
      >
        {busy === 'test' && 'Asking the device who it is…'}
        {test?.text}
      </p>
    </form>
  );
}

/** The options saved for this port when `driverId` is its assigned driver; none (all defaults) otherwise. */
function optionsFor(port: Port, driverId: string | undefined): OptionValues {
  return port.assignment && port.assignment.driverId === driverId ? { ...(port.assignment.options ?? {}) } : {};
}
