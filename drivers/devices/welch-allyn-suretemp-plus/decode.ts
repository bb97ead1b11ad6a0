import type { ErrorCode } from '../../../shared/errors.ts';
import { CMD_SEND_TEMPERATURE, type Packet, TYPE_RESPONSE } from './protocol.ts';

/** Method field (PROTOCOL.md §4). */
export const METHOD = { normal: 0, monitor: 1, clinical: 2 } as const;
/** Algorithm field: where the temperature is taken (PROTOCOL.md §4). */
export const ALGORITHM = { oral: 0, rectal: 1, pediatricAxillary: 2, calKey: 3, adultAxillary: 4 } as const;
/** SureTemp state field (PROTOCOL.md §4). */
export const STATE = {
  idle: 0,
  notReady: 1,
  ready: 2,
  predict: 3,
  predictDisplay: 4,
  predictPosition: 5,
  final: 6,
  finalPosition: 7,
  finalOverTemp: 8,
  finalOverTempPosition: 9,
  finalUnderTemp: 10,
  finalUnderTempPosition: 11,
  noPredict: 12,
  endNormal: 13,
  error: 20,
} as const;

/** The known sizes of the temperature record's data (PROTOCOL.md §4). */
export const RECORD_SHORT = 19;
export const RECORD_LONG = 33;

/** The temperature record, in the module's own terms (PROTOCOL.md §4). */
export interface TemperatureRecord {
  /** The final/predicted temperature in kelvin; 0 while there is none. */
  readonly finalKelvin: number;
  /** What the probe reads now, in kelvin (not a result). */
  readonly probeKelvin: number;
  /** Counts 173 ms samples. */
  readonly sampleCounter: number;
  readonly method: number;
  readonly algorithm: number;
  readonly state: number;
  readonly errorCode: number;
  /** The probe is out of its well and active. */
  readonly active: boolean;
  /** 0 oral/axillary probe, 1 cal key, 2 rectal probe, 3 none. */
  readonly probeType: number;
}

export type DecodedRecord = { ok: true; record: TemperatureRecord } | { ok: false; code: ErrorCode; reason: string };

/**
 * The reply to "send temperature record": a good response (type 02) to command 94 1C with 19 or
 * 33 data bytes. Both layouts hold method … probe type at the same offsets 12–18; only the
 * sample counter differs (uint32 in the short record, uint16 after the heater count in the long).
 */
export function decodeTemperatureRecord(packet: Packet): DecodedRecord {
  if (packet.command !== CMD_SEND_TEMPERATURE) return { ok: false, code: 'PROTOCOL_UNEXPECTED', reason: `reply to command ${hex4(packet.command)}, not to 941C` };
  if (packet.type !== TYPE_RESPONSE) return { ok: false, code: 'DEVICE_ERROR', reason: `reply type ${packet.type} (not a good response)` };
  const d = packet.data;
  if (d.length !== RECORD_SHORT && d.length !== RECORD_LONG) return { ok: false, code: 'PROTOCOL_GARBAGE', reason: `temperature record of ${d.length} bytes (19 or 33 expected)` };
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const record: TemperatureRecord = {
    finalKelvin: view.getFloat32(0, true),
    probeKelvin: view.getFloat32(4, true),
    sampleCounter: d.length === RECORD_SHORT ? view.getUint32(8, true) : view.getUint16(10, true),
    method: view.getInt8(12),
    algorithm: view.getInt8(13),
    state: view.getInt8(14),
    // Little-endian like every other field (PROTOCOL.md §4, inferred).
    errorCode: view.getInt16(15, true),
    active: view.getUint8(17) !== 0,
    probeType: view.getInt8(18),
  };
  return { ok: true, record };
}

/** A state in which the module shows a finished prediction within range (PROTOCOL.md §4). */
export function isFinal(state: number): boolean {
  return state === STATE.final || state === STATE.finalPosition;
}

/** A finished prediction that is above or below the module's range (PROTOCOL.md §4). */
export function isOutOfRange(state: number): boolean {
  return state >= STATE.finalOverTemp && state <= STATE.finalUnderTempPosition;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
