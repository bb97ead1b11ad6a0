import { describe, expect, it } from 'vitest';
import { createLinkPair, mllpFrame, runAgainstSimulator, runSession, VirtualClock } from '../../kit/index.ts';
import { mindrayHl7Driver } from './index.ts';
import { pcd01Oru, pds204, pds503 } from './messages.ts';
import { PDS_KEEPALIVE_TEXT } from './protocol.ts';

const START = Date.UTC(2026, 6, 11, 9, 0, 0);
const text = (chunks: readonly { direction: string; bytes: Uint8Array }[], direction: 'in' | 'out'): string =>
  chunks.filter((c) => c.direction === direction).map((c) => new TextDecoder().decode(c.bytes)).join('');
const NUM = { hr: 72, rr: 16, spo2: 98, pr: 71, temp: '36.8' };

describe('mindray-hl7 session against its simulator', () => {
  it('pds: one NIBP reading although the 503 comes twice; numerics live; the keep-alive flows every second', async () => {
    const { result, events, traffic, timersLeft } = await runAgainstSimulator(mindrayHl7Driver, { scenario: 'pds', startMs: START });
    expect(result.readings).toHaveLength(1);
    const [panel, pulse] = result.readings[0]?.observations ?? [];
    expect(panel?.components?.map((c) => c.value?.kind === 'quantity' && c.value.value)).toEqual([120, 80, 93]);
    expect(pulse?.mdc).toBe(149546);
    expect(result.readings[0]?.device.model).toBe('monitor (PDS HL7 2.3.1)');
    const live = events.flatMap((e) => (e.type === 'live' ? [e] : []));
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(live[0]?.observations.map((o) => o.code)).toEqual(['8867-4', '9279-1', '59408-5', '8867-4', '8310-5']);
    // 6 messages a second apart: the hub kept the link alive throughout (the simulator drops it otherwise).
    expect(text(traffic, 'out').split(PDS_KEEPALIVE_TEXT).length - 1).toBeGreaterThanOrEqual(5);
    expect(result.problems).toEqual({});
    expect(timersLeft).toBe(0);
  });

  it('pcd01: every message acknowledged MSA|AA|<MSH-10>; one reading with the EUI-64 as serial', async () => {
    const { result, traffic, timersLeft } = await runAgainstSimulator(mindrayHl7Driver, { scenario: 'pcd01', startMs: START });
    expect(result.readings).toHaveLength(1);
    expect(result.readings[0]?.device).toEqual({ manufacturer: 'Mindray', model: 'monitor (IHE PCD-01 HL7 2.6)', serial: '00A03700273EDE18' });
    const acks = [...text(traffic, 'out').matchAll(/MSA\|AA\|(\d+)/g)].map((m) => m[1]);
    expect(acks).toEqual(['23545', '23546', '23547']);
    expect(text(traffic, 'out')).not.toContain(PDS_KEEPALIVE_TEXT);
    expect(timersLeft).toBe(0);
  });

  it('pcd01-lost-ack: the resent NIBP message is acknowledged again and is not a second reading', async () => {
    const { result, traffic } = await runAgainstSimulator(mindrayHl7Driver, { scenario: 'pcd01-lost-ack', startMs: START });
    expect(text(traffic, 'in').split('|23546|P|2.6').length - 1).toBe(2);
    expect(result.readings).toHaveLength(1);
  });

  it('refuses what it cannot use, in words: no-time NIBP, -100 values, an unknown version; none is a reading', async () => {
    const clock = new VirtualClock(START);
    const pair = createLinkPair();
    const session = runSession({ driver: mindrayHl7Driver, link: pair.host, clock });
    const noTime = 'MSH|^~\\&|||||||ORU^R01|503|P|2.3.1|\rOBX||NM|170^Sys|2105|120||||||F||APERIODIC|\rOBX||NM|171^Dia|2105|80||||||F||APERIODIC|\r';
    const invalid = pds503({ sys: -100, dia: -100, mean: -100, pr: -100, at: '20260711090000' });
    await pair.device.write(mllpFrame(noTime));
    await pair.device.write(mllpFrame(invalid));
    await pair.device.write(mllpFrame(pds204(NUM).replace('2.3.1', '2.4')));
    await pair.device.close();
    await clock.runUntilIdle();
    const result = await session;
    expect(result.readings).toEqual([]);
    expect(result.problems).toEqual({ DEVICE_ERROR: 2, PROTOCOL_GARBAGE: 1 });
  });

  it('a forced pds dialect sends the keep-alive before the monitor speaks, and ignores a PCD-01 message', async () => {
    const clock = new VirtualClock(START);
    const pair = createLinkPair();
    const out: string[] = [];
    pair.device.onData((c) => out.push(new TextDecoder().decode(c)));
    const stop = new AbortController();
    const session = runSession({ driver: mindrayHl7Driver, link: pair.host, clock, signal: stop.signal, options: { dialect: 'pds' } });
    await clock.runUntilIdle(2_500);
    expect(out.join('').split(PDS_KEEPALIVE_TEXT).length - 1).toBeGreaterThanOrEqual(2);
    await pair.device.write(mllpFrame(pcd01Oru('1', '20260711090000', NUM)));
    await clock.runUntilIdle(100);
    stop.abort();
    await clock.runUntilIdle();
    const result = await session;
    expect(result.problems).toEqual({ PROTOCOL_GARBAGE: 1 });
    expect(out.join('')).not.toContain('MSA|');
  });
});
