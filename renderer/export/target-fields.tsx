import { Field } from '../components/field.tsx';
import type { DraftField, TargetDraft } from './target-draft.ts';

/** Sets one field of the draft. */
export type SetField = <K extends DraftField>(field: K, value: TargetDraft[K]) => void;

type TextKey = { [K in DraftField]: TargetDraft[K] extends string ? K : never }[DraftField];

interface FieldBase<K extends DraftField> {
  readonly field: K;
  readonly label: string;
  readonly hint?: string;
  readonly draft: TargetDraft;
  readonly set: SetField;
}

// One form is shown at a time, so the field's name is enough for its id (and the tests' handle).
const idOf = (field: DraftField): string => `target-field-${field}`;

/**
 * A labelled text input, its hint read with it; `max` (the schema's limit, shared/api/input-limits.ts)
 * is stated under it, and more is refused when the draft is checked — never cut silently.
 */
export function TextField({
  field,
  label,
  hint,
  draft,
  set,
  numeric = false,
  disabled = false,
  max,
}: FieldBase<TextKey> & { readonly numeric?: boolean; readonly disabled?: boolean; readonly max?: number }): React.JSX.Element {
  return <Field id={idOf(field)} label={label} value={draft[field]} onChange={(v) => set(field, v)} hint={hint} max={max} numeric={numeric} disabled={disabled} />;
}

type ChoiceKey = 'authType' | 'alg' | 'profile' | 'processingId' | 'format';

/** A labelled choice among the schema's values. */
export function SelectField<K extends ChoiceKey>({
  field,
  label,
  hint,
  draft,
  set,
  options,
}: FieldBase<K> & { readonly options: ReadonlyArray<{ readonly value: TargetDraft[K]; readonly text: string }> }): React.JSX.Element {
  const id = idOf(field);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={id}
        value={draft[field]}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const chosen = options.find((o) => o.value === e.target.value);
          if (chosen) set(field, chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="form-hint">
          {hint}
        </p>
      )}
    </>
  );
}

/** A duration's hint: typed in milliseconds (as the hub stores it), shown in seconds for a quick check. */
export function msHint(text: string, what: string): string {
  const ms = Number(text);
  return text.trim() !== '' && Number.isFinite(ms) ? `${what} ${text} ms is ${ms / 1000} s.` : what;
}
