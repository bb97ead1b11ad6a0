import type { ApiError, Patient, RejectReason, ReviewItem } from '../../shared/api/model.ts';
import type { Reading } from '../../shared/reading.ts';

/** The contract's reject reasons in the assistant's words. */
export const REJECT_REASON_TEXT: Readonly<Record<RejectReason, string>> = {
  'wrong-patient': 'Wrong patient',
  'measurement-error': 'Measurement error (movement, cuff, sample)',
  'device-error': 'Device error',
  duplicate: 'Duplicate',
  'test-or-training': 'Test or training',
  other: 'Other (describe below)',
};

type FlagTone = 'clock' | 'sensor' | 'alarm' | 'manual' | 'info';
interface FlagView {
  readonly text: string;
  readonly tone: FlagTone;
}

const SENSOR = /^(exception1?:|sensor-|probe|low-perfusion|checksum-error|device-error|measurement-error)/;

function skewText(clock: Reading['clock']): string {
  const s = clock?.skewSeconds;
  if (s === undefined) return 'Device clock is off';
  const abs = Math.abs(s);
  const amount = abs >= 3600 ? `${Math.round(abs / 360) / 10} h` : abs >= 60 ? `${Math.round(abs / 60)} min` : `${Math.round(abs)} s`;
  return `Device clock ${s > 0 ? 'behind' : 'ahead'} by ${amount}`;
}

/** A device flag in plain words, with the kind of attention it needs; `clock` words the skew. */
export function describeFlag(flag: string, clock?: Reading['clock']): FlagView {
  if (flag === 'clock-skew') return { text: skewText(clock), tone: 'clock' };
  if (flag === 'clock-off' || flag === 'meter-clock-unset') return { text: 'Device clock not set', tone: 'clock' };
  if (flag.startsWith('alarm:')) return { text: `Alarm: ${flag.slice('alarm:'.length).replaceAll('-', ' ')}`, tone: 'alarm' };
  if (SENSOR.test(flag)) return { text: `Sensor problem: ${flag.replace(/^exception1?:/, '').replaceAll('-', ' ')}`, tone: 'sensor' };
  // A BP monitor saw the arm move: the value may be off, so it asks for the same attention as a sensor problem.
  if (flag === 'body-movement') return { text: 'Arm moved during the measurement: consider measuring again', tone: 'sensor' };
  if (flag === 'control-solution') return { text: 'Control solution', tone: 'info' };
  if (flag === 'manual-capture') return { text: 'Captured by hand', tone: 'info' };
  if (flag === 'auto-capture') return { text: 'Captured automatically', tone: 'info' };
  return { text: flag.replaceAll('-', ' ').replaceAll(':', ': '), tone: 'info' };
}

/** Every flag of a review item, including "entered by hand" for manual entries. */
export function itemFlags(item: ReviewItem): FlagView[] {
  const flags = item.reading.flags.map((f) => describeFlag(f, item.reading.clock));
  if (item.manual) flags.unshift({ text: 'Entered by hand', tone: 'manual' });
  return flags;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `1980-03-14` → `14 Mar 1980`: month in letters so day and month cannot be swapped. */
export function formatBirthDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Age in whole years on `today`. */
export function ageYears(iso: string, today: Date = new Date()): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  let age = today.getFullYear() - Number(m[1]);
  const beforeBirthday = today.getMonth() + 1 < Number(m[2]) || (today.getMonth() + 1 === Number(m[2]) && today.getDate() < Number(m[3]));
  if (beforeBirthday) age -= 1;
  return age;
}

/**
 * The MRN with its label once: `MRN 123`, but `MRN-20418` as it is — a record number that
 * already carries the prefix is not labelled twice ("MRN MRN-20418").
 */
export function mrnText(mrn: string): string {
  return /^mrn/i.test(mrn) ? mrn : `MRN ${mrn}`;
}

/** The patient in one line, both identifiers: "MRN 123 · Jane Doe · DOB 14 Mar 1980". */
export function patientText(p: Patient): string {
  const parts = [mrnText(p.mrn)];
  if (p.name) parts.push(p.name);
  if (p.birthDate) parts.push(`DOB ${formatBirthDate(p.birthDate)}`);
  return parts.join(' · ');
}

/** The patient as a row or button names them: "Jane Doe (MRN 12345)", or "MRN 12345" with no name on file. */
export function patientNamed(p: Pick<Patient, 'mrn' | 'name'>): string {
  return p.name === undefined ? mrnText(p.mrn) : `${p.name} (${mrnText(p.mrn)})`;
}

/** The patient as a short name for buttons: the name, or the MRN. */
export function patientShort(p: Patient): string {
  return p.name ?? mrnText(p.mrn);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A device local time (`YYYY-MM-DDTHH:MM[:SS]`) as shown: `14 Jan 2026 08:30`, or with
 * `seconds` `14 Jan 2026 08:30:12` (where two readings can share a minute; a device that sends
 * no seconds shows none rather than an invented `:00`).
 */
export function formatLocalTime(local: string | undefined, seconds = false): string {
  if (!local) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return local;
  const sec = seconds && m[6] !== undefined ? `:${m[6]}` : '';
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]} ${m[4]}:${m[5]}${sec}`;
}

/** An instant (ISO with offset) in the workstation's zone: `14 Jan 2026 08:30:12`. */
export function formatInstant(iso: string | undefined, seconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${time}`;
}

/** An API error in plain words for the person at the screen. */
export function errorText(error: ApiError): string {
  switch (error.code) {
    case 'INPUT_INVALID':
      return `Please check what you entered: ${error.message}`;
    case 'PROTOCOL_UNEXPECTED':
    case 'TRANSPORT_CLOSED':
    default:
      return error.message;
  }
}

/**
 * A driver option's name for people: its label, or for a driver that gives none its key in
 * words (`stabilityWindowSeconds` → "Stability window seconds"), never the camelCase key.
 */
export function optionLabel(option: { key: string; label?: string | undefined }): string {
  if (option.label) return option.label;
  const words = option.key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
