import type { UcumCode } from '../../../shared/units.ts';

/**
 * IEEE 11073-10101 dimension codes for the UCUM units the catalog uses (docs/export.md §9), for
 * OBX-6 in PCD-01 messages. Units without a known MDC code are sent as UCUM, which PCD-01 allows.
 */
interface MdcUnit {
  readonly code: number;
  readonly refId: string;
}

const BY_UCUM: Partial<Record<UcumCode, MdcUnit>> = {
  'mm[Hg]': { code: 266016, refId: 'MDC_DIM_MMHG' },
  '/min': { code: 264864, refId: 'MDC_DIM_BEAT_PER_MIN' },
  '%': { code: 262688, refId: 'MDC_DIM_PERCENT' },
  Cel: { code: 268192, refId: 'MDC_DIM_DEGC' },
  // Partition 4 (dimensions), term 4416: a monitor that reports °F keeps its unit (docs/export.md §9).
  '[degF]': { code: 266560, refId: 'MDC_DIM_FAHR' },
  kg: { code: 263875, refId: 'MDC_DIM_KILO_G' },
  cm: { code: 263441, refId: 'MDC_DIM_CENTI_M' },
  'kg/m2': { code: 264096, refId: 'MDC_DIM_KG_PER_M_SQ' },
  'mg/dL': { code: 264274, refId: 'MDC_DIM_MILLI_G_PER_DL' },
  'mmol/L': { code: 266866, refId: 'MDC_DIM_MILLI_MOLE_PER_L' },
};

/** MDC_RESP_RATE counts breaths, not beats: `/min` has its own dimension there. */
const RESP_RATE = 151562;
const RESP_PER_MIN: MdcUnit = { code: 264928, refId: 'MDC_DIM_RESP_PER_MIN' };

/** The MDC unit for a quantity of metric `mdcMetric` in `ucum`, or undefined when none is known. */
export function mdcUnitFor(ucum: string, mdcMetric?: number): MdcUnit | undefined {
  if (ucum === '/min' && mdcMetric === RESP_RATE) return RESP_PER_MIN;
  return Object.hasOwn(BY_UCUM, ucum) ? BY_UCUM[ucum as UcumCode] : undefined;
}
