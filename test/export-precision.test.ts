import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device, Observation, Provenance } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exporter } from '../main/export/exporter.ts';
import { createFhirExporter } from '../main/export/fhir/fhir-exporter.ts';
import { createFileExporter } from '../main/export/file/file-exporter.ts';
import { createHl7Exporter } from '../main/export/hl7/hl7-exporter.ts';
import { FhirTargetSchema, FileTargetSchema, Hl7TargetSchema, type FhirTarget, type FileTarget, type Hl7Target } from '../shared/export/targets.ts';
import { deliver, exportItem, PRINTED_STRIP, READINGS } from './helpers/export-items.ts';
import { checkStoredResource } from './peers/fhir-checks.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';
import { startNodeHl7Peer, type Hl7Peer } from './peers/hl7-peers.ts';

/**
 * One reading, three real receivers (the FHIR test server, an MLLP receiver, a file share):
 * the device's printed decimals reach every wire unchanged (docs/export.md §4), and the FHIR and
 * HL7 copies of the reading can be matched by its id (docs/export.md §5, OBR-3).
 */

const READING_SYSTEM = 'urn:pochub:reading';

describe('printed precision and reading identity across FHIR, HL7 and CSV', () => {
  let fhirPeer: FhirPeer;
  let hl7Peer: Hl7Peer;
  let dir: string;
  let fhir: Exporter;
  let hl7: Exporter;
  let csv: Exporter;

  beforeAll(async () => {
    fhirPeer = await startFhirPeer();
    hl7Peer = await startNodeHl7Peer();
    dir = mkdtempSync(join(tmpdir(), 'pochub-precision-'));
    fhir = createFhirExporter(FhirTargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: fhirPeer.baseUrl, patientIdentifierSystem: 'https://hospital.example/mrn' }) as FhirTarget, {});
    hl7 = createHl7Exporter(Hl7TargetSchema.parse({ id: 'lis', name: 'LIS', kind: 'hl7', host: hl7Peer.host, port: hl7Peer.port, profile: 'oru-r01-2.5.1' }) as Hl7Target, {});
    csv = createFileExporter(FileTargetSchema.parse({ id: 'share', name: 'Share', kind: 'file', directory: dir, format: 'csv' }) as FileTarget, {});
  });
  afterAll(async () => {
    await Promise.all([fhir.close(), hl7.close(), csv.close()]);
    await Promise.all([fhirPeer.stop(), hl7Peer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Clinitek strip with SG 1.020 and pH 6.0 leaves as 1.020 and 6.0 on every wire', async () => {
    const item = exportItem(PRINTED_STRIP);
    const sentBefore = fhirPeer.postBodies.length;
    expect(await deliver(fhir, item)).toMatchObject({ result: 'done' });
    // A strip is split into several transactions (docs/export.md §10): every one keeps the digits.
    const sent = fhirPeer.postBodies.slice(sentBefore).join('\n');
    expect(sent).toContain('"value":1.020,');
    expect(sent).toContain('"value":6.0,');
    const stored = await fhirPeer.search<Observation>('Observation', { identifier: `${READING_SYSTEM}|${item.readingId}` });
    expect(stored.flatMap((o) => (o.valueQuantity?.value === undefined ? [] : [o.valueQuantity.value]))).toEqual(expect.arrayContaining([1.02, 6, 0.2]));
    for (const o of stored) expect(checkStoredResource(o)).toEqual([]);

    expect(await deliver(hl7, item)).toMatchObject({ result: 'done' });
    const msg = hl7Peer.accepted().find((m) => m.controlId === item.controlId);
    expect(msg?.raw).toMatch(/\|NM\|5811-5\^[^|]*\|[^|]*\|1\.020\|/);
    expect(msg?.raw).toMatch(/\|NM\|5803-2\^[^|]*\|[^|]*\|6\.0\|/);

    expect(await deliver(csv, item)).toMatchObject({ result: 'done' });
    const file = readdirSync(dir).find((f) => f.includes(item.readingId));
    const text = readFileSync(join(dir, file ?? ''), 'utf8');
    expect(text).toContain(',1.020,');
    expect(text).toContain(',6.0,');
  });

  it('the FHIR copy names the reading with the id HL7 OBR-3 carries, and the Device the model the meter reported', async () => {
    const reading = { ...READINGS.spo2AndPulse, device: { manufacturer: 'Masimo', model: 'Rad-8', serial: '0000056661' } };
    const item = exportItem(reading, { deviceLabel: 'Pulse oximeter, bay 2' });
    expect(await deliver(hl7, item)).toMatchObject({ result: 'done' });
    const obr3 = hl7Peer.accepted().find((m) => m.controlId === item.controlId)?.field('OBR', 3, 1) ?? '';
    expect(obr3).toBe(item.readingId.toLowerCase());

    expect(await deliver(fhir, item)).toMatchObject({ result: 'done' });
    // Found on the server by OBR-3's text alone: every Observation of the reading, and its Provenance.
    const observations = await fhirPeer.search<Observation>('Observation', { identifier: `${READING_SYSTEM}|${obr3}` });
    expect(observations.length).toBe(reading.observations.length);
    const provenances = await fhirPeer.search<Provenance>('Provenance');
    const provenance = provenances.find((p) => p.entity?.some((e) => e.what.identifier?.system === READING_SYSTEM && e.what.identifier.value === obr3));
    expect(provenance?.target.length).toBe(reading.observations.length);
    expect(checkStoredResource(provenance as Provenance)).toEqual([]);

    const devices = await fhirPeer.search<Device>('Device', { identifier: 'urn:pochub:device-serial:masimo:rad-8|0000056661' });
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ manufacturer: 'Masimo', modelNumber: 'Rad-8', serialNumber: '0000056661', deviceName: [{ name: 'Rad-8', type: 'model-name' }] });
  });
});
