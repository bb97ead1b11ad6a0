import { memo } from 'react';
import type { TraceEntry } from '../../shared/api/ports-model.ts';
import { CHECKSUM_TEXT, DIRECTION_TEXT, FRAME_TEXT, traceTime } from './words.ts';

/** One trace entry: time, direction in words, hex and text side by side, frame kind and checksum. */
export const TraceRow = memo(function TraceRow({ entry }: { entry: TraceEntry }): React.JSX.Element {
  const dir = DIRECTION_TEXT[entry.direction];
  const frame = entry.frame;
  return (
    <tr className={`trace-row trace-row--${entry.direction}`} data-testid="trace-row" data-seq={entry.seq} data-direction={entry.direction} data-frame={frame?.kind ?? ''} data-checksum={frame?.checksum ?? ''}>
      <td className="trace-time">{traceTime(entry.at)}</td>
      <td className="trace-dir" title={dir.long}>
        <span aria-hidden="true">{dir.arrow} </span>
        {dir.words}
      </td>
      <td className="trace-hex">
        <code>{entry.hex}</code>
      </td>
      <td className="trace-text">
        <code>{entry.text}</code>
      </td>
      <td className="trace-frame">
        {frame ? (
          <>
            <span className="trace-kind">{FRAME_TEXT[frame.kind]}</span>
            {frame.checksum !== 'none' && <span className={`trace-checksum trace-checksum--${frame.checksum}`}>{CHECKSUM_TEXT[frame.checksum]}</span>}
            {frame.note && <span className="cell-note">{frame.note}</span>}
          </>
        ) : (
          <span className="cell-note">Bytes</span>
        )}
      </td>
    </tr>
  );
});
