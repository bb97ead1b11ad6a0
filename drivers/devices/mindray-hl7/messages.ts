import { PDS_KEEPALIVE_TEXT } from './protocol.ts';

/** HL7 DTM `yyyyMMddHHmmss` of `epochMs` in the simulated monitor's local time. */
export function dtm(epochMs: number): string {
  const t = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}${p(t.getMonth() + 1)}${p(t.getDate())}${p(t.getHours())}${p(t.getMinutes())}${p(t.getSeconds())}`;
}

/** Numerics a simulated monitor shows. `-100` in PDS means "no value" (PROTOCOL.md §2.1). */
export interface Numerics {
  readonly hr: number;
  readonly rr: number;
  readonly spo2: number;
  readonly pr: number;
  readonly temp: string;
}

/** An NIBP result as the monitor reports it. */
export interface Nibp {
  readonly sys: number;
  readonly dia: number;
  readonly mean: number;
  readonly pr: number;
  /** Measurement time, HL7 DTM. */
  readonly at: string;
}

/** The PDS periodic numerics message (MSH-10 = 204), with a PID and the PV1 of a bed (PROTOCOL.md §2.1). */
export function pds204(n: Numerics): string {
  return [
    'MSH|^~\\&|||||||ORU^R01|204|P|2.3.1|',
    'PID|||M0042||DOE^JANE||19700101|F',
    'PV1||I|^^ICU&1&3232237756&4601&&1|||||||||||||||A|||',
    'OBR||||Mindray Monitor|||0|',
    `OBX||NM|101^HR|2101|${n.hr}||||||F`,
    `OBX||NM|151^RR|2102|${n.rr}||||||F`,
    `OBX||NM|160^SpO2|2103|${n.spo2}||||||F`,
    `OBX||NM|161^PR|2103|${n.pr}||||||F`,
    `OBX||NM|200^T1|2104|${n.temp}||||||F`,
    'OBX||NM|202^TD|2104|-100.00||||||F',
    '',
  ].join('\r');
}

/** The PDS aperiodic NIBP result (MSH-10 = 503): four rows keyed by the measurement time. */
export function pds503(b: Nibp): string {
  const row = (id: string, label: string, v: number): string => `OBX||NM|${id}^${label}|2105|${v}||||||F||APERIODIC|${b.at}`;
  return ['MSH|^~\\&|||||||ORU^R01|503|P|2.3.1|', row('170', 'Sys', b.sys), row('171', 'Dia', b.dia), row('172', 'Mean', b.mean), row('173', 'PR', b.pr), ''].join('\r');
}

/** The keep-alive a PDS client sends (the simulator recognises it). */
export const KEEPALIVE_TEXT = PDS_KEEPALIVE_TEXT;

const PCD_MSH = (id: string, at: string): string =>
  `MSH|^~\\&|MINDRAY_EGATEWAY^00A03700273EDE18^EUI-64|MINDRAY|||${at}||ORU^R01^ORU_R01|${id}|P|2.6|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO`;

/** A PCD-01 ORU^R01 (HL7 2.6) with numerics and, when given, an NIBP result (PROTOCOL.md §2.2). */
export function pcd01Oru(id: string, at: string, n: Numerics, nibp?: Nibp): string {
  const obx: string[] = [];
  const add = (code: string, ref: string, value: number | string, unit: string, time: string): void => {
    obx.push(`OBX|${obx.length + 1}|NM|${code}^${ref}^MDC|1.3.1.${code}|${value}|${unit}|||||R|||${time}`);
  };
  add('150456', 'MDC_PULS_OXIM_SAT_O2', n.spo2, '262688^MDC_DIM_PERCENT^MDC', at);
  add('149530', 'MDC_PULS_OXIM_PULS_RATE', n.pr, '264864^MDC_DIM_BEAT_PER_MIN^MDC', at);
  add('147842', 'MDC_ECG_HEART_RATE', n.hr, '264864^MDC_DIM_BEAT_PER_MIN^MDC', at);
  if (nibp) {
    add('150021', 'MDC_PRESS_BLD_NONINV_SYS', nibp.sys, '266016^MDC_DIM_MMHG^MDC', nibp.at);
    add('150022', 'MDC_PRESS_BLD_NONINV_DIA', nibp.dia, '266016^MDC_DIM_MMHG^MDC', nibp.at);
    add('150023', 'MDC_PRESS_BLD_NONINV_MEAN', nibp.mean, '266016^MDC_DIM_MMHG^MDC', nibp.at);
    add('149546', 'MDC_PULS_RATE_NON_INV', nibp.pr, '264864^MDC_DIM_BEAT_PER_MIN^MDC', nibp.at);
  }
  return [PCD_MSH(id, at), 'PID|||MRN0042^^^HOSP^MR||DOE^JANE', 'PV1||I|ICU^^BED1', `OBR|1|${id}^MINDRAY|${id}^MINDRAY|182777000^monitoring of patient^SNOMED-CT|||${at}`, ...obx, ''].join('\r');
}
