import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomChunks, runAgainstSimulator } from '../../kit/index.ts';
import { mulberry32 } from '../../kit/conformance.ts';
import { silentDevice, storedFields as stored, writtenChunks } from '../../../test/helpers/meter-session-tests.ts';
import { isensCaresensDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const onSerial = (scenario: string, extra: Parameters<typeof runAgainstSimulator>[1] = {}) => runAgainstSimulator(driver, { scenario, startMs: START, link: 'serial', ...extra });

describe('isens-caresens on its serial link (ReliOn Premier, GLUCOCARD Shine: FTDI cable, bytes as they are)', () => {
  it('downloads the memory with the bare ECHO byte and frames on the line, no CP2110 wrapping', async () => {
    const run = await onSerial('memory');
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.result.readings[0]?.device).toEqual({ manufacturer: 'i-SENS', model: 'ReliOn Premier / GLUCOCARD Shine', serial: 'CSN12345678' });
    expect(run.result.readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    const written = writtenChunks(run);
    expect(written[0]).toEqual([0x80]);
    // The notes' RSNB vector, unwrapped.
    expect(written[1]).toEqual([0x02, 0x69, 0x53, 0x50, 0x63, 0x07, 0x52, 0x53, 0x4e, 0x42, 0xb1, 0x4c, 0x03]);
  });

  it('gives the same readings as over the CP2110, but for the model the link names', async () => {
    const serial = await onSerial('crc-error');
    const cp2110 = await runAgainstSimulator(driver, { scenario: 'crc-error', startMs: START });
    expect(serial.result.readings.map(stored)).toEqual(cp2110.result.readings.map(stored));
    expect(serial.result.problems).toEqual(cp2110.result.problems);
  });

  it('a meter that never answers fails with DEVICE_NO_RESPONSE after the 4 s serial waits, leaving no timer', async () => {
    const { result, timersLeft } = await silentDevice(driver, START, 'bytes');
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(result.error?.message).toMatch(/4000 ms/);
    expect(timersLeft).toBe(0);
  });

  it('an older meter (protocol 1) is refused with a clear message', async () => {
    const run = await onSerial('protocol-1');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/protocol 1/);
  });

  it('the serial bytes cut anywhere give the same readings', async () => {
    const whole = (await onSerial('crc-error')).result.readings.map((r) => [r.deviceTime, r.observations]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const run = await onSerial('crc-error', { chunker: randomChunks(mulberry32(seed), 11) });
        expect(run.result.readings.map((r) => [r.deviceTime, r.observations])).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});

describe('isens-caresens live trace, framed by the link the session runs on', () => {
  const RSNB = Uint8Array.of(0x02, 0x69, 0x53, 0x50, 0x63, 0x07, 0x52, 0x53, 0x4e, 0x42, 0xb1, 0x4c, 0x03);
  const annotator = driver.traceAnnotator;
  it('reads serial chunks as bytes, CP2110 reports by their count, Shine reports after id 1 and count', () => {
    const serial = annotator?.framer('out', { mode: 'bytes' }).push(RSNB);
    expect(serial?.[0]?.frame).toMatchObject({ kind: 'stx-etx', checksum: 'good' });
    const cp2110 = annotator?.framer('out', { mode: 'reports' }).push(Uint8Array.of(RSNB.length, ...RSNB));
    expect(cp2110?.[0]?.frame).toMatchObject({ kind: 'hid-report', checksum: 'good' });
    const shine = annotator?.framer('out', { mode: 'reports', usb: { vendorId: 0x0483, productId: 0xa18b } }).push(Uint8Array.of(1, RSNB.length, ...RSNB));
    expect(shine?.[0]?.frame).toMatchObject({ kind: 'hid-report', checksum: 'good' });
    expect(shine?.[0]?.frame.note).toMatch(/RSNB/);
  });
});
