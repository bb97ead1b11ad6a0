import { useState } from 'react';
import type { QcLot } from '../../shared/api/qc-model.ts';
import { CATALOG } from '../../shared/catalog.ts';
import { useQuery } from '../history/use-query.ts';
import { errorText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { QcLotForm } from './qc-lot-form.tsx';
import { QcIntervals } from './qc-intervals.tsx';
import { rangeText } from './qc-words.ts';

/**
 * Control lots (admin, docs/architecture.md §8 rule 11): add, change and retire lots with each
 * level's expected range, and set how often each device needs a passing control.
 */
export function QcLotsScreen(): React.JSX.Element {
  const store = usePageStateStore();
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<QcLot | 'new' | undefined>(undefined);
  const [error, setError] = useState('');
  const lots = useQuery('listQcLots', {}, [reload]);
  const devices = useHub((s) => s.state?.devices) ?? [];

  const retire = async (lot: QcLot): Promise<void> => {
    const result = await store.call('retireQcLot', { id: lot.id });
    if (!result.ok) return setError(errorText(result.error));
    store.notify(`Lot ${lot.lotNumber} retired: kept on file, no longer offered for evaluation.`, 'ok');
    setReload((n) => n + 1);
  };

  return (
    <>
      <section className="panel" aria-labelledby="qc-lots-title">
        <h2 id="qc-lots-title" className="panel-title">
          QC lots
        </h2>
        <p className="panel-hint">Control solution lots and the range each level must fall in. A control is judged against the lot and level it was run with.</p>
        {error && <p className="form-error">{error}</p>}
        {lots.status === 'error' && <p className="form-error">{errorText(lots.error)}</p>}
        {lots.status === 'ok' && lots.value.length === 0 && <p className="empty">No control lots yet.</p>}
        {lots.status === 'ok' && lots.value.length > 0 && (
          <table className="table qc-lots-table" data-testid="qc-lots">
            <caption className="visually-hidden">Control lots</caption>
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Analyte</th>
                <th scope="col">Expires</th>
                <th scope="col">Levels</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lots.value.map((lot) => (
                <tr key={lot.id} data-testid={`qc-lot-${lot.lotNumber}`} data-retired={lot.retired}>
                  <td>
                    <strong>{lot.lotNumber}</strong>
                  </td>
                  <td>{CATALOG[lot.analyte].display}</td>
                  <td className="cell-date">{lot.expiresOn}</td>
                  <td>
                    <ul className="cell-values">
                      {lot.levels.map((l) => (
                        <li key={l.level}>
                          Level {l.level}: {rangeText(l.low, l.high, lot.unit)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{lot.retired ? 'Retired' : 'In use'}</td>
                  <td>
                    {!lot.retired && (
                      <div className="form-actions">
                        <button type="button" className="button button--quiet" data-testid={`qc-lot-edit-${lot.lotNumber}`} onClick={() => setEditing(lot)}>
                          Change
                        </button>
                        <button type="button" className="button button--quiet" data-testid={`qc-lot-retire-${lot.lotNumber}`} onClick={() => void retire(lot)}>
                          Retire
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {editing === undefined ? (
          <div className="form-actions">
            <button type="button" className="button button--primary" data-testid="qc-lot-add" onClick={() => setEditing('new')}>
              Add a lot
            </button>
          </div>
        ) : (
          <QcLotForm
            key={editing === 'new' ? 'new' : editing.id}
            lot={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(undefined)}
            onSaved={(lot) => {
              store.notify(`Lot ${lot.lotNumber} saved.`, 'ok');
              setEditing(undefined);
              setReload((n) => n + 1);
            }}
          />
        )}
      </section>
      <QcIntervals devices={devices} />
    </>
  );
}
