import { describe, expect, it } from 'vitest';
import { CATALOG, type CatalogKey } from '../../../shared/catalog.ts';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { DriverManifestSchema, runAgainstSimulator, type SessionEvent, type SimulatedRun } from '../../kit/index.ts';
import { siemensClinitek50Driver as driver } from './index.ts';
import { ACK, DC2, DC3, ENQ, NAK, XON } from './protocol.ts';

/** 2026-03-02 10:15 UTC; the fixtures and tests run with TZ=UTC. */
const START = Date.UTC(2026, 2, 2, 10, 15, 0);

const run = (scenario: string, opts: Parameters<typeof runAgainstSimulator>[1] = {}): Promise<SimulatedRun> => runAgainstSimulator(driver, { scenario, startMs: START, ...opts });
const progress = (events: readonly SessionEvent[]): { done: number; total?: number }[] => events.flatMap((e) => (e.type === 'progress' ? [{ done: e.done, total: e.total }] : []));
/** Every byte the host wrote, in order. */
const hostBytes = (r: SimulatedRun): number[] => r.traffic.filter((c) => c.direction === 'out').flatMap((c) => [...c.bytes]);
const byCode = (r: Reading | undefined, key: CatalogKey): unknown => r?.observations.find((o) => o.code === CATALOG[key].loinc);

describe('manifest', () => {
  it('is a urine download at 9600 8N1 with DTR held low', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({
      id: 'siemens-clinitek-50',
      category: 'urine',
      kind: 'download',
      checksum: true,
      transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, dtr: false },
    });
  });
});

describe('downloads from the simulator', () => {
  it('memory: ENQ, ID packet, three results each requested with XON DC2 and ACKed, NAK ends it', async () => {
    const r = await run('memory');
    expect(r.result.end).toBe('completed');
    expect(r.result.error).toBeUndefined();
    expect(r.result.problems).toEqual({});
    expect(r.timersLeft).toBe(0);
    expect(r.result.identity).toEqual({ manufacturer: 'Siemens', model: 'Clinitek 50', firmware: '01.02' });
    expect(r.result.deviceClock).toMatchObject({ deviceTime: '2026-03-02T10:15:00', canSet: false });
    expect(hostBytes(r)).toEqual([ENQ, XON, DC2, ACK, XON, DC2, ACK, XON, DC2, ACK, XON, DC2]);
    expect(progress(r.events)).toEqual([{ done: 0, total: undefined }, { done: 1, total: undefined }, { done: 2, total: undefined }, { done: 3, total: undefined }, { done: 3, total: 3 }]);
    expect(r.result.readings).toHaveLength(3);
    for (const reading of r.result.readings) expect(ReadingSchema.safeParse(reading).success).toBe(true);
    expect(r.result.readings.map((x) => [x.deviceTime, x.context?.sequence, x.context?.method])).toEqual([
      ['2026-03-02T07:15:00', '006', 'MULTISTIX 10 SG (DEUTSCH - CONV.)'],
      ['2026-03-02T08:40:00', '007', 'MULTISTIX 10 SG (DEUTSCH - CONV.)'],
      ['2026-03-02T09:55:00', '008', 'MULTISTIX 10 SG (DEUTSCH - CONV.)'],
    ]);
  });

  it('german: the capture words map through the urine family (NEGATIV, >=1.030, Ca 10 Ery/uL with *, 0 Leu/uL)', async () => {
    const { result } = await run('german');
    const reading = result.readings[0];
    expect(result.readings).toHaveLength(1);
    expect(reading?.kind).toBe('patient');
    expect(reading?.flags).toEqual(['abnormal']);
    expect(byCode(reading, 'urineColor')).toMatchObject({ value: { kind: 'text', text: 'HELL GELB' } });
    expect(byCode(reading, 'urineGlucosePresence')).toMatchObject({ value: { kind: 'ordinal', code: 'neg', text: 'NEGATIV' } });
    expect(byCode(reading, 'urineSpecificGravity')).toMatchObject({ value: { kind: 'quantity', value: 1.03, comparator: '>=', unit: '1' } });
    expect(byCode(reading, 'urinePh')).toMatchObject({ value: { kind: 'quantity', value: 5, unit: '[pH]' } });
    expect(byCode(reading, 'urineUrobilinogenMass')).toMatchObject({ value: { kind: 'quantity', value: 0.2, unit: 'mg/dL' } });
    expect(byCode(reading, 'urineBloodPresence')).toMatchObject({ value: { kind: 'ordinal', code: 'pos', text: 'Ca 10 Ery/uL' }, interpretation: 'A' });
    expect(byCode(reading, 'urineLeukocytesPresence')).toMatchObject({ value: { kind: 'ordinal', code: 'neg', text: '0 Leu/uL' } });
    expect(reading?.observations).toHaveLength(11);
  });

  it('english: English words and the ENGLISH - CONV. profile', async () => {
    const { result } = await run('english');
    expect(result.readings).toHaveLength(2);
    const [first, second] = result.readings;
    expect(first?.context).toEqual({ sequence: '041', method: 'MULTISTIX 10 SG (ENGLISH - CONV.)' });
    expect(byCode(first, 'urineKetonesPresence')).toMatchObject({ value: { kind: 'ordinal', code: 'trace' }, interpretation: 'A' });
    expect(byCode(first, 'urineBloodPresence')).toMatchObject({ value: { kind: 'ordinal', code: 'moderate' } });
    expect(byCode(second, 'urineSpecificGravity')).toMatchObject({ value: { kind: 'quantity', value: 1.005, comparator: '<=' } });
    expect(second?.flags).toEqual([]);
    expect(result.readings.flatMap((x) => x.observations).filter((o) => o.value?.kind === 'unmapped')).toEqual([]);
  });

  it('corrupted: the damaged packet is NAKed, comes again whole, and every result is read once', async () => {
    const r = await run('corrupted');
    expect(r.result.readings.map((x) => x.context?.sequence)).toEqual(['006', '007', '008']);
    expect(r.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(hostBytes(r)).toEqual([ENQ, XON, DC2, ACK, XON, DC2, NAK, ACK, XON, DC2, ACK, XON, DC2]);
  });

  it('damaged-record: a packet that never arrives whole is NAKed twice, then reported and skipped', async () => {
    const r = await run('damaged-record');
    expect(r.result.end).toBe('completed');
    expect(r.result.readings.map((x) => x.context?.sequence)).toEqual(['006', '008']);
    expect(r.result.problems).toEqual({ PROTOCOL_CHECKSUM: 3 });
    expect(hostBytes(r)).toEqual([ENQ, XON, DC2, ACK, XON, DC2, NAK, NAK, ACK, XON, DC2, ACK, XON, DC2]);
  });

  it('no-data: the first request is answered NAK: no reading, progress 0 of 0, no problem', async () => {
    const r = await run('no-data');
    expect(r.result.end).toBe('completed');
    expect(r.result.readings).toEqual([]);
    expect(r.result.problems).toEqual({});
    expect(progress(r.events).at(-1)).toEqual({ done: 0, total: 0 });
  });

  it('dc3-request: DC2 unanswered within the timeout, then DC3 for the rest of the download', async () => {
    const r = await run('dc3-request');
    expect(r.result.readings).toHaveLength(2);
    expect(r.result.problems).toEqual({});
    expect(hostBytes(r)).toEqual([ENQ, XON, DC2, XON, DC3, ACK, XON, DC3, ACK, XON, DC3]);
  });

  it('capture: the real ID packet (checksum 48): 1997 clock, MULTISTIX 8 SG, the reading corrected for the skew', async () => {
    const { result } = await run('capture');
    expect(result.deviceClock).toMatchObject({ deviceTime: '1997-06-20T13:49:00' });
    const reading = result.readings[0];
    expect(reading?.deviceTime).toBe('1997-03-03T11:11:00');
    expect(reading?.context?.method).toBe('MULTISTIX 8 SG (DEUTSCH - CONV.)');
    expect(reading?.flags).toContain('clock-skew');
  });

  it('truncated packets and bad checksums make no reading and are reported', async () => {
    const cut = await run('memory', { fault: 'truncate' });
    expect(cut.result.readings).toEqual([]);
    expect(cut.result.problems.PROTOCOL_TRUNCATED).toBe(3);
    expect(cut.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    const bad = await run('memory', { fault: 'bad-checksum' });
    expect(bad.result.readings).toEqual([]);
    expect(bad.result.problems.PROTOCOL_CHECKSUM).toBe(3);
  });

  it('an unknown scenario is refused naming the ones there are', async () => {
    const { VirtualClock, createLinkPair } = await import('../../kit/index.ts');
    const pair = createLinkPair();
    await expect(driver.simulator.run({ link: pair.device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('memory') });
  });
});

