import { latin1 } from '../../kit/index.ts';
import { BP_LINE, BP_LINE_TAG, FORMAT5, PATIENT_ID_WIDTH } from './protocol.ts';

/** Which output layout a line was in (PROTOCOL.md §2). */
export type LineFormat = 'format-5' | 'hbp-9020';

/** One measurement line in the monitor's own terms. */
export interface MeasurementRecord {
  readonly format: LineFormat;
  /** Local date and time as printed, `YYYY-MM-DDTHH:MM` (the monitor prints no seconds). */
  readonly deviceTime: string;
  /** The patient ID field with its padding removed; empty when none was entered. */
  readonly patientId: string;
  /** Format 5: the error code (0 = a valid measurement). The 9020 line has no error field: 0. */
  readonly errorCode: number;
  /** Pressures in mmHg and pulse in /min; absent on an error line (printed as spaces). */
  readonly systolic?: number;
  readonly diastolic?: number;
  /** Mean arterial pressure: the 9020 line only. */
  readonly mean?: number;
  readonly pulse?: number;
  /** Format 5 field 10: the monitor saw the arm move during the measurement. */
  readonly bodyMovement: boolean;
  /** The 9020 line's last field, meaning unknown (PROTOCOL.md §2.2); kept for the record. */
  readonly status?: string;
}

export type DecodeResult = { ok: true; record: MeasurementRecord } | { ok: false; reason: string };

const fail = (reason: string): DecodeResult => ({ ok: false, reason });
const DIGITS = /^\d{1,3}$/;
/** Patient IDs: printable ASCII without a comma (the separator), at most the printed width. */
const PATIENT_ID = new RegExp(`^[\\x20-\\x2b\\x2d-\\x7e]{0,${PATIENT_ID_WIDTH}}$`);

function isRealDate(y: number, mo: number, d: number, h: number, mi: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[mo - 1] ?? 0);
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function localTime(y: string, mo: string, d: string, h: string, mi: string): string | undefined {
  const parts = [y, mo, d, h, mi];
  if (!/^\d{4}$/.test(y) || !parts.slice(1).every((p) => /^\d{1,2}$/.test(p))) return undefined;
  const [Y, M, D, H, I] = parts.map(Number) as [number, number, number, number, number];
  if (!isRealDate(Y, M, D, H, I)) return undefined;
  return `${y}-${p2(M)}-${p2(D)}T${p2(H)}:${p2(I)}`;
}

/** Three numbers, all present or all blank (an error line prints spaces, PROTOCOL.md §2.1). */
function values(fields: readonly string[]): number[] | 'blank' | undefined {
  if (fields.every((f) => f === '')) return 'blank';
  if (!fields.every((f) => DIGITS.test(f))) return undefined;
  return fields.map(Number);
}

function decodeFormat5(f: readonly string[]): DecodeResult {
  const at = (i: number): string => (f[i] ?? '').trim();
  const deviceTime = localTime(at(FORMAT5.year), at(FORMAT5.month), at(FORMAT5.day), at(FORMAT5.hour), at(FORMAT5.minute));
  if (deviceTime === undefined) return fail('date or time is not a real one');
  const rawId = f[FORMAT5.patientId] ?? '';
  if (!PATIENT_ID.test(rawId)) return fail('patient ID field is not printable text of at most 20 characters');
  if (!/^\d{1,2}$/.test(at(FORMAT5.error))) return fail('error code is not a number');
  const errorCode = Number(at(FORMAT5.error));
  const movement = at(FORMAT5.movement);
  if (movement !== '0' && movement !== '1') return fail('body-movement flag is not 0 or 1');
  const v = values([at(FORMAT5.systolic), at(FORMAT5.diastolic), at(FORMAT5.pulse)]);
  if (v === undefined) return fail('systolic, diastolic and pulse are not all numbers or all blank');
  if (errorCode === 0 && v === 'blank') return fail('no values on a line without an error code');
  const base = { format: 'format-5' as const, deviceTime, patientId: rawId.trim(), errorCode, bodyMovement: movement === '1' };
  if (errorCode !== 0 || v === 'blank') return { ok: true, record: base };
  const [systolic, diastolic, pulse] = v as [number, number, number];
  return { ok: true, record: { ...base, systolic, diastolic, pulse } };
}

function decodeBpLine(f: readonly string[]): DecodeResult {
  const at = (i: number): string => (f[i] ?? '').trim();
  const date = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(at(BP_LINE.date));
  const time = /^(\d{1,2}):(\d{1,2})$/.exec(at(BP_LINE.time));
  const deviceTime = date && time ? localTime(date[1] ?? '', date[2] ?? '', date[3] ?? '', time[1] ?? '', time[2] ?? '') : undefined;
  if (deviceTime === undefined) return fail('date or time is not a real one');
  const rawId = f[BP_LINE.patientId] ?? '';
  if (!PATIENT_ID.test(rawId)) return fail('patient ID field is not printable text of at most 20 characters');
  const status = at(BP_LINE.status);
  if (!/^\w{1,4}$/.test(status)) return fail('status field is not a short code');
  const v = values([at(BP_LINE.systolic), at(BP_LINE.mean), at(BP_LINE.diastolic), at(BP_LINE.pulse)]);
  if (v === undefined || v === 'blank') return fail('systolic, mean, diastolic and pulse are not all numbers');
  const [systolic, mean, diastolic, pulse] = v as [number, number, number, number];
  return {
    ok: true,
    record: { format: 'hbp-9020', deviceTime, patientId: rawId.trim(), errorCode: 0, systolic, mean, diastolic, pulse, bodyMovement: false, status },
  };
}

/**
 * One line (terminator removed) → a measurement record, or why it is not one. The layout is
 * chosen by the first field (`bp` → HBP-9020, PROTOCOL.md §2.2) and the field count; widths are
 * not enforced beyond the patient ID, since only the positions are certain (PROTOCOL.md §2.1).
 * Never throws.
 */
export function decodeLine(raw: Uint8Array): DecodeResult {
  const text = latin1(raw);
  if (/[^\x20-\x7e]/.test(text)) return fail('line holds bytes that are not printable ASCII');
  const fields = text.split(',');
  if ((fields[0] ?? '').trim() === BP_LINE_TAG) {
    return fields.length === BP_LINE.count ? decodeBpLine(fields) : fail(`a bp line has ${BP_LINE.count} fields, this one ${fields.length}`);
  }
  if (fields.length !== FORMAT5.count) return fail(`a format-5 line has ${FORMAT5.count} fields, this one ${fields.length}`);
  return decodeFormat5(fields);
}
