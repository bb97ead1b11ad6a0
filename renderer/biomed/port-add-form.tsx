import { useState } from 'react';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { LimitNote, overLimit } from '../components/limit-note.tsx';
import type { Port } from '../../shared/api/ports-model.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

type Transport = 'serial' | 'tcp';

const PLACEHOLDER: Readonly<Record<Transport, string>> = { serial: '/dev/pts/4 or /dev/ttyS0', tcp: '10.0.0.20:4001' };

/** Add a port discovery cannot see: a pty by path, or a serial-to-Ethernet box by host:port. */
export function PortAddForm({ onAdded }: { onAdded: (port: Port) => void }): React.JSX.Element {
  const store = usePageStateStore();
  const [transport, setTransport] = useState<Transport>('serial');
  const [path, setPath] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (!path.trim()) return setError(transport === 'tcp' ? 'Type the box’s address as host:port.' : 'Type the port’s path.');
    const tooLong = overLimit(transport === 'tcp' ? 'Address' : 'Path', path, INPUT_LIMITS.portPath);
    if (tooLong) return setError(tooLong);
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
      <p className="form-hint">For a pty (the other end of a simulator) or a serial-to-Ethernet box that discovery cannot see.</p>
      <div className="port-add-fields">
        <div className="form">
          <label htmlFor="port-add-transport">Kind</label>
          <select id="port-add-transport" data-testid="port-add-transport" value={transport} onChange={(e) => setTransport(e.target.value === 'tcp' ? 'tcp' : 'serial')}>
            <option value="serial">Serial port or pty (path)</option>
            <option value="tcp">Serial over network (host:port)</option>
          </select>
        </div>
        <div className="form port-add-path">
          <label htmlFor="port-add-path">{transport === 'tcp' ? 'Address (host:port)' : 'Path'}</label>
          <input
            id="port-add-path"
            data-testid="port-add-path"
            value={path}
            placeholder={PLACEHOLDER[transport]}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="port-add-limit port-add-error"
            onChange={(e) => setPath(e.target.value)}
          />
          <LimitNote id="port-add-limit" field={transport === 'tcp' ? 'Address' : 'Path'} value={path} max={INPUT_LIMITS.portPath} testId="port-add-limit" />
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
