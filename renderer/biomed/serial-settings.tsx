import type { PortSettings } from '../../shared/api/ports-model.ts';
import { FLOW_TEXT, PARITY_TEXT, defaultNote } from './words.ts';

const BAUD_RATES = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
const DATA_BITS = [5, 6, 7, 8] as const;
const STOP_BITS = [1, 1.5, 2] as const;
const PARITIES = Object.keys(PARITY_TEXT) as PortSettings['parity'][];
const FLOWS = Object.keys(FLOW_TEXT) as PortSettings['flowControl'][];

interface SerialSettingsProps {
  readonly settings: PortSettings;
  /** The driver's defaults, named beside each field so a changed value stands out. */
  readonly defaults: PortSettings | undefined;
  readonly onChange: (next: PortSettings) => void;
}

/** One labelled choice; the value is looked up in `options`, so only the schema's values are sent. */
function Choice<T extends string | number>({
  name,
  label,
  value,
  options,
  text,
  fallback,
  onPick,
}: {
  name: keyof PortSettings;
  label: string;
  value: T;
  options: readonly T[];
  text: (v: T) => string;
  fallback: T | undefined;
  onPick: (v: T) => void;
}): React.JSX.Element {
  const id = `port-setting-${name}`;
  const changed = fallback !== undefined && fallback !== value;
  return (
    <div className="serial-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={id}
        value={String(value)}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const chosen = options.find((o) => String(o) === e.target.value);
          if (chosen !== undefined) onPick(chosen);
        }}
      >
        {options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {text(o)}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className={`form-hint${changed ? ' serial-changed' : ''}`}>
        {fallback === undefined ? '' : defaultNote(changed, text(fallback))}
      </p>
    </div>
  );
}

/** Baud rate, data bits, parity, stop bits and flow control, prefilled with the driver's defaults. */
export function SerialSettings({ settings, defaults, onChange }: SerialSettingsProps): React.JSX.Element {
  const set = <K extends keyof PortSettings>(key: K, value: PortSettings[K]): void => onChange({ ...settings, [key]: value });
  // A device may use a rate outside the usual list: keep it choosable.
  const bauds = [...new Set<number>([...BAUD_RATES, settings.baudRate, ...(defaults ? [defaults.baudRate] : [])])].sort((a, b) => a - b);
  return (
    <fieldset className="serial-settings">
      <legend>Serial line settings</legend>
      <Choice name="baudRate" label="Baud rate" value={settings.baudRate} options={bauds} text={String} fallback={defaults?.baudRate} onPick={(v) => set('baudRate', v)} />
      <Choice name="dataBits" label="Data bits" value={settings.dataBits} options={DATA_BITS} text={String} fallback={defaults?.dataBits} onPick={(v) => set('dataBits', v)} />
      <Choice name="parity" label="Parity" value={settings.parity} options={PARITIES} text={(v) => PARITY_TEXT[v]} fallback={defaults?.parity} onPick={(v) => set('parity', v)} />
      <Choice name="stopBits" label="Stop bits" value={settings.stopBits} options={STOP_BITS} text={String} fallback={defaults?.stopBits} onPick={(v) => set('stopBits', v)} />
      <Choice
        name="flowControl"
        label="Flow control"
        value={settings.flowControl}
        options={FLOWS}
        text={(v) => FLOW_TEXT[v]}
        fallback={defaults?.flowControl}
        onPick={(v) => set('flowControl', v)}
      />
    </fieldset>
  );
}
