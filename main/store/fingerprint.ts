import { createHash } from 'node:crypto';
import type { Observation } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * Bumped if the fingerprinted fields ever change. It is hashed in, so old and new fingerprints
 * can never be mistaken for each other.
 */
const FINGERPRINT_VERSION = 1;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so the same
 * value always gives the same text whatever order a driver built its objects in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot fingerprint the number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => (v === undefined ? null : canonical(v)));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member !== undefined) out[key] = canonical(member);
    }
    return out;
  }
  throw new Error(`cannot fingerprint a value of type ${typeof value}`);
}

/**
 * Observations without the quantities' `decimals`: how a value was printed does not make it
 * another result, and readings stored before drivers set the field must still match the same
 * records downloaded again (docs/export.md §4), or a re-download would import them twice.
 */
function withoutPrintedDecimals(observations: readonly Observation[]): Observation[] {
  return observations.map((o) => {
    const out: Observation = { ...o };
    if (o.value?.kind === 'quantity' && o.value.decimals !== undefined) {
      const { decimals: _printed, ...value } = o.value;
      out.value = value;
    }
    if (o.components) out.components = withoutPrintedDecimals(o.components);
    return out;
  });
}

/**
 * The identity of a result as the device knows it: sha256 (hex) over driver, device
 * manufacturer/model/serial, kind, device time, the device's sequence number and sample id, and
 * the observations. Received and effective times are left out on purpose, so the same record
 * downloaded twice, or a trace replayed, is recognised as already imported.
 *
 * One exception keeps distinct results distinct: when the device gave no time, no sequence and no
 * sample id, nothing device-side tells two identical results apart (two 120/80 cuff readings
 * a minute apart), so `receivedAt` is hashed in. A replayed trace still matches itself, because
 * replay stamps readings with trace time.
 *
 * Pass a reading that has passed `ReadingSchema`; the store does so before it calls this.
 */
export function readingFingerprint(reading: Reading): string {
  const sequence = reading.context?.sequence;
  const sampleId = reading.context?.sampleId;
  const deviceSideIdentity = reading.deviceTime !== undefined || sequence !== undefined || sampleId !== undefined;
  const subject = {
    v: FINGERPRINT_VERSION,
    driver: reading.driver,
    device: { manufacturer: reading.device.manufacturer, model: reading.device.model, serial: reading.device.serial },
    kind: reading.kind,
    deviceTime: reading.deviceTime,
    sequence,
    sampleId,
    observations: withoutPrintedDecimals(reading.observations),
    receivedAt: deviceSideIdentity ? undefined : reading.receivedAt,
  };
  return createHash('sha256').update(canonicalJson(subject), 'utf8').digest('hex');
}
