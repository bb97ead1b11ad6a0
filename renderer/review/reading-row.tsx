import { useId } from 'react';
import type { ReviewItem } from '../../shared/api/model.ts';
import { shownValues } from '../format/blood-pressure.ts';
import { interpretationText, summarize } from '../format/observations.ts';
import { formatInstant, formatLocalTime, itemFlags, patientNamed } from '../format/words.ts';
import { ConvertedNote } from '../components/converted-note.tsx';
import { CheckFlags } from './check-flags.tsx';
import { ProposalNote } from './proposal-note.tsx';

/** More values than this are listed compactly (name and value on one line, two columns). */
export const COMPACT_FROM = 6;

interface ReadingRowProps {
  readonly item: ReviewItem;
  /** The roving tab stop: only the focused row (and its buttons) are in the Tab order. */
  readonly focused: boolean;
  readonly position: number;
  readonly total: number;
  /** Why Confirm is disabled, in words; undefined when it may be confirmed. */
  readonly confirmBlocked: string | undefined;
  /** "Assign to <patient>" when it can be assigned; undefined hides the button. */
  readonly assignLabel: string | undefined;
  /** A label when the reading belongs to someone other than the selected patient. */
  readonly ownerLabel: string | undefined;
  readonly busy: boolean;
  readonly onFocus: () => void;
  readonly onConfirm: () => void;
  readonly onReject: () => void;
  readonly onAssign: () => void;
}

/**
 * One pending reading: its values with units and interpretation, the times, the flags, where it
 * came from, and the three decisions. Fixed structure (every part always rendered) so its
 * height does not change after it appears.
 */
export function ReadingRow(props: ReadingRowProps): React.JSX.Element {
  const { item, focused, confirmBlocked, assignLabel, ownerLabel, busy } = props;
  const titleId = useId();
  const reasonId = useId();
  const reading = item.reading;
  const unassigned = item.patient === undefined;
  const flags = itemFlags(item);
  const tab = focused ? 0 : -1;
  // A blood pressure is one line, systolic/diastolic (mean), as clinicians read it.
  const values = shownValues(reading.observations);
  // A urine strip (10–12 analytes) as a compact two-column list, so it fits in its row.
  const compact = values.length > COMPACT_FROM;
  const source = [reading.device.manufacturer, reading.device.model, reading.device.serial ? `SN ${reading.device.serial}` : undefined].filter(Boolean).join(' ');

  return (
    <div
      role="article"
      data-reading-id={item.id}
      data-testid={`reading-${item.id}`}
      data-state={item.state}
      data-assigned={unassigned ? 'false' : 'true'}
      tabIndex={tab}
      aria-posinset={props.position}
      aria-setsize={props.total}
      aria-labelledby={titleId}
      aria-describedby={confirmBlocked ? reasonId : undefined}
      aria-busy={busy || undefined}
      className={`reading-row${unassigned ? ' reading-row--unassigned' : ''}${ownerLabel ? ' reading-row--other' : ''}`}
      onFocus={props.onFocus}
    >
      <div className="reading-head">
        <span id={titleId} className="visually-hidden">
          {`Reading ${props.position} of ${props.total}: ${summarize(reading.observations)}, from ${item.deviceLabel}${unassigned ? ', unassigned' : ''}${item.manual ? ', entered by hand' : ''}`}
        </span>
        {unassigned && <span className="tag tag--unassigned">Unassigned</span>}
        {/* Every assigned row names its patient (docs/architecture.md §8 rule 2), cut, never wider than the row. */}
        {item.patient && (
          <span className="reading-patient clip" data-testid={`patient-of-${item.id}`} title={patientNamed(item.patient)}>
            {patientNamed(item.patient)}
          </span>
        )}
        {ownerLabel && <span className="tag tag--other">{ownerLabel}</span>}
        {reading.kind !== 'patient' && <span className="tag">{reading.kind}</span>}
        <span className="reading-time">
          Device time <strong>{formatLocalTime(reading.deviceTime, true)}</strong>
        </span>
        <span className="reading-time reading-time--quiet">Received {formatInstant(reading.receivedAt, true)}</span>
      </div>
      <ul className={`obs-list${compact ? ' obs-list--compact' : ''}`} aria-label="Values">
        {values.map((v, i) => {
          const interp = interpretationText(v.interpretation);
          const isUnmapped = v.kind === 'unmapped';
          // Words ("Moderate", "Trace-lysed") get a smaller size than numbers, to fit a column.
          const isWords = v.kind === 'ordinal' || v.kind === 'text';
          return (
            <li key={i} className={`obs${interp ? ` obs--${interp.tone}` : ''}${isUnmapped ? ' obs--unmapped' : ''}${isWords ? ' obs--words' : ''}${v.kind === 'bp' ? ' obs--bp' : ''}`} title={v.title}>
              <span className="obs-name">{v.name}</span>
              <span className="obs-value">{v.value}</span>
              {v.unit && <span className="obs-unit">{v.unit}</span>}
              <ConvertedNote text={v.converted} />
              {interp && (
                <span className="obs-interp">
                  <span aria-hidden="true">{interp.symbol} </span>
                  {interp.text}
                </span>
              )}
              {isUnmapped && <span className="obs-interp obs-interp--unmapped">unmapped</span>}
            </li>
          );
        })}
      </ul>
      <CheckFlags checks={item.checks} id={item.id} />
      <div className="reading-meta">
        <span className="reading-source">{source || item.deviceLabel}</span>
        {flags.length > 0 && (
          <ul className="flags" aria-label="Flags">
            {flags.map((f, i) => (
              <li key={i} className={`flag flag--${f.tone}`}>
                {f.text}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ProposalNote item={item} />
      <div className="reading-actions">
        <button
          type="button"
          className="button button--primary button--confirm"
          tabIndex={tab}
          disabled={confirmBlocked !== undefined || busy}
          aria-describedby={confirmBlocked ? reasonId : undefined}
          data-testid={`confirm-${item.id}`}
          onClick={props.onConfirm}
        >
          <span className="clip" title={item.patient ? `Confirm for ${patientNamed(item.patient)}` : undefined}>
            {item.patient ? `Confirm for ${patientNamed(item.patient)}` : 'Confirm'}
          </span>{' '}
          <kbd aria-hidden="true">Enter</kbd>
        </button>
        <button type="button" className="button" tabIndex={tab} disabled={busy} data-testid={`reject-${item.id}`} onClick={props.onReject}>
          Reject… <kbd aria-hidden="true">R</kbd>
        </button>
        {assignLabel && (
          <button type="button" className="button" tabIndex={tab} disabled={busy} data-testid={`assign-${item.id}`} onClick={props.onAssign}>
            {assignLabel} <kbd aria-hidden="true">A</kbd>
          </button>
        )}
        {confirmBlocked && (
          <span id={reasonId} className="reading-blocked" data-testid={`blocked-${item.id}`}>
            {confirmBlocked}
          </span>
        )}
      </div>
    </div>
  );
}
