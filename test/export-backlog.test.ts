import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportService } from '../main/export/export-service.ts';
import { createExporter } from '../main/export/exporters.ts';
import { MemorySecretStore } from '../main/export/secret-store.ts';
import type { HubDatabase } from '../main/store/hub-database.ts';
import { openStore } from '../main/store/open-store.ts';
import type { HubWorkflow } from '../main/workflow/hub-workflow.ts';
import { addTargets, confirmAll, exportWorkflow } from './helpers/export-fixtures.ts';
import { READINGS } from './helpers/export-items.ts';
import { tempDir } from './helpers/store-fixtures.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';
import { startMedplumPeer, type Hl7Peer } from './peers/hl7-peers.ts';

/**
 * The EHR is down for the whole run (docs/export.md §3): nothing is lost, the outbox shows the backlog,
 * and once the peers are back it drains in confirmation order. Real exporters, real peers.
 */
const COUNT = 30;
let tmp: ReturnType<typeof tempDir>;
let store: HubDatabase;
let wf: HubWorkflow;
let fhir: FhirPeer;
let hl7: Hl7Peer;

beforeAll(async () => {
  tmp = tempDir();
  store = openStore(`${tmp.dir}/hub.sqlite`);
  wf = exportWorkflow(store);
  [fhir, hl7] = await Promise.all([startFhirPeer(), startMedplumPeer()]);
  const retry = { baseMs: 100, maxMs: 1000 };
  addTargets(store, [
    { id: 'fhir', name: 'FHIR', kind: 'fhir', baseUrl: fhir.baseUrl, patientIdentifierSystem: 'urn:oid:2.16.840.1.113883.19.5', timeoutMs: 2000, retry },
    { id: 'hl7', name: 'HL7', kind: 'hl7', host: '127.0.0.1', port: hl7.port, ackTimeoutMs: 1000, retry },
  ]);
  await Promise.all([fhir.stop(), hl7.stop()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([fhir?.stop(), hl7?.stop()]);
  store?.close();
  tmp?.cleanup();
});

describe('EHR down for the whole run', () => {
  it('keeps every row, shows the backlog, and drains in order once the peers are back', async () => {
    const svc = new ExportService({ tables: store, workflow: wf, secrets: new MemorySecretStore(), createExporter, pollMs: 100 });
    svc.start();
    const kinds = [READINGS.glucose, READINGS.spo2AndPulse, READINGS.temperature, READINGS.urineStrip];
    const ids = confirmAll(wf, store, Array.from({ length: COUNT }, (_, i) => kinds[i % kinds.length] ?? READINGS.glucose));

    // Both heads keep failing; the rows behind them wait, all of them kept.
    await vi.waitFor(
      () => {
        for (const s of svc.summary()) {
          expect(s.counts).toEqual({ pending: COUNT - 1, sending: 0, done: 0, failed: 1, dead: 0 });
          expect(s.lastProblem).toMatch(/refused|ECONNREFUSED|connect|Nothing is listening/i);
        }
        expect(svc.rows({ states: ['failed'] }).every((r) => r.attempts >= 3)).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(svc.summary().every((s) => s.oldestWaitingAt !== undefined)).toBe(true);
    expect(wf.reviewItem(ids[0] ?? '').export?.map((e) => e.state)).toEqual(['failed', 'failed']);

    await Promise.all([fhir.restart(), hl7.restart()]);
    await vi.waitFor(() => expect(svc.summary().map((s) => s.counts.done)).toEqual([COUNT, COUNT]), { timeout: 60_000, interval: 200 });
    await svc.stop();

    // In confirmation order, each once.
    expect(hl7.accepted().map((m) => m.field('OBR', 3))).toEqual(ids);
    expect(await fhir.search('Provenance', { _count: '1000' })).toHaveLength(COUNT);
  }, 120_000);
});
