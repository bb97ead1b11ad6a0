import { expect } from 'vitest';
import type { ExportItem } from '../../main/export/exporter.ts';
import { createHl7Exporter } from '../../main/export/hl7/hl7-exporter.ts';
import { Hl7TargetSchema, type Hl7Profile, type Hl7Target } from '../../shared/export/targets.ts';
import type { Reading } from '../../shared/reading.ts';
import { startMedplumPeer, startNodeHl7Peer, type Hl7Peer, type PeerMessage } from '../peers/hl7-peers.ts';
import { deliver, exportItem } from './export-items.ts';

/** Both HL7 stacks the exports are checked against (docs/export.md §8), for `describe.each`. */
export const HL7_PEERS = [
  ['Medplum Hl7Server', startMedplumPeer],
  ['node-hl7-server', startNodeHl7Peer],
] as const;

/** An HL7 target pointing at `peer` in `profile`. */
export function hl7TargetFor(peer: Hl7Peer, profile: Hl7Profile): Hl7Target {
  return Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: peer.host, port: peer.port, profile, ackTimeoutMs: 5_000 }) as Hl7Target;
}

/** The OBX rows before the results: PCD-01 starts with the device row (docs/export.md §6). */
export function leadingObx(profile: Hl7Profile): number {
  return profile === 'pcd-01' ? 1 : 0;
}

/**
 * Send each reading to `peer` as the outbox worker would, expect an AA for every one, and hand
 * each reading, its item and the message the peer stored to `check`.
 */
export async function deliverEachToHl7(
  peer: Hl7Peer,
  profile: Hl7Profile,
  readings: readonly Reading[],
  check: (reading: Reading, msg: PeerMessage, item: ExportItem) => void,
): Promise<void> {
  const exporter = createHl7Exporter(hl7TargetFor(peer, profile), {});
  try {
    for (const reading of readings) {
      const item = exportItem(reading);
      expect(await deliver(exporter, item), reading.driver).toMatchObject({ result: 'done', status: 'AA' });
      const msg = peer.accepted().find((m) => m.controlId === item.controlId);
      expect(msg, `${reading.driver}: stored by the peer`).toBeDefined();
      if (msg) check(reading, msg, item);
    }
  } finally {
    await exporter.close();
  }
}
