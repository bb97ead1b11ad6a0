import type { Annotation } from '@medplum/fhirtypes';
import type { Reading } from '../../../shared/reading.ts';

/**
 * Plain-language notes for the EHR. Flags (meal markers, clock skew, capture mode…) have no
 * standard code, but a clinician reading the result must still see them, so they travel as
 * `Observation.note` text.
 */

function skewWords(seconds: number): string {
  const abs = Math.abs(seconds);
  const amount = abs >= 3600 ? `${Math.round(abs / 360) / 10} h` : abs >= 60 ? `${Math.round(abs / 60)} min` : `${Math.round(abs)} s`;
  return `${seconds > 0 ? 'behind' : 'ahead of'} the workstation by ${amount}`;
}

/** One device flag in words. Unknown flags are kept, de-hyphenated, rather than dropped. */
export function flagText(flag: string, clock?: Reading['clock']): string {
  if (flag === 'clock-skew') {
    const s = clock?.skewSeconds;
    return s === undefined ? 'The device clock was off.' : `The device clock was ${skewWords(s)}.`;
  }
  if (flag === 'manual-capture') return 'Captured by hand from the device display.';
  if (flag === 'auto-capture') return 'Captured automatically from the device.';
  if (flag === 'meal:before') return 'Marked "before meal" on the device.';
  if (flag === 'meal:after') return 'Marked "after meal" on the device.';
  if (flag === 'meal:fasting') return 'Marked "fasting" on the device.';
  if (flag === 'body-movement') return 'The monitor detected body movement during the measurement.';
  if (flag === 'control-solution') return 'The device marked this as a control-solution test.';
  if (flag.startsWith('comment:')) return `Device comment: ${flag.slice('comment:'.length).replaceAll('-', ' ')}.`;
  return `Device flag: ${flag.replaceAll('-', ' ').replaceAll(':', ': ')}.`;
}

/** Notes for the reading as a whole: "entered by hand" first, then every flag. */
export function readingNotes(reading: Reading, manual: boolean): Annotation[] {
  const texts = reading.flags.map((f) => flagText(f, reading.clock));
  if (manual) texts.unshift('Entered by hand: no device performed this measurement.');
  return texts.map((text) => ({ text }));
}

/** Why an observation has no standard code: a receiver must not mistake it for a coded result. */
export function unmappedNote(label: string, text: string): Annotation {
  return { text: `Not mapped to a standard code by POC Hub: the device reported "${label}" as "${text}".` };
}
