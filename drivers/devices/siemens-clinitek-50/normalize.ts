import { observe, type Observation } from '../../../shared/observation.ts';
import type { DeviceIdentity, Reading } from '../../../shared/reading.ts';
import { urineObservation } from '../../families/urine/index.ts';
import type { AnalyteLine, DataPacket, IdPacket, PacketHeader } from './decode.ts';

/** What the hub knows of every Clinitek 50 before it has answered. */
export const CLINITEK_50: DeviceIdentity = { manufacturer: 'Siemens', model: 'Clinitek 50' };

/**
 * The device fields from a packet header: the model (product 6510 is the Clinitek 50), and the
 * software version with the revision when the device prints one (PROTOCOL.md §4). There is no
 * serial number on the wire.
 */
export function identityOf(header: PacketHeader): DeviceIdentity {
  const revision = header.revision.trim();
  return { ...CLINITEK_50, firmware: revision === '' ? header.software : `${header.software} rev ${revision}` };
}

/** One analyte line through the urine family's vocabulary (drivers/families/urine). */
export function normalizeAnalyte(line: AnalyteLine): Observation {
  return urineObservation({ label: line.code, value: line.value, abnormal: line.abnormal });
}

interface NormalizedRecord {
  observations: Observation[];
  flags: string[];
  context: NonNullable<Reading['context']>;
}

/**
 * A data packet to observations (the colour words as text, then the pads in packet order), flags
 * and context: the sequence number, and the strip type and language/units profile from the ID
 * packet as the method (the same result words mean the same in every profile, but a reviewer
 * reading `HELL GELB` wants to know the device spoke German).
 */
export function normalizeRecord(record: DataPacket, id: IdPacket | undefined): NormalizedRecord {
  const observations: Observation[] = [];
  if (record.colour !== '') observations.push(observe('urineColor', { kind: 'text', text: record.colour }));
  for (const line of record.results) observations.push(normalizeAnalyte(line));
  const context: NonNullable<Reading['context']> = { sequence: record.sequence };
  if (id) context.method = `${id.strip} (${id.profile})`;
  return { observations, flags: record.results.some((r) => r.abnormal) ? ['abnormal'] : [], context };
}
