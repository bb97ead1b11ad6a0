import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../../shared/api/model.ts';
import { adtMessage, sendWithMedplum } from '../../../test/helpers/adt-senders.ts';
import { bpReading, tempDir } from '../../../test/helpers/store-fixtures.ts';
import { createHub, type Hub } from '../../app.ts';

let hub: Hub | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await hub?.close();
  tmp?.cleanup();
  hub = undefined;
});

describe('the ADT listeners in the hub (createHub: serve and the desktop app)', () => {
  it('listens for a source saved while running, and tells the UI a merged reading moved', async () => {
    tmp = tempDir();
    const h = createHub({ dataDir: tmp.dir, demo: false, discovery: false, exportWorkers: false, log: () => undefined });
    hub = h;
    h.store.patientSources.save({ id: 'adt', name: 'ADT', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:0' }, false, new Date().toISOString());
    await h.adt.sync();
    const port = h.adt.list()[0]?.port ?? 0;
    await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'H1', mrn: 'OLD' })]);
    const { id } = h.store.readings.ingest(bpReading(), []);
    const at = new Date().toISOString();
    h.store.reviews.insert({ readingId: id, deviceKey: 'bp', deviceLabel: 'BP', patientMrn: 'OLD', assignedBy: null, assignedAt: at, assignedVia: 'manual', decision: null, decidedBy: null, decidedAt: null, manual: false, replaces: null });
    const seen: ReviewItem[] = [];
    h.bus.on('review', (item) => seen.push(item));
    const [ack] = await sendWithMedplum(port, [adtMessage({ event: 'A40', controlId: 'H2', mrn: 'NEW', prior: 'OLD' })]);
    expect(ack?.code).toBe('AA');
    expect(seen.map((i) => [i.id, i.patient?.mrn])).toEqual([[id, 'NEW']]);
    expect(h.workflow.auditLog.verify().ok).toBe(true);
  });
});
