import { describe, expect, it } from 'vitest';
import { DriverManifestSchema, runAgainstSimulator } from '../../kit/index.ts';
import { sdCodefreeDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const play = (scenario: string, fault?: 'bad-checksum' | 'truncate') => runAgainstSimulator(driver, { scenario, startMs: START, ...(fault ? { fault } : {}) });

describe('sd-codefree driver (against its simulator)', () => {
  it('has a valid manifest: serial 38400 8N1 through the CP210x 10c4:ea60', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toMatchObject({ type: 'serial', serial: { baudRate: 38400 } });
  });

  it('waits for the meter’s greeting, then downloads every record newest first with meal flags', async () => {
    const run = await play('memory');
    expect(run.result.error, run.result.error?.message).toBeUndefined();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
    const readings = run.result.readings;
    expect(readings).toHaveLength(30);
    expect(readings[0]?.device).toEqual({ manufacturer: 'SD Biosensor', model: 'SD CodeFree' });
    expect(readings.every((r) => r.kind === 'patient')).toBe(true);
    expect(readings[1]?.flags).toEqual(['meal:before']);
    expect(readings[3]?.flags).toEqual(['meal:after']);
    const times = readings.map((r) => r.deviceTime ?? '');
    expect([...times].sort().reverse()).toEqual(times);
    // Exactly one fetch per record: a fetch after the last would make the meter hang up.
    const fetches = run.traffic.filter((c) => c.direction === 'out' && c.bytes[4] === 0x60).length;
    expect(fetches).toBe(30);
  });

  it('skips the spurious 00 and reads the notes’ count of 37', async () => {
    const run = await play('notes');
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toHaveLength(37);
  });

  it('an empty meter completes with no reading', async () => {
    const run = await play('empty');
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toEqual([]);
  });

  it('a record with a bad checksum ends the download with the records before it, never asking twice', async () => {
    const run = await play('checksum-error');
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('PROTOCOL_CHECKSUM');
    expect(run.result.readings).toHaveLength(3);
  });

  it('fails cleanly on a meter whose every packet is corrupt or cut', async () => {
    for (const fault of ['bad-checksum', 'truncate'] as const) {
      const run = await play('memory', fault);
      expect(run.result.end, fault).toBe('failed');
      expect(run.result.readings).toEqual([]);
      expect(run.timersLeft).toBe(0);
    }
  });
});
