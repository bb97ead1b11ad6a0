import { describe, expect, it } from 'vitest';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { ASTM, createLinkPair, DriverManifestSchema, encodeAstmFrame, resolveOptions, runAgainstSimulator, runSession, type SessionEvent, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { astmMessageFrames } from '../../families/astm/sender.ts';
import { LIS_FRAMES } from '../../families/astm/vectors.ts';
import { astmUrineDriver as driver } from './index.ts';
import { EXAMPLE_RECORDS } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const run = (scenario: string, options: Record<string, unknown> = {}) => runAgainstSimulator(driver, { scenario, options, startMs: START });
const problemsOf = (events: readonly SessionEvent[]): Extract<SessionEvent, { type: 'problem' }>[] => events.flatMap((e) => (e.type === 'problem' ? [e] : []));
const values = (r: Reading): [string, string | undefined, unknown][] =>
  r.observations.map((o) => {
    const v = o.value;
    const shown = v?.kind === 'quantity' ? `${v.comparator ?? ''}${v.value} ${v.unit}` : v?.kind === 'unmapped' ? `unmapped ${v.label}: ${v.text}` : v?.kind === 'text' ? v.text : v?.kind === 'ordinal' ? `ord ${v.code} (${v.text})` : '-';
    return [o.code ?? '-', o.interpretation, shown];
  });

describe('manifest', () => {
  it('is valid: serial 9600 8N1 that also speaks TCP both ways, with the test-code map options', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toMatchObject({ type: 'serial', role: 'both', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 } });
    expect(resolveOptions(driver.manifest)).toEqual({ codeMap: 'generic', testCodes: '', frameWaitSeconds: 30 });
  });

  it('refuses a test-code map naming a code the catalog lacks, with the entry named', () => {
    expect(() => resolveOptions(driver.manifest, { testCodes: 'GLU=5792-7 mg/dL; ASC=99999-9' })).toThrow(/ASC: 99999-9 is not a code in the catalog/);
    expect(() => resolveOptions(driver.manifest, { testCodes: 'GLU=5792-7 mmol/L' })).toThrow(/mmol\/L is not a unit of 5792-7/);
    expect(resolveOptions(driver.manifest, { testCodes: 'ASC=5792-7 mg/dL' })['testCodes']).toBe('ASC=5792-7 mg/dL');
  });
});

describe('the simulator sends as E1381 says', () => {
  it('the worked example re-encoded frame by frame is byte for byte the published one (FN wrap, 240 + 41 split)', () => {
    const published = LIS_FRAMES.map((f) => encodeAstmFrame(f.number, f.text, f.last));
    expect(astmMessageFrames(EXAMPLE_RECORDS)).toEqual(published);
    expect(LIS_FRAMES.map((f) => String.fromCharCode(...(published[LIS_FRAMES.indexOf(f)] ?? []).slice(-4, -2)))).toEqual(LIS_FRAMES.map((f) => f.checksum));
  });
});

describe('sessions against the simulator', () => {
  it('strip: one reading with the ten results, sample id, operator, comment and the R completion time', async () => {
    const r = await run('strip');
    expect(r.result.readings).toHaveLength(1);
    const reading = r.result.readings[0] as Reading;
    expect(ReadingSchema.safeParse(reading).success).toBe(true);
    expect(reading.device).toEqual({ manufacturer: 'ASTM analyzer', model: 'UA-STRIP', serial: 'SN20931', firmware: '1.04' });
    expect(reading.deviceTime).toBe('2024-03-15T09:30:00');
    expect(reading.context).toMatchObject({ sampleId: 'SPC7781', operatorId: 'OP01', patientId: 'PID0042', patientName: 'Doe, Jane' });
    expect(reading.context?.notes?.[0]).toMatch(/^LEU: Specimen flagged for microscopy review.*timed read cycle\.$/);
    expect(values(reading)).toEqual([
      // The urine vocabulary puts words on the Presence code, numbers on the Mass/volume code.
      ['25428-4', 'N', 'ord neg (Negative)'],
      ['5770-3', 'N', 'ord neg (Negative)'],
      ['5797-6', 'A', '5 mg/dL'],
      ['5811-5', 'N', '1.02 1'],
      ['5794-3', 'N', 'ord neg (Negative)'],
      ['5803-2', 'N', '6 [pH]'],
      ['5804-0', 'A', '30 mg/dL'],
      // Ehrlich units are not mg/dL: kept unmapped under the code, never converted.
      ['20405-7', undefined, 'unmapped URO: 0.2 E.U./dL'],
      ['5802-4', 'A', 'ord pos (Positive)'],
      ['5799-2', 'A', 'ord small (Small)'],
    ]);
    expect(reading.flags).toEqual(['abnormal', 'clock-skew']); // the example's 2024 clock against 2026
    expect(r.result.problems).toEqual({});
    expect(r.timersLeft).toBe(0);
  });

  it('generic: two readings; an unknown code stays unmapped; the port map can map it', async () => {
    const r = await run('generic');
    expect(r.result.readings.map((x) => x.context?.sampleId)).toEqual(['U1', 'U2']);
    const first = values(r.result.readings[0] as Reading);
    expect(first).toContainEqual(['-', undefined, 'unmapped ASC: 20 mg/dL']);
    expect(first).toContainEqual(['5797-6', 'A', '>=80 mg/dL']);
    expect(first).toContainEqual(['5804-0', 'A', '30 mg/dL']);
    const mapped = await run('generic', { testCodes: 'ASC=5792-7 mg/dL' });
    expect(values(mapped.result.readings[0] as Reading)).toContainEqual(['5792-7', 'N', '20 mg/dL']);
    const none = await run('generic', { codeMap: 'none' });
    expect(values(none.result.readings[1] as Reading).every(([code]) => code === '-')).toBe(true);
  });

  it('nak-resend: the damaged frame is NAKed, sent again, and the message makes its one reading', async () => {
    const r = await run('nak-resend');
    expect(r.result.readings).toHaveLength(1);
    expect(r.result.problems).toMatchObject({ PROTOCOL_CHECKSUM: 1 });
    expect(r.traffic.filter((c) => c.direction === 'out' && c.bytes[0] === ASTM.NAK)).toHaveLength(1);
  });

  it('enq-while-busy: the abandoned start is dropped and reported, the resent message is one reading', async () => {
    const r = await run('enq-while-busy');
    expect(r.result.readings).toHaveLength(1);
    expect(problemsOf(r.events).map((p) => p.message).join('\n')).toMatch(/discarded.*began the message again/);
  });

  it('cut: nothing half-stored — no reading and a problem', async () => {
    const r = await run('cut');
    expect(r.result.readings).toEqual([]);
    expect(problemsOf(r.events).some((p) => p.code === 'PROTOCOL_TRUNCATED' && /discarded, no reading made: the connection ended after 6 record/.test(p.message))).toBe(true);
  });

  it('an analyzer silent inside a message for the frame wait: the message is discarded, the next one is read', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const events: SessionEvent[] = [];
    const session = runSession({ driver, link: pair.host, clock, onEvent: (e) => events.push(e) });
    const frames = astmMessageFrames(EXAMPLE_RECORDS);
    await pair.device.write(Uint8Array.of(ASTM.ENQ));
    for (const f of frames.slice(0, 4)) await pair.device.write(f);
    await virtual.runUntilIdle(31_000);
    await pair.device.write(Uint8Array.of(ASTM.ENQ));
    for (const f of frames) await pair.device.write(f);
    await pair.device.write(Uint8Array.of(ASTM.EOT));
    await virtual.runUntilIdle();
    await pair.device.close();
    const result = await session;
    expect(result.readings).toHaveLength(1);
    expect(problemsOf(events).map((p) => p.message).join('\n')).toMatch(/fell silent for 30 s/);
    expect(clock.pending).toBe(0);
  });

  it('bad checksums everywhere: no reading, the NAKs and the give-up reported', async () => {
    const r = await runAgainstSimulator(driver, { fault: 'bad-checksum', startMs: START });
    expect(r.result.readings).toEqual([]);
    expect(problemsOf(r.events).map((p) => p.message).join('\n')).toMatch(/gave up on a frame after 6 NAK/);
  });
});
