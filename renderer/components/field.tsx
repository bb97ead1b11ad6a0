import { LimitNote } from './limit-note.tsx';

interface FieldProps {
  /** The input's id, also its test id. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  /** Why the value was refused (by this page or by the hub): shown under the field and read with it. */
  readonly error?: string;
  /** The schema's limit (shared/api/input-limits.ts), stated under the field. */
  readonly max?: number;
  readonly numeric?: boolean;
  readonly disabled?: boolean;
  /** Several lines (one value a line). */
  readonly multiline?: boolean;
}

/**
 * A labelled text input with its hint, limit and refusal tied to it by aria-describedby, and
 * aria-invalid while refused, so a screen reader says what is wrong on reaching the field.
 */
export function Field({ id, label, value, onChange, hint, error, max, numeric = false, disabled = false, multiline = false }: FieldProps): React.JSX.Element {
  const described = [error ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined, max === undefined ? undefined : `${id}-limit`].filter(Boolean).join(' ');
  const common = {
    id,
    'data-testid': id,
    value,
    disabled,
    autoComplete: 'off',
    spellCheck: false,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
  } as const;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} inputMode={numeric ? 'numeric' : undefined} onChange={(e) => onChange(e.target.value)} />
      )}
      {error && (
        <p id={`${id}-error`} className="form-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
      {max !== undefined && <LimitNote id={`${id}-limit`} field={label} value={value} max={max} testId={`${id}-limit`} />}
      {hint && (
        <p id={`${id}-hint`} className="form-hint">
          {hint}
        </p>
      )}
    </>
  );
}
