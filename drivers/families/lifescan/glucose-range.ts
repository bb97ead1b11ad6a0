import type { Observation } from '../../../shared/observation.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../glucose/observations.ts';

/**
 * HI/LO on the LifeScan binary-protocol meters (UltraEasy / UltraMini, Verio IQ, Verio): no record
 * carries a HI or LO marker. Tidepool treats a stored value above 600 mg/dL as HI and below 20 as
 * LO, citing the meters' manuals ("values above 600 and below 20 mg/dL are out of range"), so a
 * value outside 20..600 can only be a code, never a measurement [INFERRED]
 * (lifescan-onetouch-ultraeasy/PROTOCOL.md §6, lifescan-onetouch-verio-iq/PROTOCOL.md §6).
 */
export const LIFESCAN_HIGH_MG_DL = 600;
export const LIFESCAN_LOW_MG_DL = 20;

/**
 * A stored mg/dL value as an observation: in range as it is; beyond it a quantity with a
 * comparator at the bound (interpretation HH/LL) and an out-of-range flag.
 */
export function lifescanGlucose(mgdl: number): { observation: Observation; flags: string[] } {
  if (mgdl > LIFESCAN_HIGH_MG_DL) return { observation: glucoseObservation(LIFESCAN_HIGH_MG_DL, 'mg/dL', '>'), flags: [GLUCOSE_FLAGS.aboveRange] };
  if (mgdl < LIFESCAN_LOW_MG_DL) return { observation: glucoseObservation(LIFESCAN_LOW_MG_DL, 'mg/dL', '<'), flags: [GLUCOSE_FLAGS.belowRange] };
  return { observation: glucoseObservation(mgdl, 'mg/dL'), flags: [] };
}

/**
 * Flag on readings from a meter whose display is set to mmol/L: these meters store and send
 * mg/dL whatever their display shows, so the value stays mg/dL and the flag says why the
 * patient's logbook may show other numbers.
 */
export const LIFESCAN_DISPLAY_MMOL_FLAG = 'display-unit:mmol/L';
