import type { Observation } from '../../../shared/observation.ts';
import { LIFESCAN_DISPLAY_MMOL_FLAG, LIFESCAN_HIGH_MG_DL, LIFESCAN_LOW_MG_DL, lifescanGlucose } from '../../families/lifescan/glucose-range.ts';
import type { UltraEasyDisplayUnit, MeterRecord } from './decode.ts';

/**
 * Stored records → observations and flags (pure).
 *
 * HI/LO are not documented for this meter (PROTOCOL.md §6: the record is a time and a value only). Tidepool
 * treats a value above 600 mg/dL as HI (its comment: the meter sends 0xFFFF) and below 20 as LO,
 * so a value outside 20..600 can only be a code, never a measurement: it becomes a quantity with
 * a comparator at that bound, interpretation HH/LL, and an out-of-range flag.
 */
export const METER_HIGH_MG_DL = LIFESCAN_HIGH_MG_DL;
export const METER_LOW_MG_DL = LIFESCAN_LOW_MG_DL;

/** Flag on readings from a meter whose display is set to mmol/L; the stored value is still mg/dL (PROTOCOL.md §2). */
export const DISPLAY_MMOL_FLAG = LIFESCAN_DISPLAY_MMOL_FLAG;

interface UltraEasyNormalizedRecord {
  observations: Observation[];
  flags: string[];
}

/**
 * One record as a capillary glucose result in mg/dL (the unit the meter reports, whatever its
 * display shows). The protocol marks neither control solution nor meals, so every record is a
 * patient result without meal flags (PROTOCOL.md).
 */
export function normalizeRecord(record: Pick<MeterRecord, 'mgdl'>, displayUnit: UltraEasyDisplayUnit | undefined): UltraEasyNormalizedRecord {
  const { observation, flags } = lifescanGlucose(record.mgdl);
  if (displayUnit === 'mmol/L') flags.push(DISPLAY_MMOL_FLAG);
  return { observations: [observation], flags };
}
