import { useState } from 'react';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { LimitNote, overLimit } from '../components/limit-note.tsx';
import type { Port } from '../../shared/api/ports-model.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { ADDABLE_TRANSPORTS, folderPathProblem, type AddableTransport } from '../../shared/port-transports.ts';

/** Each kind of port a person adds: its name in the list, the field's label, an example, the empty-field error. */
const KINDS: Readonly<Record<AddableTransport, { option: string; label: string; placeholder: string; missing: string }>> = {
  serial: { option: 'Serial port or pty (path)', label: 'Path', placeholder: '/dev/pts/4 or /dev/ttyS0', missing: 'Type the port’s path.' },
  tcp: { option: 'Network device or serial box the hub connects to (host:port)', label: 'Address (host:port)', placeholder: '10.0.0.20:4001', missing: 'Type the device’s address as host:port.' },
  listen: {
    option: 'Listen for devices that connect to the hub (host:port)',
    label: 'Listen on (host:port)',
    placeholder: '0.0.0.0:3000',
    missing: 'Type where to listen as host:port (0.0.0.0 listens on every network interface).',
  },
  http: { option: 'Local web service of a device vendor (URL)', label: 'Service address (URL)', placeholder: 'http://127.0.0.1:9233', missing: 'Type the service’s address, e.g. http://127.0.0.1:9233.' },
  folder: {
    option: 'Meter mounted as a disk (folder path)',
    label: 'Folder (full path)',
    placeholder: '/media/ACCU-CHEK or E:\\',
    missing: 'Type the full path of the meter’s disk or of its Reports folder.',
  },
};

const isAddable = (value: string): value is AddableTransport => (ADDABLE_TRANSPORTS as readonly string[]).includes(value);

/**
 * Add a port discovery cannot see: a pty by path, a networked device or serial-to-Ethernet box by
 * host:port, an address the hub listens on for devices that connect (IHE PCD-01 monitors), or a
 * vendor's local web service.
 */
export function PortAddForm({ onAdded }: { onAdded: (port: Port) => void }): React.JSX.Element {
  const store = usePageStateStore();
  const [transport, setTransport] = useState<AddableTransport>('serial');
  const [path, setPath] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const kind = KINDS[transport];

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (!path.trim()) return setError(kind.missing);
    const tooLong = overLimit(kind.label, path, INPUT_LIMITS.portPath);
    if (tooLong) return setError(tooLong);
    // Said here at once; the hub checks the same rule again (shared/port-transports.ts).
    const folderProblem = transport === 'folder' ? folderPathProblem(path.trim()) : undefined;
    if (folderProblem) return setError(`${folderProblem[0]?.toUpperCase() ?? ''}${folderProblem.slice(1)}.`);
    setBusy(true);
    const result = await store.call('addPort', { transport, path: path.trim() });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    setError(undefined);
    setPath('');
    store.applyPort(result.value);
    store.notify(`Added ${result.value.path}.`);
    onAdded(result.value);
  };

  return (
    <form className="form port-add" aria-labelledby="port-add-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="port-add-title" className="port-add-title">
        Add a port by path
      </h3>
      <p className="form-hint">
        For what discovery cannot see: a pty (the other end of a simulator), a device or serial box on the network, an address where devices connect to
        the hub, a vendor’s service on this workstation, or a meter that shows up as a disk (its folder).
      </p>
      <div className="port-add-fields">
        <div className="form">
          <label htmlFor="port-add-transport">Kind</label>
          <select
            id="port-add-transport"
            data-testid="port-add-transport"
            value={transport}
            onChange={(e) => {
              if (isAddable(e.target.value)) setTransport(e.target.value);
            }}
          >
            {ADDABLE_TRANSPORTS.map((t) => (
              <option key={t} value={t}>
                {KINDS[t].option}
              </option>
            ))}
          </select>
        </div>
        <div className="form port-add-path">
          <label htmlFor="port-add-path">{kind.label}</label>
          <input
            id="port-add-path"
            data-testid="port-add-path"
            value={path}
            placeholder={kind.placeholder}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="port-add-limit port-add-error"
            onChange={(e) => setPath(e.target.value)}
          />
          <LimitNote id="port-add-limit" field={kind.label} value={path} max={INPUT_LIMITS.portPath} testId="port-add-limit" />
        </div>
        <button type="submit" className="button button--primary" data-testid="port-add-submit" disabled={busy}>
          Add port
        </button>
      </div>
      <p id="port-add-error" className="form-error" aria-live="assertive" data-testid="port-add-error">
        {error}
      </p>
    </form>
  );
}
