import { useState } from 'react';
import type { DeviceStatus } from '../../shared/api/model.ts';
import { QC_LIMITS } from '../../shared/api/qc-model.ts';
import { useQuery } from '../history/use-query.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/** How often each device needs a passing control; empty means no QC requirement (the default). */
export function QcIntervals({ devices }: { devices: readonly DeviceStatus[] }): React.JSX.Element {
  const store = usePageStateStore();
  const [reload, setReload] = useState(0);
  const policies = useQuery('listQcPolicies', {}, [reload]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const known = policies.status === 'ok' ? policies.value : [];
  const keys = [...new Set([...devices.map((d) => d.key), ...known.map((p) => p.deviceKey)])];
  const labelOf = (key: string): string => devices.find((d) => d.key === key)?.label ?? key;

  const save = async (deviceKey: string): Promise<void> => {
    const text = (drafts[deviceKey] ?? '').trim();
    const hours = text === '' ? null : Number(text);
    if (hours !== null && (!Number.isInteger(hours) || hours < 1 || hours > QC_LIMITS.intervalHours)) {
      return setError(`Give whole hours from 1 to ${QC_LIMITS.intervalHours}, or leave it empty for no QC requirement.`);
    }
    const result = await store.call('setQcPolicy', { deviceKey, intervalHours: hours });
    if (!result.ok) return setError(errorText(result.error));
    setError('');
    store.notify(hours === null ? `${labelOf(deviceKey)}: no QC requirement.` : `${labelOf(deviceKey)} needs a passing control every ${hours} h.`, 'ok');
    setReload((n) => n + 1);
  };

  return (
    <section className="panel" aria-labelledby="qc-intervals-title">
      <h2 id="qc-intervals-title" className="panel-title">
        QC interval per device
      </h2>
      <p className="panel-hint">A device whose last passing control is older than its interval is locked for patient results until a control passes.</p>
      {keys.length === 0 && <p className="empty">No devices yet.</p>}
      {error && <p className="form-error">{error}</p>}
      {keys.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">QC interval per device</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Passing control needed every</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const current = known.find((p) => p.deviceKey === key);
              return (
                <tr key={key}>
                  <td>{labelOf(key)}</td>
                  <td>
                    <form
                      className="qc-interval"
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        void save(key);
                      }}
                    >
                      <input
                        aria-label={`Hours between controls for ${labelOf(key)} (1 to ${QC_LIMITS.intervalHours}; empty: no requirement)`}
                        inputMode="numeric"
                        placeholder="no requirement"
                        value={drafts[key] ?? (current ? String(current.intervalHours) : '')}
                        onChange={(e) => setDrafts((d) => ({ ...d, [key]: e.target.value }))}
                      />{' '}
                      h{' '}
                      <button type="submit" className="button button--quiet">
                        Save
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
