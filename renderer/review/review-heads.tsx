import type { AgeFilter, ReviewFilters } from './rows.ts';

interface SectionHeadProps {
  readonly section: string;
  readonly label: string;
  readonly count: number;
  readonly collapsed: boolean;
  readonly onToggle: () => void;
}

/** Whose readings follow ("Unassigned (7)"), and a button that opens or closes the section. */
export function SectionHead({ section, label, count, collapsed, onToggle }: SectionHeadProps): React.JSX.Element {
  return (
    <h3 className={`section-head section-head--${section.split(':')[0] ?? section}`}>
      <button type="button" className="section-toggle" aria-expanded={!collapsed} data-testid={`section-${section}`} onClick={onToggle}>
        <span aria-hidden="true" className="section-caret">
          {collapsed ? '▸' : '▾'}
        </span>{' '}
        <span data-testid={`section-label-${section}`}>{`${label} (${count})`}</span>
      </button>
    </h3>
  );
}

interface DeviceHeadProps {
  readonly testId: string;
  readonly deviceKey: string;
  readonly label: string;
  readonly total: number;
  /** Readings of this device the hub would confirm for the selected patient. */
  readonly confirmable: number;
  readonly onConfirmAll: () => void;
}

/**
 * A device's heading inside a section. "Confirm all N" appears only when there is something to
 * confirm, and N is what the hub would confirm: a button promising 0 is never shown.
 */
export function DeviceHead({ testId, deviceKey, label, total, confirmable, onConfirmAll }: DeviceHeadProps): React.JSX.Element {
  return (
    <>
      <h4 className="group-title" title={label}>
        {label} <span className="group-count">({total} pending)</span>
      </h4>
      {confirmable > 0 && (
        <button type="button" className="button button--small" data-testid={`confirm-device-${deviceKey}`} data-count={confirmable} onClick={onConfirmAll} data-group={testId}>
          {confirmable === 1 ? 'Confirm 1 from this device' : `Confirm all ${confirmable} from this device`}
        </button>
      )}
    </>
  );
}

interface FilterBarProps {
  /** Shown first on the same line (the list's title). */
  readonly heading?: React.ReactNode;
  readonly filters: ReviewFilters;
  readonly devices: readonly { key: string; label: string }[];
  /** Readings the filters hide right now. */
  readonly hidden: number;
  readonly onChange: (next: ReviewFilters) => void;
}

const AGE_TEXT: Readonly<Record<AgeFilter, string>> = { hour: 'Last hour', today: 'Today', all: 'Any age' };

/** Narrow the list to one device and/or recent readings; says how many it hides. */
export function FilterBar({ heading, filters, devices, hidden, onChange }: FilterBarProps): React.JSX.Element {
  return (
    <div className="review-filters">
      {heading}
      <span className="review-filter-controls" role="group" aria-label="Filter pending readings">
        <label>
          Device{' '}
          <select
            data-testid="review-filter-device"
            value={filters.device ?? ''}
            onChange={(e) => onChange({ ...filters, device: e.target.value === '' ? undefined : e.target.value })}
          >
            <option value="">All devices</option>
            {devices.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Age{' '}
          <select data-testid="review-filter-age" value={filters.age} onChange={(e) => onChange({ ...filters, age: e.target.value as AgeFilter })}>
            {(Object.keys(AGE_TEXT) as AgeFilter[]).map((a) => (
              <option key={a} value={a}>
                {AGE_TEXT[a]}
              </option>
            ))}
          </select>
        </label>
      </span>
      <span className="review-hidden" data-testid="review-hidden" aria-live="polite">
        {hidden > 0 ? `${hidden} hidden by the filters` : ''}
      </span>
    </div>
  );
}
