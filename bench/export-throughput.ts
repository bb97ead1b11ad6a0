/**
 * Export benchmark (docs/architecture.md §12): readings/s to each real peer with a burst of confirmations, and
 * the time from confirm to acknowledged (the outbox row recorded done) for readings confirmed
 * one at a time. Real store (WAL, synchronous=FULL), real exporters, real peers on loopback.
 */
import { ExportService } from '../main/export/export-service.ts';
import { createExporter } from '../main/export/exporters.ts';
import { MemorySecretStore } from '../main/export/secret-store.ts';
import { openStore } from '../main/store/open-store.ts';
import type { ExportTargetInput } from '../shared/export/targets.ts';
import { addTargets, confirmAll, exportWorkflow } from '../test/helpers/export-fixtures.ts';
import { READINGS } from '../test/helpers/export-items.ts';
import { tempDir } from '../test/helpers/store-fixtures.ts';
import { startFhirPeer } from '../test/peers/fhir-peer.ts';
import { startMedplumPeer, startNodeHl7Peer } from '../test/peers/hl7-peers.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface ExportBenchResult {
  peer: string;
  burst: number;
  burstSeconds: number;
  readingsPerS: number;
  paced: number;
  confirmToAck: LatencySummary;
}

const KINDS = [READINGS.glucose, READINGS.spo2AndPulse, READINGS.bloodPressure, READINGS.temperature, READINGS.urineStrip];
const pick = (n: number) => Array.from({ length: n }, (_, i) => KINDS[i % KINDS.length] ?? READINGS.glucose);

async function measure(peer: string, target: ExportTargetInput, sizes: { burst: number; paced: number }): Promise<ExportBenchResult> {
  const tmp = tempDir();
  const store = openStore(`${tmp.dir}/hub.sqlite`);
  const wf = exportWorkflow(store);
  addTargets(store, [target]);
  const svc = new ExportService({ tables: store, workflow: wf, secrets: new MemorySecretStore(), createExporter, pollMs: 1000 });
  const doneAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  wf.onReviewChange((item) => {
    if (item.export?.[0]?.state !== 'done' || doneAt.has(item.id)) return;
    doneAt.set(item.id, performance.now());
    waiters.get(item.id)?.();
  });
  const untilDone = (id: string): Promise<void> => (doneAt.has(id) ? Promise.resolve() : new Promise((r) => waiters.set(id, r)));
  svc.start();
  try {
    // Warm-up: validators indexed, connections open.
    for (const id of confirmAll(wf, store, pick(5))) await untilDone(id);
    // Burst: all confirmed at once, the worker drains them in order.
    const t0 = performance.now();
    const burstIds = confirmAll(wf, store, pick(sizes.burst));
    for (const id of burstIds) await untilDone(id);
    const burstSeconds = (performance.now() - t0) / 1000;
    // Paced: one at a time, from just before the confirmation to the done row.
    const samples: number[] = [];
    for (const r of pick(sizes.paced)) {
      const start = performance.now();
      const [id] = confirmAll(wf, store, [r]);
      await untilDone(id ?? '');
      samples.push((doneAt.get(id ?? '') ?? Number.NaN) - start);
    }
    return { peer, burst: sizes.burst, burstSeconds, readingsPerS: sizes.burst / burstSeconds, paced: sizes.paced, confirmToAck: summarize(samples) };
  } finally {
    await svc.stop();
    store.close();
    tmp.cleanup();
  }
}

/** One result per peer. */
export async function measureExport(quick: boolean): Promise<ExportBenchResult[]> {
  const sizes = quick ? { burst: 40, paced: 20 } : { burst: 200, paced: 100 };
  const [fhir, medplum, nodeHl7] = await Promise.all([startFhirPeer(), startMedplumPeer(), startNodeHl7Peer()]);
  try {
    return [
      await measure('FHIR R4 (Medplum fhir-router)', { id: 'fhir', name: 'FHIR', kind: 'fhir', baseUrl: fhir.baseUrl, patientIdentifierSystem: 'urn:oid:2.16.840.1.113883.19.5' }, sizes),
      await measure('HL7 v2.5.1 MLLP (Medplum Hl7Server)', { id: 'hl7', name: 'HL7', kind: 'hl7', host: '127.0.0.1', port: medplum.port }, sizes),
      await measure('HL7 PCD-01 MLLP (node-hl7-server)', { id: 'pcd', name: 'PCD-01', kind: 'hl7', host: '127.0.0.1', port: nodeHl7.port, profile: 'pcd-01' }, sizes),
    ];
  } finally {
    await Promise.all([fhir.stop(), medplum.stop(), nodeHl7.stop()]);
  }
}
