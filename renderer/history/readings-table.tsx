import type { ReviewItem } from '../../shared/api/model.ts';
import { ConvertedNote } from '../components/converted-note.tsx';
import { ExportBadge } from '../export/export-badge.tsx';
import { shownValues } from '../format/blood-pressure.ts';
import { interpretationText } from '../format/observations.ts';
import { REJECT_REASON_TEXT, formatInstant, itemFlags } from '../format/words.ts';

const STATE_TEXT: Readonly<Record<ReviewItem['state'], string>> = { pending: 'Pending', confirmed: 'Confirmed', rejected: 'Rejected' };

/** Readings as a table (History, QC log): time, values, device, state and who decided. */
export function ReadingsTable({ items, testIdPrefix, caption }: { items: readonly ReviewItem[]; testIdPrefix: string; caption: string }): React.JSX.Element {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Values</th>
          <th scope="col">Device</th>
          <th scope="col">State</th>
          <th scope="col">Decided by</th>
          <th scope="col">Flags</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid={`${testIdPrefix}-${item.id}`} data-state={item.state}>
            <td className="cell-time">{formatInstant(item.reading.effectiveTime, true)}</td>
            <td>
              <ul className="cell-values">
                {shownValues(item.reading.observations).map((v, i) => {
                  const interp = interpretationText(v.interpretation);
                  return (
                    <li key={i} className={interp ? `obs--${interp.tone}` : undefined}>
                      {v.name} <strong>{v.value}</strong> {v.unit}
                      <ConvertedNote text={v.converted} />
                      {interp && ` ${interp.symbol} ${interp.text}`}
                      {v.kind === 'unmapped' && ' (unmapped)'}
                    </li>
                  );
                })}
              </ul>
            </td>
            <td>{item.deviceLabel}</td>
            <td>
              <span className={`state state--${item.state}`}>{STATE_TEXT[item.state]}</span>
              {item.rejectReason && <div className="cell-note">{REJECT_REASON_TEXT[item.rejectReason]}</div>}
              {item.rejectNote && <div className="cell-note">{item.rejectNote}</div>}
              {item.export?.map((e) => (
                <ExportBadge key={e.outboxId} readingId={item.id} exp={e} />
              ))}
            </td>
            <td>
              {item.decidedBy?.name ?? '—'}
              {item.decidedAt && <div className="cell-note">{formatInstant(item.decidedAt)}</div>}
            </td>
            <td>{itemFlags(item).map((f) => f.text).join(' · ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
