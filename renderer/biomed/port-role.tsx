import { useState } from 'react';
import type { Port } from '../../shared/api/ports-model.ts';
import { DEVICE_ROLES, DEVICE_ROLE_WORDS, type DeviceRole } from '../../shared/device-role.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/**
 * Where the port's device may send results (docs/architecture.md §8, "Device roles"): chosen by
 * biomed staff, saved at once (it applies to the next result without reconnecting).
 */
export function PortRole({ port }: { port: Port }): React.JSX.Element | null {
  const store = usePageStateStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const role = port.assignment?.role;
  if (role === undefined) return null;

  const choose = async (next: DeviceRole): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const result = await store.call('setPortRole', { portId: port.id, role: next });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    store.applyPort(result.value);
    store.notify(`${port.path}: ${DEVICE_ROLE_WORDS[next]}.`);
  };

  return (
    <div className="port-setup-role">
      <label htmlFor="port-role">Role</label>
      <select id="port-role" data-testid={`port-role-${port.id}`} value={role} disabled={busy} onChange={(e) => void choose(e.target.value as DeviceRole)} aria-describedby="port-role-hint">
        {DEVICE_ROLES.map((r) => (
          <option key={r} value={r}>
            {DEVICE_ROLE_WORDS[r]}
          </option>
        ))}
      </select>
      <p id="port-role-hint" className="form-hint">
        {port.assignment?.roleChosen ? 'Chosen by biomed staff.' : port.assignment?.roleFromCentral ? 'From central configuration.' : 'The driver’s default.'} Bedside results go to the selected patient only when measured after the selection;
        shared ones wait for the assistant; memory results are imported for a patient.
      </p>
      {error && (
        <p className="form-error" aria-live="assertive" data-testid="port-role-error">
          {error}
        </p>
      )}
    </div>
  );
}
