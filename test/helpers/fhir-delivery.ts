/**
 * The FHIR half of the export tests that carry real drivers' readings to the real FHIR peer
 * (test/peers/fhir-peer.ts): one peer and one FHIR exporter for a `describe`, every reading
 * delivered as an outbox item in `beforeAll`, and the Observations the peer then holds for it
 * (found by the reading-id identifier, docs/export.md). The checks stay in each test.
 */
import type { Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll } from 'vitest';
import type { Exporter } from '../../main/export/exporter.ts';
import { createFhirExporter } from '../../main/export/fhir/fhir-exporter.ts';
import { FhirTargetSchema, type FhirTarget } from '../../shared/export/targets.ts';
import type { Reading } from '../../shared/reading.ts';
import { startFhirPeer, type FhirPeer } from '../peers/fhir-peer.ts';
import { deliver, exportItem } from './export-items.ts';

/** The identifier system of the reading id on every exported Observation. */
export const READING_SYSTEM = 'urn:pochub:reading';

/** An Observation's LOINC code. */
export const loinc = (o: Observation): string | undefined => o.code.coding?.find((c) => c.system === 'http://loinc.org')?.code;

export interface FhirDelivery {
  /** The running peer (from `beforeAll` on). */
  readonly peer: FhirPeer;
  /** The Observations the peer stored for each reading. */
  readonly stored: Map<Reading, Observation[]>;
}

/**
 * Call inside a `describe`: registers the `beforeAll` that starts the peer and delivers
 * `readings()` (evaluated then, after the file's own `beforeAll` made them) and the `afterAll`
 * that stops both. A delivery that is not `done` fails the suite's set-up.
 */
export function deliverToFhirPeer(readings: () => readonly Reading[], timeoutMs = 60_000): FhirDelivery {
  let peer: FhirPeer | undefined;
  let exporter: Exporter | undefined;
  const stored = new Map<Reading, Observation[]>();
  beforeAll(async () => {
    const started = await startFhirPeer();
    peer = started;
    exporter = createFhirExporter(FhirTargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: started.baseUrl, patientIdentifierSystem: 'https://hospital.example/mrn' }) as FhirTarget, {});
    for (const reading of readings()) {
      const item = exportItem(reading);
      const outcome = await deliver(exporter, item);
      if (outcome.result !== 'done') throw new Error(`FHIR delivery of ${reading.driver} failed: ${outcome.message}`);
      stored.set(reading, await started.search<Observation>('Observation', { identifier: `${READING_SYSTEM}|${item.readingId}` }));
    }
  }, timeoutMs);
  afterAll(async () => {
    await exporter?.close();
    await peer?.stop();
  });
  return {
    get peer(): FhirPeer {
      if (!peer) throw new Error('the FHIR peer is not started yet (use it inside a test)');
      return peer;
    },
    stored,
  };
}
