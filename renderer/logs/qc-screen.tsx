import { ReadingsTable } from '../history/readings-table.tsx';
import { useQuery } from '../history/use-query.ts';
import { errorText } from '../format/words.ts';
import { useHub } from '../state/use-hub.tsx';

/** Control-solution and other QC results: kept apart, never a patient's readings (docs/architecture.md §8 rule 4). */
export function QcScreen(): React.JSX.Element {
  const version = useHub((s) => s.reviewVersion);
  const qc = useQuery('listQc', {}, [version]);
  return (
    <section className="panel" aria-labelledby="qc-title">
      <h2 id="qc-title" className="panel-title">
        QC log
      </h2>
      <p className="panel-hint">Control and calibration results. They never go to a patient's chart.</p>
      {qc.status === 'error' && <p className="form-error">{errorText(qc.error)}</p>}
      {qc.status === 'ok' && qc.value.length === 0 && <p className="empty">No control results yet.</p>}
      {qc.status === 'ok' && qc.value.length > 0 && <ReadingsTable items={qc.value} testIdPrefix="qc" caption="Control results" />}
    </section>
  );
}
