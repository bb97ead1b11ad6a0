import { describe, expect, it } from 'vitest';
import { runAgainstSimulator, toHex } from '../../kit/index.ts';
import { rocheAccuChekUsbDriver as driver } from './index.ts';

const START = Date.parse('2026-03-02T10:15:00Z');
const run = (scenario: string) => runAgainstSimulator(driver, { scenario, startMs: START });
const values = (r: Awaited<ReturnType<typeof run>>) => r.result.readings.map((x) => x.observations[0]?.value);

describe('roche-accu-chek-usb against its simulator', () => {
  it('reads the whole memory with identity, clock, HI, LO and a control result, and releases', async () => {
    const r = await run('memory');
    expect(r.result.error).toBeUndefined();
    expect(r.result.readings).toHaveLength(60);
    const first = r.result.readings[0];
    expect(first?.device).toEqual({ manufacturer: 'Roche', model: 'Accu-Chek Guide (929)', serial: 'SIMAC0001', firmware: '01.02.03' });
    // The meter states whole seconds, read a few ms of virtual time into the session.
    expect(r.events.some((e) => e.type === 'device-clock' && e.skewMs >= 0 && e.skewMs < 1000 && e.canSet)).toBe(true);
    const hi = r.result.readings.filter((x) => x.flags.includes('out-of-range:high'));
    const lo = r.result.readings.filter((x) => x.flags.includes('out-of-range:low'));
    expect(hi.map((x) => x.observations[0]?.value)).toEqual([{ kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }]);
    expect(lo.map((x) => x.observations[0]?.value)).toEqual([{ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }]);
    expect(r.result.readings.filter((x) => x.kind === 'control')).toHaveLength(1);
    // Oldest first, as the meter sends its segment.
    const times = r.result.readings.map((x) => x.deviceTime ?? '');
    expect([...times].sort()).toEqual(times);
    const progress = r.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 60, total: 60 });
    // The last thing the hub sends is the release request.
    const lastOut = r.traffic.filter((c) => c.direction === 'out').at(-1);
    expect(lastOut && toHex(lastOut.bytes)).toBe('E4 00 00 02 00 00');
    expect(r.result.problems).toEqual({});
  });

  it('sends the published request bytes in the notes scenario and reads its two entries (104 mg/dL, HI)', async () => {
    const r = await run('notes');
    const out = r.traffic.filter((c) => c.direction === 'out').map((c) => toHex(c.bytes));
    expect(out).toContain('E7 00 00 0E 00 0C 00 02 01 03 00 06 00 00 00 00 00 00');
    expect(out).toContain('E7 00 00 10 00 0E 00 04 01 07 00 08 00 10 0C 1C 00 02 00 00');
    expect(out).toContain('E7 00 00 1E 00 1C 00 05 02 01 00 16 00 10 FF FF FF FF 0D 21 00 0C 00 00 00 00 00 00 00 00 00 02 00 80');
    expect(r.result.readings.map((x) => x.deviceTime)).toEqual(['2024-03-05T07:42:00', '2024-03-04T21:05:00']);
    expect(values(r)).toEqual([
      { kind: 'quantity', value: 104, unit: 'mg/dL' },
      { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' },
    ]);
    expect(r.result.readings[0]?.device.model).toBe('Accu-Chek Instant (958)');
  });

  it('an empty meter completes with no reading and progress 0 of 0', async () => {
    const r = await run('empty');
    expect(r.result.error).toBeUndefined();
    expect(r.result.end).toBe('completed');
    expect(r.result.readings).toEqual([]);
    expect(r.events.filter((e) => e.type === 'progress').at(-1)).toEqual({ type: 'progress', done: 0, total: 0 });
  });

  it('a meter clock 2 h behind is reported and flagged, times corrected', async () => {
    const r = await run('clock-off');
    const clock = r.events.find((e) => e.type === 'device-clock');
    expect(clock?.type === 'device-clock' && Math.round(clock.skewMs / 1000)).toBe(2 * 3600);
    expect(r.result.readings).toHaveLength(12);
    for (const x of r.result.readings) expect(x.flags).toContain('clock-skew');
  });

  it('refuses a configuration without a PM-store as unsupported and takes the one the meter offers next', async () => {
    const r = await run('fallback');
    expect(r.result.error).toBeUndefined();
    expect(r.result.readings).toHaveLength(12);
    expect(r.result.problems.PROTOCOL_UNEXPECTED).toBe(1);
    const rsp = r.traffic.filter((c) => c.direction === 'out').map((c) => toHex(c.bytes)).filter((h) => h.includes('0D 1C 00 04'));
    expect(rsp).toEqual(['E7 00 00 16 00 14 00 01 02 01 00 0E 00 00 00 00 00 00 0D 1C 00 04 40 01 00 01', 'E7 00 00 16 00 14 00 02 02 01 00 0E 00 00 00 00 00 00 0D 1C 00 04 40 00 00 00']);
  });

  it('keeps mmol/L values with their decimal when the configuration says mmol/L', async () => {
    const r = await run('mmol');
    expect(values(r)).toEqual([4, 5.3, 6.6, 7.9, 9.2, 10.5].map((value) => ({ kind: 'quantity', value, unit: 'mmol/L', decimals: 1 })));
  });

  it('a second download gives the same readings, so the hub recognises every one as already stored', async () => {
    const strip = (r: Awaited<ReturnType<typeof run>>) => r.result.readings.map(({ receivedAt: _r, ...rest }) => rest);
    expect(strip(await run('memory'))).toEqual(strip(await run('memory')));
  });
});
