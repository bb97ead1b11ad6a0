import { useMemo } from 'react';
import { errorText, patientText } from '../format/words.ts';
import { useHub } from '../state/use-hub.tsx';
import { ReadingsTable } from './readings-table.tsx';
import { buildTrends } from './trend.ts';
import { TrendChart } from './trend-chart.tsx';
import { useQuery } from './use-query.ts';

/** The selected patient's readings over time (every state), with trends of vitals and glucose. */
export function HistoryScreen(): React.JSX.Element {
  const patient = useHub((s) => s.state?.patient);
  const version = useHub((s) => s.reviewVersion);
  const history = useQuery('getHistory', patient ? { mrn: patient.mrn } : undefined, [version]);
  const items = history.status === 'ok' ? history.value : [];
  const trends = useMemo(() => buildTrends(items), [items]);

  if (!patient) {
    return (
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title" className="panel-title">
          History
        </h2>
        <p className="empty">Select a patient on the Review screen to see their history.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title" className="panel-title">
        History of {patientText(patient)}
      </h2>
      {history.status === 'error' && <p className="form-error">{errorText(history.error)}</p>}
      {history.status === 'loading' && <p className="empty">Loading…</p>}
      {trends.length > 0 && (
        <div className="trend-grid" aria-label="Trends (confirmed readings)" role="group">
          {trends.map((t) => (
            <TrendChart key={t.id} trend={t} />
          ))}
        </div>
      )}
      {history.status === 'ok' && items.length === 0 && <p className="empty">No readings for this patient yet.</p>}
      {items.length > 0 && <ReadingsTable items={items} testIdPrefix="history" caption={`Readings of ${patientText(patient)}, newest first`} />}
    </section>
  );
}
