import { limitText, tooLongText } from '../../shared/api/input-limits.ts';

/**
 * The length a field's value will be checked at: trimmed, as the contract's schema trims before it
 * counts (and as the forms send it).
 */
const lengthOf = (value: string, trim: boolean): number => (trim ? value.trim().length : value.length);

/**
 * Why a text field's value is too long, in words ("MRN: at most 64 characters."), or undefined.
 * Forms check it before sending: more is refused with this message, never cut silently (an
 * input's `maxLength` would cut a scan or a paste without a word).
 */
export function overLimit(field: string, value: string, max: number, trim = true): string | undefined {
  return lengthOf(value, trim) > max ? tooLongText(field, max) : undefined;
}

interface LimitNoteProps {
  /** The id the input's aria-describedby points at. */
  readonly id: string;
  /** The field in words, as the refusal names it ("MRN", "Note"). */
  readonly field: string;
  readonly value: string;
  readonly max: number;
  readonly trim?: boolean;
  readonly testId?: string;
}

/** Under a text field: its limit ("At most 64 characters."), or the refusal once more was typed. */
export function LimitNote({ id, field, value, max, trim = true, testId }: LimitNoteProps): React.JSX.Element {
  const over = overLimit(field, value, max, trim);
  return (
    <span id={id} className={over ? 'field-limit field-limit--over' : 'field-limit'} data-testid={testId} data-over={over ? 'true' : undefined} aria-live="polite">
      {over ? `${over} Now ${lengthOf(value, trim)}.` : limitText(max)}
    </span>
  );
}
