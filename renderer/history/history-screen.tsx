import { useMemo, useState } from 'react';
import { errorText, patientText } from '../format/words.ts';
import { useHub } from '../state/use-hub.tsx';
import { buildFlowsheet } from './flowsheet.ts';
import { FlowsheetLegend, FlowsheetTable } from './flowsheet-table.tsx';
import { ReadingsTable } from './readings-table.tsx';
import { buildTrends } from './trend.ts';
import { TrendChart } from './trend-chart.tsx';
import { useQuery } from './use-query.ts';

/**
 * The selected patient's history as a flowsheet (docs/architecture.md §8, History): the grid of
 * values by time, trends of confirmed vitals and glucose with their reference bands, and every
 * reading as a list with its device, decision and export state.
 */
export function HistoryScreen(): React.JSX.Element {
  const patient = useHub((s) => s.state?.patient);
  const version = useHub((s) => s.reviewVersion);
  const history = useQuery('getHistory', patient ? { mrn: patient.mrn } : undefined, [version]);
  const [showRejected, setShowRejected] = useState(false);
  const items = history.status === 'ok' ? history.value : [];
  const sheet = useMemo(() => buildFlowsheet(items, { showRejected }), [items, showRejected]);
  const rejected = useMemo(() => items.filter((i) => i.state === 'rejected').length, [items]);
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
      {history.status === 'ok' && items.length === 0 && <p className="empty">No readings for this patient yet.</p>}
      {items.length > 0 && (
        <>
          <div className="fs-tools">
            <h3 className="fs-heading">Flowsheet, newest first</h3>
            {rejected > 0 && (
              <label className="fs-toggle">
                <input type="checkbox" data-testid="flowsheet-show-rejected" checked={showRejected} onChange={(e) => setShowRejected(e.target.checked)} />
                Show rejected readings ({rejected}), struck through
              </label>
            )}
          </div>
          {sheet.columns.length > 0 ? (
            <FlowsheetTable sheet={sheet} caption={`Values of ${patientText(patient)} by measurement time, newest first`} />
          ) : (
            <p className="empty">Only rejected readings so far: show them above.</p>
          )}
          <FlowsheetLegend />
        </>
      )}
      {trends.length > 0 && (
        <>
          <h3 className="fs-heading">Trends of confirmed values</h3>
          <div className="trend-grid" aria-label="Trends (confirmed readings)" role="group">
            {trends.map((t) => (
              <TrendChart key={t.id} trend={t} />
            ))}
          </div>
        </>
      )}
      {items.length > 0 && (
        <details className="fs-details">
          <summary>Every reading as a list: device, state, who decided, export</summary>
          <ReadingsTable items={items} testIdPrefix="history" caption={`Readings of ${patientText(patient)}, newest first`} />
        </details>
      )}
    </section>
  );
}
