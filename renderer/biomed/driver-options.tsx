import { useState } from 'react';
import { optionProblem, type DriverOptionSpec } from '../../shared/driver-options.ts';
import { optionLabel } from '../format/words.ts';
import { TestCodeMapEditor } from './test-code-map-editor.tsx';
import { defaultNote } from './words.ts';

type Option = DriverOptionSpec;
type Value = number | boolean | string;
/** Option values by key; a key left out means the driver's default. */
export type OptionValues = Readonly<Record<string, Value>>;

interface DriverOptionsProps {
  readonly options: readonly Option[];
  readonly values: OptionValues;
  readonly onChange: (next: OptionValues) => void;
  /** Values the central configuration sets for this driver: they stand in for the driver's defaults. */
  readonly central?: OptionValues | undefined;
}

/**
 * The driver's own settings (e.g. the oximeter's stability window and auto-capture), each with its
 * description, unit and default. Only values that differ from the default are kept, so a port
 * follows the driver's default when a later version changes it. The hub checks ranges and choices
 * again when the port is saved and names the option it refuses.
 */
export function DriverOptions({ options, values, onChange, central }: DriverOptionsProps): React.JSX.Element | null {
  if (options.length === 0) return null;
  // A value equal to the central one is not kept either: the port then follows later central versions.
  const baseline = (option: Option): Value => central?.[option.key] ?? option.default;
  const set = (option: Option, value: Value | undefined): void => {
    const next: Record<string, Value> = { ...values };
    if (value === undefined || value === baseline(option)) delete next[option.key];
    else next[option.key] = value;
    onChange(next);
  };
  return (
    <fieldset className="serial-settings" data-testid="driver-options">
      <legend>Driver options</legend>
      {options.map((o) => (
        <OptionField key={o.key} option={central?.[o.key] === undefined ? o : { ...o, default: baseline(o) }} fromCentral={central?.[o.key] !== undefined} value={values[o.key]} onSet={(v) => set(o, v)} />
      ))}
    </fieldset>
  );
}

function OptionField({ option, value, onSet, fromCentral }: { option: Option; value: Value | undefined; onSet: (v: Value | undefined) => void; fromCentral: boolean }): React.JSX.Element {
  const id = `driver-option-${option.key}`;
  const current = value ?? option.default;
  const changed = value !== undefined;
  const problem = changed ? optionProblem(option, value) : undefined;
  const hint = (
    <>
      <p id={`${id}-hint`} className={`form-hint${changed ? ' serial-changed' : ''}`}>
        {option.description}
        {option.unit ? ` (${option.unit})` : ''}. {defaultNote(changed, String(option.default), fromCentral)}
      </p>
      {problem && (
        <p className="form-error" data-testid={`${id}-problem`}>
          {problem}
        </p>
      )}
    </>
  );
  if (option.type === 'boolean') {
    return (
      <div className="serial-field">
        <span className="checkbox">
          <input id={id} data-testid={id} type="checkbox" checked={current === true} aria-describedby={`${id}-hint`} onChange={(e) => onSet(e.target.checked)} />
          <label htmlFor={id}>{optionLabel(option)}</label>
        </span>
        {hint}
      </div>
    );
  }
  if (option.type === 'string' && option.format === 'test-code-map') {
    return <TestCodeMapEditor id={id} label={optionLabel(option)} value={String(current)} onSet={(text) => onSet(text)} hint={hint} />;
  }
  if (option.type === 'string' && option.choices) {
    return (
      <div className="serial-field">
        <label htmlFor={id}>{optionLabel(option)}</label>
        <select id={id} data-testid={id} value={String(current)} aria-describedby={`${id}-hint`} onChange={(e) => onSet(e.target.value)}>
          {option.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {hint}
      </div>
    );
  }
  return option.type === 'number' ? <NumberField id={id} option={option} current={current} onSet={onSet} hint={hint} /> : (
    <div className="serial-field">
      <label htmlFor={id}>{optionLabel(option)}</label>
      <input id={id} data-testid={id} type="text" value={String(current)} aria-describedby={`${id}-hint`} onChange={(e) => onSet(e.target.value)} />
      {hint}
    </div>
  );
}

/** A number as typed: kept as text while being edited, sent as a number once it is one (empty: the default). */
function NumberField({ id, option, current, onSet, hint }: { id: string; option: Option; current: Value; onSet: (v: Value | undefined) => void; hint: React.JSX.Element }): React.JSX.Element {
  const [text, setText] = useState(String(current));
  return (
    <div className="serial-field">
      <label htmlFor={id}>{optionLabel(option)}</label>
      <input
        id={id}
        data-testid={id}
        type="number"
        inputMode="decimal"
        value={text}
        {...(option.min === undefined ? {} : { min: option.min })}
        {...(option.max === undefined ? {} : { max: option.max })}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim() === '' ? undefined : Number(e.target.value);
          if (n === undefined || Number.isFinite(n)) onSet(n);
        }}
      />
      {hint}
    </div>
  );
}
