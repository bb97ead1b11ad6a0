import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../drivers/index.ts';
import { measureConversation, needsConversation } from './conversation-throughput.ts';

/** The bench's conversation path measures what it says (counts, not time: nothing here is timed). */
describe('decode rows for drivers that answer a host', () => {
  it('routes the polled, HTTP and TCP drivers there, and those that write to the device (the Onyx clock read, an ASTM receiver’s ACKs), and streaming drivers and meters not', async () => {
    const routed: string[] = [];
    for (const d of DRIVERS) if (await needsConversation(d)) routed.push(d.manifest.id);
    expect(routed).toEqual(['astm-urine', 'contec-cms50', 'ge-dinamap', 'mindray-hl7', 'nonin-onyx-9560', 'welch-allyn-connex-sdk', 'welch-allyn-suretemp-plus']);
  });

  it.each([
    ['astm-urine', undefined, 1],
    ['contec-cms50', undefined, 1],
    ['ge-dinamap', undefined, 2],
    ['mindray-hl7', 'pds', 1],
    ['mindray-hl7', 'pcd01', 1],
    ['nonin-onyx-9560', undefined, 1],
    ['welch-allyn-connex-sdk', undefined, 3],
    ['welch-allyn-suretemp-plus', undefined, 1],
  ] as const)('%s (%s): every pass makes its readings, with bytes both ways', async (id, scenario, perPass) => {
    const driver = DRIVERS.find((d) => d.manifest.id === id);
    if (!driver) throw new Error(`no driver ${id}`);
    const r = await measureConversation(driver, { targetBytes: 10_000, runs: 1, ...(scenario === undefined ? {} : { scenario }) });
    expect(r.warning).toBeUndefined();
    expect(r.readingsPerPass).toBe(perPass);
    expect(r.readings).toBe(perPass * r.passes);
    expect(r.bytesToHostPerPass).toBeGreaterThan(0);
    expect(r.bytesToDevicePerPass).toBeGreaterThan(0);
    expect(r.writesPerPass).toBeGreaterThan(0);
    expect(r.end).toBe('ended');
  });
});
