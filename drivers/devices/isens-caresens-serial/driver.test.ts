import { describe, expect, it } from 'vitest';
import { DriverManifestSchema, TrackedClock, VirtualClock, createLinkPair, runAgainstSimulator, runSession } from '../../kit/index.ts';
import { isensCaresensSerialDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

describe('isens-caresens-serial driver (against its simulator on a byte link)', () => {
  it('has a valid manifest: serial 9600 8N1, no generic FTDI id claimed', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toEqual({ type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } });
    expect(driver.manifest.usb).toEqual([]);
  });

  it('downloads the memory with the bare ECHO byte and frames on the line', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.result.readings[0]?.device).toEqual({ manufacturer: 'i-SENS', model: 'iSPc meter (serial)', serial: 'CSN12345678' });
    expect(run.result.readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    const written = run.traffic.filter((c) => c.direction === 'out').map((c) => Array.from(c.bytes));
    expect(written[0]).toEqual([0x80]);
    expect(written[1]).toEqual([0x02, 0x69, 0x53, 0x50, 0x63, 0x07, 0x52, 0x53, 0x4e, 0x42, 0xb1, 0x4c, 0x03]);
  });

  it('a meter that never answers fails with DEVICE_NO_RESPONSE after the 4 s waits, leaving no timer', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair({ mode: 'bytes' });
    const session = runSession({ driver, link: pair.host, clock });
    await virtual.runUntilIdle();
    const result = await session;
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(result.error?.message).toMatch(/4000 ms/);
    expect(clock.pending).toBe(0);
  });

  it('an older meter (protocol 1) is refused with a clear message', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'protocol-1', startMs: START });
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/protocol 1/);
  });
});
