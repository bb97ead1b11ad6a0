import { describe, expect, it } from 'vitest';
import { toOffsetDateTime } from '../../../shared/time.ts';
import { decodeAction, decodeApdu, DATA, ACTION, decodeAbsoluteTime, formatAbsoluteTime } from '../../families/ieee11073/index.ts';
import { createLinkPair, runSession, VirtualClock } from '../../kit/index.ts';
import { rocheAccuChekUsbDriver as driver } from './index.ts';
import { runMeter, SCENARIOS } from './simulator.ts';

const START = Date.parse('2026-03-02T10:15:00Z');

describe('setting the Accu-Chek clock (PROTOCOL.md §4)', () => {
  it('a meter 2 h behind is set on request with SET_TIME on the MDS, after the download and before the release', async () => {
    const clock = new VirtualClock(START);
    const pair = createLinkPair({ mode: 'bytes' });
    const hostWrites: Uint8Array[] = [];
    pair.device.onData((c) => hostWrites.push(c));
    const stop = new AbortController();
    const spec = SCENARIOS.find((s) => s.name === 'clock-off')?.spec;
    if (!spec) throw new Error('no clock-off scenario');
    const meter = runMeter({ link: pair.device, clock, signal: stop.signal, scenario: 'clock-off' }, spec);
    const session = runSession({ driver, link: pair.host, clock, setDeviceClock: true });
    await clock.runUntilIdle();
    const result = await session;
    stop.abort();
    await meter;
    expect(result.error).toBeUndefined();
    expect(result.readings).toHaveLength(12);
    expect(result.deviceClock?.set).toBe(true);
    const actions = hostWrites.flatMap((w) => {
      const d = decodeApdu(w);
      const a = d.ok && d.apdu.kind === 'prst' && d.apdu.choice === DATA.roivConfirmedAction ? decodeAction(d.apdu.message) : undefined;
      return a ? [a] : [];
    });
    const set = actions.find((a) => a.actionType === ACTION.setTime);
    expect(set?.handle).toBe(0);
    const t = set && decodeAbsoluteTime(set.args.slice(0, 8));
    // The workstation's local time at that moment, to the second (the session has run a few virtual ms).
    expect(t?.ok && formatAbsoluteTime(t.time).slice(0, 16)).toBe(toOffsetDateTime(START).slice(0, 16));
    expect(Array.from(set?.args.slice(8) ?? [])).toEqual([0, 0, 0, 0]);
    const last = hostWrites.at(-1);
    expect(last && Array.from(last)).toEqual([0xe4, 0, 0, 2, 0, 0]);
  });
});

describe('unplugged mid-download', () => {
  it('keeps the results of every confirmed event and fails with TRANSPORT_CLOSED (the meter resends everything next time; the hub keeps only what is new)', async () => {
    const clock = new VirtualClock(START);
    const pair = createLinkPair({ mode: 'bytes' });
    let confirms = 0;
    pair.device.onData((c) => {
      // A confirmation of segment data: rors-confirmed-event-report (02 01) of event 0D 21.
      if (c[8] === 0x02 && c[9] === 0x01 && c[18] === 0x0d && c[19] === 0x21 && ++confirms === 2) void pair.device.close();
    });
    const stop = new AbortController();
    const spec = SCENARIOS.find((s) => s.name === 'memory')?.spec;
    if (!spec) throw new Error('no memory scenario');
    const meter = runMeter({ link: pair.device, clock, signal: stop.signal, scenario: 'memory' }, spec);
    const session = runSession({ driver, link: pair.host, clock });
    await clock.runUntilIdle();
    const result = await session;
    stop.abort();
    await meter;
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(result.readings).toHaveLength(50);
  });
});
