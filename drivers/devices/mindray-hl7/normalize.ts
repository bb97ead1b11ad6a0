import { bloodPressurePanel, pulseRate, type PressureUnit } from '../../../shared/blood-pressure.ts';
import type { CatalogKey } from '../../../shared/catalog.ts';
import { observe, quantity, type Observation } from '../../../shared/observation.ts';
import type { UcumCode } from '../../../shared/units.ts';
import type { Hl7Record, ObxRow } from './decode.ts';
import { MDC, MDC_UNIT, PDS_ID, PDS_INVALID } from './protocol.ts';

/** A number as HL7 NM writes it; `decimals` as printed. */
function number(text: string): { value: number; decimals: number } | undefined {
  const m = /^([+-]?\d{1,6})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) return undefined;
  return { value: Number(text.trim()), decimals: m[2]?.length ?? 0 };
}

/** A usable value: a number that is not the PDS "no value" -100 (PROTOCOL.md §3). */
function valueOf(row: ObxRow, dialect: Hl7Record['dialect']): { value: number; decimals: number } | undefined {
  if (row.type !== 'NM') return undefined;
  const n = number(row.value);
  if (n === undefined || (dialect === 'pds' && n.value === PDS_INVALID)) return undefined;
  return n;
}

/** Live values each dialect maps: parameter id → catalog key, UCUM unit and the unit codes accepted for it. */
interface LiveMapping {
  key: CatalogKey;
  unit: UcumCode;
  /** OBX-6.1 values taken as that unit (PDS leaves it empty: the guide's defaults, PROTOCOL.md §3). */
  units: readonly string[];
}
const PDS_LIVE: Readonly<Record<string, LiveMapping>> = {
  [PDS_ID.hr]: { key: 'heartRate', unit: '/min', units: ['', 'bpm'] },
  [PDS_ID.rr]: { key: 'respiratoryRate', unit: '/min', units: ['', 'rpm', 'BrPM'] },
  [PDS_ID.spo2]: { key: 'spo2', unit: '%', units: ['', '%'] },
  [PDS_ID.prSpo2]: { key: 'pulseRateOximeter', unit: '/min', units: ['', 'bpm'] },
  [PDS_ID.t1]: { key: 'bodyTemperature', unit: 'Cel', units: ['', 'C', '°C'] },
};
const PCD_LIVE: Readonly<Record<string, LiveMapping>> = {
  [MDC.hrEcg]: { key: 'heartRate', unit: '/min', units: ['', MDC_UNIT.bpm] },
  [MDC.rr]: { key: 'respiratoryRate', unit: '/min', units: ['', MDC_UNIT.bpm, '264928'] },
  [MDC.spo2]: { key: 'spo2', unit: '%', units: ['', MDC_UNIT.percent] },
  [MDC.prSpo2]: { key: 'pulseRateOximeter', unit: '/min', units: ['', MDC_UNIT.bpm] },
  // Temperature only with the °C unit code stated: the code itself is from memory (PROTOCOL.md §4).
  [MDC.temp]: { key: 'bodyTemperature', unit: 'Cel', units: [MDC_UNIT.degC] },
};

/**
 * The periodic numerics of a message as live observations (PDS 204 rows, PCD-01 rows outside
 * NIBP). Rows with an id we do not map, an unexpected unit or no value are left out of the live
 * view — they never make a reading.
 */
export function liveObservations(record: Hl7Record): Observation[] {
  const table = record.dialect === 'pds' ? PDS_LIVE : PCD_LIVE;
  const out: Observation[] = [];
  for (const row of record.rows) {
    const mapping = table[row.id];
    if (mapping === undefined || (record.dialect === 'pds' && row.aperiodic) || !mapping.units.includes(row.unit)) continue;
    const n = valueOf(row, record.dialect);
    if (n === undefined) continue;
    out.push(observe(mapping.key, quantity(n.value, mapping.unit, undefined, n.decimals > 0 ? n.decimals : undefined)));
  }
  return out;
}

/** One NIBP result found in a message. */
export interface NibpResult {
  /** What makes the result the same one when it is sent again: its measurement time (PROTOCOL.md §3). */
  readonly key: string;
  readonly deviceTime?: string;
  /** The BP panel and the NIBP pulse, or why no reading can be made of the rows. */
  readonly outcome: { ok: true; observations: Observation[] } | { ok: false; reason: string };
}

const NIBP_IDS = {
  pds: { sys: PDS_ID.nibpSys, dia: PDS_ID.nibpDia, mean: PDS_ID.nibpMean, pr: PDS_ID.nibpPr },
  pcd01: { sys: MDC.nibpSys, dia: MDC.nibpDia, mean: MDC.nibpMean, pr: MDC.nibpPr },
} as const;

function pressureUnit(dialect: Hl7Record['dialect'], unit: string): PressureUnit | undefined {
  if (dialect === 'pds') return unit === '' || unit === 'mmHg' ? 'mmHg' : unit === 'kPa' ? 'kPa' : undefined;
  return unit === '' || unit === MDC_UNIT.mmHg ? 'mmHg' : undefined;
}

/**
 * The NIBP results in a message. PDS: only rows marked APERIODIC (message 503) count — the 204
 * numerics repeat the last NIBP every second and would make one measurement many readings.
 * PCD-01: the NIBP codes, grouped by OBX-14. Each group is keyed by its time, so the driver can
 * refuse a resend (PROTOCOL.md §3).
 */
export function nibpResults(record: Hl7Record): NibpResult[] {
  const ids = NIBP_IDS[record.dialect];
  const wanted = new Set<string>([ids.sys, ids.dia, ids.mean, ids.pr]);
  const groups = new Map<string, ObxRow[]>();
  for (const row of record.rows) {
    if (!wanted.has(row.id) || (record.dialect === 'pds' && !row.aperiodic)) continue;
    // A PCD-01 result without OBX-14 is keyed by the message's control id instead.
    const key = row.time ?? (record.dialect === 'pcd01' ? `msg:${record.controlId}` : 'no-time');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, rows]) => ({ key, ...(rows[0]?.time ? { deviceTime: rows[0].time } : {}), outcome: nibpOutcome(record, rows, key) }));
}

function nibpOutcome(record: Hl7Record, rows: readonly ObxRow[], key: string): NibpResult['outcome'] {
  const ids = NIBP_IDS[record.dialect];
  if (key === 'no-time') return { ok: false, reason: 'an aperiodic NIBP row has no measurement time (OBX-14), so a resend could not be told apart' };
  const find = (id: string): ObxRow | undefined => rows.find((r) => r.id === id);
  const sysRow = find(ids.sys);
  const diaRow = find(ids.dia);
  const sys = sysRow && valueOf(sysRow, record.dialect);
  const dia = diaRow && valueOf(diaRow, record.dialect);
  if (!sysRow || !diaRow || !sys || !dia) return { ok: false, reason: 'the NIBP result has no systolic or no diastolic value (-100 or missing)' };
  const unit = pressureUnit(record.dialect, sysRow.unit);
  if (unit === undefined || pressureUnit(record.dialect, diaRow.unit) !== unit) return { ok: false, reason: `the NIBP unit "${sysRow.unit}" is not one this driver knows` };
  const meanRow = find(ids.mean);
  const mean = meanRow && pressureUnit(record.dialect, meanRow.unit) === unit ? valueOf(meanRow, record.dialect) : undefined;
  const observations = [bloodPressurePanel({ systolic: sys.value, diastolic: dia.value, unit, ...(mean ? { mean: mean.value } : {}) })];
  const prRow = find(ids.pr);
  const pr = prRow && valueOf(prRow, record.dialect);
  if (pr) observations.push(pulseRate(pr.value, 'nibp'));
  return { ok: true, observations };
}
