import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import { observe, quantity, type Observation } from '../../../shared/observation.ts';
import type { NibpReply, RateReply, Spo2Reply, TempReply } from './decode.ts';

/** NA status "complete OK" (PROTOCOL.md §3.1). */
export const NIBP_COMPLETE = 1;
/** RA sources (PROTOCOL.md §3.3). */
export const RATE_FROM_OXIMETER = 2;
export const RATE_FROM_NIBP = 3;
/** OA status "operating OK" (PROTOCOL.md §3.2). */
export const SPO2_OPERATING = 1;
/** TC status "OK / idle" (PROTOCOL.md §3.4). */
export const TEMP_OK = 0;

/**
 * A finished NIBP result as observations: the BP panel in mm[Hg] (systolic, diastolic, mean),
 * with the pulse when the monitor says its rate comes from the cuff. Undefined when the result
 * is not complete or a pressure is missing.
 */
export function nibpObservations(na: NibpReply, rate: RateReply | undefined): Observation[] | undefined {
  const { systolic, diastolic, mean } = na;
  if (na.status !== NIBP_COMPLETE || systolic === undefined || diastolic === undefined) return undefined;
  const out = [bloodPressurePanel({ systolic, diastolic, unit: 'mmHg', ...(mean !== undefined ? { mean } : {}) })];
  if (rate?.source === RATE_FROM_NIBP && rate.rate !== undefined) out.push(pulseRate(rate.rate, 'nibp'));
  return out;
}

/**
 * A temperature as the monitor reports it: tenths of °F become [degF] with one decimal, never
 * converted to °C (the display-unit digit only changes the monitor's screen; PROTOCOL.md §3.4).
 */
export function temperatureObservation(tc: TempReply): Observation | undefined {
  if (tc.status !== TEMP_OK || tc.tenthsF === undefined) return undefined;
  return observe('bodyTemperature', quantity(tc.tenthsF / 10, '[degF]', undefined, 1));
}

/** One poll cycle's oximetry in our terms: what the live view shows and the stability rule watches. */
export interface OximetrySample {
  readonly observations: Observation[];
  /** SpO2 operating with a value and a rate from the oximeter: usable for a capture. */
  readonly valid: boolean;
  readonly values: { spo2?: number; pulse?: number };
}

/** SpO2 (OA) and the oximeter's pulse (RA with source 2) of one cycle. */
export function oximetrySample(oa: Spo2Reply | undefined, ra: RateReply | undefined): OximetrySample {
  const spo2 = oa?.status === SPO2_OPERATING ? oa.spo2 : undefined;
  const pulse = ra?.source === RATE_FROM_OXIMETER ? ra.rate : undefined;
  const observations: Observation[] = [];
  if (spo2 !== undefined) observations.push(observe('spo2', quantity(spo2, '%')));
  if (pulse !== undefined) observations.push(pulseRate(pulse, 'oximeter'));
  const valid = spo2 !== undefined && pulse !== undefined;
  return { observations, valid, values: valid ? { spo2, pulse } : {} };
}
