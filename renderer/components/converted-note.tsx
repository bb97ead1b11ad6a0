import { CONVERTED_TITLE } from '../format/converted.ts';

/**
 * The other unit after a device's value, "(78.2 kg)": quieter than the value and marked as
 * converted (a tooltip, and words for a screen reader), so the device's own value and unit
 * stay the ones read first.
 */
export function ConvertedNote({ text }: { text: string | undefined }): React.JSX.Element | null {
  if (text === undefined) return null;
  return (
    <span className="obs-converted" title={CONVERTED_TITLE} data-testid="converted">
      {' '}
      ({text}
      <span className="visually-hidden">, converted</span>)
    </span>
  );
}
