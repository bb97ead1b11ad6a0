import { describe, expect, it } from 'vitest';
import { createLinkPair, runSession, toHex, TappedLink, TrackedClock, VirtualClock, type SessionEvent, type TappedChunk } from '../../kit/index.ts';
import { verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { lifescanOnetouchVerioIqDriver as driver } from './index.ts';
import { requestPacket, writeClockCommand } from './protocol.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

/** The simulator and a session over a memory pair on a virtual clock, with the clock set on request. */
async function playSettingClock(scenario: string) {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const stopMeter = new AbortController();
  const events: SessionEvent[] = [];
  const traffic: TappedChunk[] = [];
  const host = new TappedLink(pair.host, (c) => traffic.push(c), clock);
  const meter = driver.simulator.run({ link: pair.device, clock, signal: stopMeter.signal, scenario }).then(() => pair.device.close());
  const session = runSession({ driver, link: host, clock, signal: new AbortController().signal, setDeviceClock: true, onEvent: (e) => events.push(e) }).finally(() => {
    stopMeter.abort();
    void pair.host.close();
  });
  await virtual.runUntilIdle();
  const [result] = await Promise.all([session, meter]);
  await virtual.runUntilIdle();
  return { result, events, traffic, timersLeft: clock.pending };
}

describe('setting the Verio IQ clock', () => {
  it('a meter 2 h behind is set to the workstation time (seconds since 2000) and read back, only when asked', async () => {
    const run = await playSettingClock('clock-off');
    expect(run.result.error).toBeUndefined();
    expect(run.result.deviceClock).toMatchObject({ canSet: true, set: true });
    expect(run.timersLeft).toBe(0);
    const written = run.traffic.filter((c) => c.direction === 'out').map((c) => toHex(c.bytes));
    const rtcWrites = written.filter((w) => w.startsWith('02 0D 00 03 20 01'));
    expect(rtcWrites.length).toBe(1);
    // The written time is the workstation's within the download's few virtual seconds.
    const seconds = new DataView(Uint8Array.from(rtcWrites[0]?.split(' ').map((h) => parseInt(h, 16)) ?? []).buffer).getUint32(6, true);
    expect(Math.abs(seconds - verioSecondsFromEpochMs(START))).toBeLessThan(30);
    expect(rtcWrites[0]).toBe(toHex(requestPacket(writeClockCommand(seconds))));
    // Read back after the write: the last request is READ RTC, and it matched (no problem reported).
    expect(written.at(-1)).toBe('02 09 00 03 20 02 03 D4 92');
    expect(run.events.filter((e) => e.type === 'problem')).toEqual([]);
  });

  it('a meter whose clock is right is left alone', async () => {
    const run = await playSettingClock('memory');
    expect(run.result.deviceClock).toMatchObject({ set: false });
    expect(run.traffic.some((c) => c.direction === 'out' && toHex(c.bytes).startsWith('02 0D 00 03 20 01'))).toBe(false);
  });
});
