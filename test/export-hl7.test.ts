import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHl7Exporter } from '../main/export/hl7/hl7-exporter.ts';
import type { Exporter, ExportItem, SendContext } from '../main/export/exporter.ts';
import { HL7_PROFILES, Hl7TargetSchema, type Hl7Profile, type Hl7Target } from '../shared/export/targets.ts';
import { ORDINAL_SNOMED } from '../shared/export/ordinal-codes.ts';
import type { Observation } from '../shared/observation.ts';
import { everyKind, exportItem, READINGS } from './helpers/export-items.ts';
import { startMedplumPeer, startNodeHl7Peer, type Hl7Peer, type PeerMessage } from './peers/hl7-peers.ts';

/**
 * The HL7 v2 exporter against two independent real MLLP receivers (docs/architecture.md §12, docs/export.md §10): everything
 * it renders is accepted and read back correctly, and every way a delivery can go wrong ends
 * in the outcome the outbox needs (done / retry / dead).
 */

function target(peer: Hl7Peer, profile: Hl7Profile, over: Partial<Hl7Target> = {}): Hl7Target {
  return Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: peer.host, port: peer.port, profile, ackTimeoutMs: 500, ...over });
}

function ctx(item: ExportItem, signal: AbortSignal = new AbortController().signal): SendContext {
  return { controlId: item.controlId, readingId: item.readingId, signal };
}

/** The observations that become OBX rows with a value, in order (a panel contributes its components). */
function valued(item: ExportItem): Observation[] {
  return item.reading.observations.flatMap((o) => [...(o.value ? [o] : []), ...(o.components ?? []).filter((c) => c.value)]);
}

/** Reads the message the peer stored back against the reading it came from. */
function expectReadBack(msg: PeerMessage, item: ExportItem, profile: Hl7Profile): void {
  expect(msg.field('MSH', 12)).toBe(profile === 'pcd-01' ? '2.6' : '2.5.1');
  expect(msg.field('PID', 3, 1)).toBe('MRN-20418');
  expect(msg.field('PID', 3, 4)).toBe('HOSP');
  expect(msg.field('PID', 5, 1)).toBe('Ruiz');
  expect(msg.field('PID', 5, 2)).toBe("Ana María O'Neil");
  expect(msg.field('OBR', 3, 1)).toBe(item.readingId);
  const obs = valued(item);
  const first = profile === 'pcd-01' ? 1 : 0; // PCD-01 starts with the device row
  expect(msg.count('OBX')).toBe(obs.length + first);
  obs.forEach((o, i) => {
    const at = i + first;
    const v = o.value;
    if (o.code === undefined) {
      expect(msg.field('OBX', 3, 3, at)).toBe('L');
    } else if (profile === 'pcd-01' && o.mdc !== undefined) {
      expect(msg.field('OBX', 3, 1, at)).toBe(String(o.mdc));
      expect(msg.field('OBX', 3, 3, at)).toBe('MDC');
      expect(msg.field('OBX', 3, 4, at)).toBe(o.code);
    } else {
      expect(msg.field('OBX', 3, 1, at)).toBe(o.code);
      expect(msg.field('OBX', 3, 3, at)).toBe('LN');
    }
    expect(msg.field('OBX', 11, 1, at)).toBe('F');
    if (v?.kind === 'quantity') {
      const ucum = msg.field('OBX', 6, 3, at) === 'UCUM' ? msg.field('OBX', 6, 1, at) : msg.field('OBX', 6, 4, at);
      expect(ucum).toBe(v.unit);
      if (v.comparator) {
        expect(msg.field('OBX', 2, 1, at)).toBe('SN');
        expect([msg.field('OBX', 5, 1, at), msg.field('OBX', 5, 2, at)]).toEqual([v.comparator, String(v.value)]);
      } else {
        expect(msg.field('OBX', 2, 1, at)).toBe('NM');
        expect(Number(msg.field('OBX', 5, 1, at))).toBe(v.value);
      }
    } else if (v?.kind === 'ordinal') {
      expect(msg.field('OBX', 2, 1, at)).toBe('CWE');
      expect(msg.field('OBX', 5, 1, at)).toBe(ORDINAL_SNOMED[v.code].code);
      expect(msg.field('OBX', 5, 9, at)).toBe(v.text);
    } else if (v !== undefined) {
      expect(msg.field('OBX', 2, 1, at)).toBe('ST');
      expect(msg.field('OBX', 5, 1, at)).toBe(v.text);
    }
    if (item.reading.device.serial !== undefined) expect(msg.field('OBX', 18, 1, at)).toBe(item.reading.device.serial);
  });
}

const PEERS = [
  ['Medplum Hl7Server', startMedplumPeer],
  ['node-hl7-server', startNodeHl7Peer],
] as const;

describe.each(PEERS)('HL7 v2 export to %s', (_name, start) => {
  let peer: Hl7Peer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  /** Runs `fn` with a fresh exporter and always closes it. */
  async function withExporter<T>(t: Hl7Target, fn: (e: Exporter) => Promise<T>): Promise<T> {
    const exporter = createHl7Exporter(t, { now: () => Date.parse('2026-11-27T09:16:31Z') });
    try {
      return await fn(exporter);
    } finally {
      await exporter.close();
    }
  }

  it.each(HL7_PROFILES)('delivers every kind of reading in profile %s, and the peer reads it back', async (profile) => {
    peer.setBehaviour({});
    await withExporter(target(peer, profile), async (exporter) => {
      const connectionsBefore = peer.connections;
      for (const { name, item } of everyKind()) {
        const payload = await exporter.render(item);
        expect(payload.contentType).toBe('x-application/hl7-v2+er7');
        const outcome = await exporter.send(payload, ctx(item));
        expect(outcome, name).toMatchObject({ result: 'done', status: 'AA' });
        const stored = peer.accepted().find((m) => m.controlId === item.controlId);
        expect(stored, name).toBeDefined();
        if (stored) expectReadBack(stored, item, profile);
      }
      // One connection, kept open for every message.
      expect(peer.connections).toBe(connectionsBefore + 1);
    });
  });

  it('carries HL7 delimiters in a serial number and a >600 meter reading intact', async () => {
    peer.setBehaviour({});
    const scale = exportItem(READINGS.weightHeightBmi);
    const high = exportItem(READINGS.glucoseHigh);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      for (const item of [scale, high]) expect((await exporter.send(await exporter.render(item), ctx(item))).result).toBe('done');
    });
    const s = peer.accepted().find((m) => m.controlId === scale.controlId);
    expect(s?.field('OBX', 18, 1, 0)).toBe('S-77|^&~\\');
    expect(s?.field('OBX', 18, 3, 0)).toBe('284');
    const g = peer.accepted().find((m) => m.controlId === high.controlId);
    expect(g?.field('OBX', 2)).toBe('SN');
    expect([g?.field('OBX', 5, 1), g?.field('OBX', 5, 2)]).toEqual(['>', '600']);
    expect(g?.field('OBX', 6, 1)).toBe('mg/dL');
    expect(g?.field('OBX', 8)).toBe('HH');
  });

  it('a resend of the same payload is acknowledged and stored once (dedup on MSH-3 + MSH-10)', async () => {
    peer.setBehaviour({});
    const item = exportItem(READINGS.glucose);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      const payload = await exporter.render(item);
      const received = peer.received;
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done', status: 'AA' });
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done', status: 'AA' });
      expect(peer.received).toBe(received + 2);
    });
    expect(peer.accepted().filter((m) => m.controlId === item.controlId)).toHaveLength(1);
  });

  it('AE with a reason is dead, carrying the reason unescaped', async () => {
    const reason = 'Unknown patient MRN-20418 | check PID-3 & retry ^ later';
    peer.setBehaviour({ answer: 'AE', text: reason });
    const item = exportItem(READINGS.temperature);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      const outcome = await exporter.send(await exporter.render(item), ctx(item));
      expect(outcome).toMatchObject({ result: 'dead', status: 'AE' });
      expect(outcome.result === 'dead' ? outcome.message : '').toContain(reason);
      expect(outcome.response).toContain('MSA|AE|' + item.controlId);
    });
    expect(peer.accepted().some((m) => m.controlId === item.controlId)).toBe(false);
    peer.setBehaviour({});
  });

  it('AR is retried later; once the receiver takes it, it is done', async () => {
    peer.setBehaviour({ answer: 'AR', text: 'Receiver busy' });
    const item = exportItem(READINGS.ketone);
    await withExporter(target(peer, 'pcd-01'), async (exporter) => {
      const payload = await exporter.render(item);
      const outcome = await exporter.send(payload, ctx(item));
      expect(outcome).toMatchObject({ result: 'retry', status: 'AR' });
      expect(outcome.result === 'retry' ? outcome.message : '').toContain('Receiver busy');
      peer.setBehaviour({});
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done' });
    });
  });

  it.each(['AA', 'AE', 'AR'] as const)(
    'an %s naming another message (MSA-2 is not our MSH-10) is no answer: the exporter waits for its own ACK until ackTimeoutMs (retry, timeout); the resend is done, stored once',
    async (code) => {
      const other = exportItem(READINGS.glucose);
      const item = exportItem(READINGS.temperature);
      peer.setBehaviour({ answer: code, foreignAck: { controlId: other.controlId } });
      await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
        const payload = await exporter.render(item);
        const received = peer.received;
        const outcome = await exporter.send(payload, ctx(item));
        expect(peer.received).toBe(received + 1);
        // Not done (AA), not dead (AE), not the receiver's "not now" (AR): the foreign ACK is not kept either.
        expect(outcome).toMatchObject({ result: 'retry', status: 'timeout', response: '' });
        peer.setBehaviour({});
        const resent = await exporter.send(payload, ctx(item));
        expect(resent).toMatchObject({ result: 'done', status: 'AA' });
        expect(resent.response).toContain(`MSA|AA|${item.controlId}`);
      });
      expect(peer.accepted().filter((m) => m.controlId === item.controlId)).toHaveLength(1);
      expect(peer.accepted().some((m) => m.controlId === other.controlId)).toBe(false);
    },
  );

  it('an ACK naming another message, followed by the right one, is skipped: the right ACK makes it done, once, and the line stays in step', async () => {
    const other = exportItem(READINGS.glucose);
    const item = exportItem(READINGS.temperature);
    const next = exportItem(READINGS.ketone);
    // The foreign ACK is a refusal: taken for ours it would make this message dead.
    peer.setBehaviour({ foreignAck: { controlId: other.controlId, code: 'AE', thenRight: true } });
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      const received = peer.received;
      const outcome = await exporter.send(await exporter.render(item), ctx(item));
      expect(outcome).toMatchObject({ result: 'done', status: 'AA' });
      expect(outcome.response).toContain(`MSA|AA|${item.controlId}`);
      expect(outcome.response).not.toContain(other.controlId);
      expect(peer.received).toBe(received + 1);
      peer.setBehaviour({});
      const after = await exporter.send(await exporter.render(next), ctx(next));
      expect(after).toMatchObject({ result: 'done', status: 'AA' });
      expect(after.response).toContain(`MSA|AA|${next.controlId}`);
    });
    expect(peer.accepted().filter((m) => m.controlId === item.controlId)).toHaveLength(1);
  });

  it('a commit accept (CA) counts as delivered', async () => {
    peer.setBehaviour({ answer: 'CA' });
    const item = exportItem(READINGS.spo2AndPulse);
    await withExporter(target(peer, 'pcd-01'), async (exporter) => {
      expect(await exporter.send(await exporter.render(item), ctx(item))).toMatchObject({ result: 'done', status: 'CA' });
    });
    peer.setBehaviour({});
  });

  it('an ACK later than ackTimeoutMs is a timeout (retry); the resend goes on a new connection, is done and stored once', async () => {
    peer.setBehaviour({ delayMs: 2_000 });
    const item = exportItem(READINGS.bloodPressure);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      const payload = await exporter.render(item);
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'retry', status: 'timeout' });
      peer.setBehaviour({});
      const connections = peer.connections;
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done', status: 'AA' });
      expect(peer.connections).toBe(connections + 1);
    });
    expect(peer.accepted().filter((m) => m.controlId === item.controlId)).toHaveLength(1);
  });

  it('a dropped connection is retried, and the next send reconnects and succeeds', async () => {
    const first = exportItem(READINGS.glucoseMolar);
    const second = exportItem(READINGS.glucoseMolar);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      peer.setBehaviour({});
      expect((await exporter.send(await exporter.render(first), ctx(first))).result).toBe('done');
      peer.setBehaviour({ drop: true });
      const payload = await exporter.render(second);
      const outcome = await exporter.send(payload, ctx(second));
      expect(outcome.result).toBe('retry');
      peer.setBehaviour({});
      const connections = peer.connections;
      expect(await exporter.send(payload, ctx(second))).toMatchObject({ result: 'done', status: 'AA' });
      expect(peer.connections).toBe(connections + 1);
    });
  });

  it('a stopped receiver is ECONNREFUSED (retry); once restarted, delivery is done', async () => {
    peer.setBehaviour({});
    const before = exportItem(READINGS.temperature);
    const item = exportItem(READINGS.temperature);
    await withExporter(target(peer, 'oru-r01-2.5.1'), async (exporter) => {
      expect((await exporter.send(await exporter.render(before), ctx(before))).result).toBe('done');
      const payload = await exporter.render(item);
      await peer.stop();
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'retry', status: 'ECONNREFUSED' });
      expect(await exporter.test(new AbortController().signal)).toEqual({ ok: false, message: `Nothing is listening on 127.0.0.1:${peer.port}.` });
      await peer.restart();
      expect(await exporter.test(new AbortController().signal)).toEqual({ ok: true, message: `Connected to 127.0.0.1:${peer.port}.` });
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done', status: 'AA' });
    });
    // The restarted receiver kept what it had before.
    expect(peer.accepted().some((m) => m.controlId === before.controlId)).toBe(true);
  });

  it('an abort ends the attempt as retry, before sending and while waiting for the ACK', async () => {
    const item = exportItem(READINGS.glucose);
    await withExporter(target(peer, 'oru-r01-2.5.1', { ackTimeoutMs: 60_000 }), async (exporter) => {
      const payload = await exporter.render(item);
      expect(await exporter.send(payload, ctx(item, AbortSignal.abort()))).toMatchObject({ result: 'retry', status: 'aborted' });

      peer.setBehaviour({ delayMs: 60_000 });
      const received = peer.received;
      const stop = new AbortController();
      const pending = exporter.send(payload, ctx(item, stop.signal));
      await vi.waitFor(() => expect(peer.received).toBe(received + 1));
      stop.abort();
      expect(await pending).toMatchObject({ result: 'retry', status: 'aborted' });
      peer.setBehaviour({});
      expect(await exporter.send(payload, ctx(item))).toMatchObject({ result: 'done' });
    });
  });

  it('close leaves no timer and no socket behind', async () => {
    peer.setBehaviour({});
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const item = exportItem(READINGS.glucose);
    const exporter = createHl7Exporter(target(peer, 'oru-r01-2.5.1'), {});
    expect((await exporter.send(await exporter.render(item), ctx(item))).result).toBe('done');
    expect((await exporter.test(new AbortController().signal)).ok).toBe(true);
    await exporter.close();
    // Other work in this process (the peers' own timers) may still be settling: wait for it,
    // and never count more timers than before the exporter existed.
    await vi.waitFor(() => expect(timers()).toBeLessThanOrEqual(before));
    // A closed exporter does not reconnect.
    expect(await exporter.send(await exporter.render(item), ctx(item))).toMatchObject({ result: 'retry', status: 'closed' });
  });
});
