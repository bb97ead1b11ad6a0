import { ConvertedNote } from '../components/converted-note.tsx';
import type { Flowsheet, FlowsheetColumn, FlowsheetEntry } from './flowsheet.ts';
import { MARK_VIEW } from './value-marks.ts';

/**
 * One value in a cell: the number, its mark in symbol and words, and its state when not confirmed.
 * It carries its reading's id (and its cell the column's minute), so a value can be traced back
 * to the reading it came from — by a support person in the page's inspector, and by the tests.
 */
function Entry({ entry, column }: { entry: FlowsheetEntry; column: FlowsheetColumn }): React.JSX.Element {
  const view = MARK_VIEW[entry.mark];
  const words = [view.text, entry.state === 'confirmed' ? '' : entry.state].filter(Boolean).join(', ');
  return (
    <span
      className={`fs-value fs-value--${view.level} fs-state--${entry.state}`}
      data-reading-id={entry.readingId}
      data-mark={entry.mark}
      data-state={entry.state}
      title={`${entry.time} · ${entry.detail}${view.text ? ` · ${view.text}` : ''}`}
    >
      {column.seconds && <span className="fs-sec">{entry.time}</span>}
      {entry.state === 'rejected' ? <del>{entry.text}</del> : <strong>{entry.text}</strong>}
      <ConvertedNote text={entry.converted} />
      {view.symbol && (
        <span className="fs-mark" aria-hidden="true">
          {view.symbol}
        </span>
      )}
      {words && <span className="fs-words">{words}</span>}
    </span>
  );
}

/**
 * The flowsheet grid: time columns (newest first), a heading row per group (Vital signs, Blood,
 * Urinalysis), one row per measurement with its unit once. Scrolls sideways inside its own box,
 * so a long history never widens the page.
 */
export function FlowsheetTable({ sheet, caption }: { sheet: Flowsheet; caption: string }): React.JSX.Element {
  const width = sheet.columns.length + 1;
  return (
    <div className="flowsheet-scroll" role="region" aria-label="Flowsheet" tabIndex={0}>
      <table className="flowsheet" data-testid="flowsheet">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="fs-corner">
              Measured at
            </th>
            {sheet.columns.map((c) => (
              <th key={c.key} scope="col" className="fs-col" data-testid={`flowsheet-col-${c.key}`}>
                <span className="fs-date">{c.date}</span>
                <span className="fs-time">{c.time}</span>
              </th>
            ))}
          </tr>
        </thead>
        {sheet.groups.map((g) => (
          <tbody key={g.title}>
            <tr className="fs-group">
              <th scope="rowgroup" colSpan={width}>
                {g.title}
              </th>
            </tr>
            {g.rows.map((r) => (
              <tr key={r.id} data-testid={`flowsheet-row-${r.id}`}>
                <th scope="row" className="fs-name">
                  {r.label}
                  {r.unit && <span className="fs-unit"> ({r.unit})</span>}
                </th>
                {sheet.columns.map((c) => (
                  <td key={c.key} className="fs-cell" data-col={c.key}>
                    {(r.cells[c.key] ?? []).map((e) => (
                      <Entry key={`${e.readingId}-${e.text}`} entry={e} column={c} />
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** What the marks mean, in words. */
export function FlowsheetLegend(): React.JSX.Element {
  return (
    <ul className="fs-legend" aria-label="What the marks mean" data-testid="flowsheet-legend">
      <li>
        <span className="fs-value fs-value--abnormal">▲ High ▼ Low ! Abnormal</span> outside the reference range, or flagged by the device
      </li>
      <li>
        <span className="fs-value fs-value--critical">▲▲ Critically high ▼▼ Critically low</span> outside the critical limits: act now
      </li>
      <li>
        <span className="fs-value fs-value--impossible">✕ Impossible value</span> outside what can be measured: cannot be confirmed as it is
      </li>
      <li>
        <span className="fs-value fs-state--pending">pending</span> not yet confirmed; <del>rejected</del> values appear only when shown
      </li>
    </ul>
  );
}
