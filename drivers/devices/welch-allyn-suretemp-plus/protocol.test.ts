import { describe, expect, it } from 'vitest';
import { BODY_SITES } from '../../../shared/observation.ts';
import { ALGORITHM, decodeTemperatureRecord, STATE } from './decode.ts';
import { normalizeTemperature } from './normalize.ts';
import { checksumByte, createFramer, encodePacket, TEMPERATURE_POLL, TYPE_COMMAND } from './protocol.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
/** The manual's example reply (PROTOCOL.md §3): ready, no final yet, probe at 34.22 °C. */
const EXAMPLE = hex('03 02 10 94 1C 02 13 00 00 00 00 00 76 AF 99 43 4E 00 00 00 00 00 02 00 00 01 00 D4');

describe('SureTemp packets', () => {
  it('the poll is the manual\'s bytes, and the published examples check out', () => {
    expect(TEMPERATURE_POLL).toEqual(hex('03 02 10 94 1C 01 00 00 3A'));
    expect(encodePacket(0x3503, TYPE_COMMAND, Uint8Array.of(1))).toEqual(hex('03 02 10 35 03 01 01 00 01 B0'));
    expect(encodePacket(0x2a12, 0x02)).toEqual(hex('03 02 10 2A 12 02 00 00 AD'));
    expect(checksumByte(EXAMPLE.subarray(0, -1))).toBe(0xd4);
  });

  it('the example reply decodes: ready, no final, probe 307.37 K, oral', () => {
    const framer = createFramer();
    const { frames, problems } = framer.push(EXAMPLE);
    expect(problems).toEqual([]);
    const d = frames[0] ? decodeTemperatureRecord(frames[0]) : undefined;
    expect(d?.ok).toBe(true);
    if (!d?.ok) return;
    expect(d.record).toMatchObject({ finalKelvin: 0, method: 0, algorithm: ALGORITHM.oral, state: STATE.ready, errorCode: 0, active: true, probeType: 0, sampleCounter: 0x4e });
    expect(d.record.probeKelvin).toBeCloseTo(307.3708, 3);
    // No final temperature yet: nothing to normalize.
    expect(normalizeTemperature(d.record, 'Cel')).toBeUndefined();
  });

  it('a wrong checksum is a PROTOCOL_CHECKSUM problem, and the next packet is still found', () => {
    const bad = EXAMPLE.slice();
    bad[bad.length - 1] = 0xd5;
    const { frames, problems } = createFramer().push(new Uint8Array([...bad, ...EXAMPLE]));
    expect(frames).toHaveLength(1);
    expect(problems.map((p) => p.code)).toContain('PROTOCOL_CHECKSUM');
    // Regression: a packet that does not start the buffer kept its own data bounds.
    expect(frames[0] && decodeTemperatureRecord(frames[0]).ok).toBe(true);
  });

  it('noise before a packet is one garbage problem; a header announcing too much data is garbage', () => {
    const out = createFramer().push(new Uint8Array([0x41, 0x42, 0x03, 0x02, ...EXAMPLE]));
    expect(out.frames).toHaveLength(1);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    const huge = createFramer().push(hex('03 02 10 94 1C 02 FF 7F 00'));
    expect(huge.problems.map((p) => p.code)).toContain('PROTOCOL_GARBAGE');
  });

  it('a packet cut off at the end of the stream is reported truncated', () => {
    const framer = createFramer();
    expect(framer.push(EXAMPLE.subarray(0, 15)).frames).toEqual([]);
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('a reply to another command, a non-good type or an odd record size is refused with its code', () => {
    const data = EXAMPLE.slice(8, -1);
    const packet = (command: number, type: number, d: Uint8Array): ReturnType<typeof decodeTemperatureRecord> => {
      const raw = encodePacket(command, type, d);
      return decodeTemperatureRecord({ command, type, data: d, raw });
    };
    expect(packet(0x3503, 2, data)).toMatchObject({ ok: false, code: 'PROTOCOL_UNEXPECTED' });
    expect(packet(0x941c, 3, data)).toMatchObject({ ok: false, code: 'DEVICE_ERROR' });
    expect(packet(0x941c, 2, data.subarray(0, 18))).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
  });
});

describe('SureTemp normalize', () => {
  const record = (finalKelvin: number, algorithm: number): Parameters<typeof normalizeTemperature>[0] => ({
    finalKelvin, probeKelvin: 308, sampleCounter: 1, method: 0, algorithm, state: STATE.final, errorCode: 0, active: true, probeType: 0,
  });

  it('sites by algorithm: oral, rectal, both axillary; the cal key and unknown values get none', () => {
    expect(normalizeTemperature(record(310.15, ALGORITHM.oral), 'Cel')?.bodySite).toEqual(BODY_SITES.oral);
    expect(normalizeTemperature(record(310.15, ALGORITHM.rectal), 'Cel')?.bodySite).toEqual(BODY_SITES.rectal);
    expect(normalizeTemperature(record(310.15, ALGORITHM.pediatricAxillary), 'Cel')?.bodySite).toEqual(BODY_SITES.axillary);
    expect(normalizeTemperature(record(310.15, ALGORITHM.adultAxillary), 'Cel')?.bodySite).toEqual(BODY_SITES.axillary);
    expect(normalizeTemperature(record(310.15, 9), 'Cel')?.bodySite).toBeUndefined();
  });

  it('kelvin to one decimal in Cel or [degF]; implausible values are no observation', () => {
    expect(normalizeTemperature(record(Math.fround(310.15), 0), 'Cel')?.value).toEqual({ kind: 'quantity', value: 37, unit: 'Cel', decimals: 1 });
    expect(normalizeTemperature(record(Math.fround(310.15), 0), '[degF]')?.value).toEqual({ kind: 'quantity', value: 98.6, unit: '[degF]', decimals: 1 });
    for (const k of [0, Number.NaN, Number.POSITIVE_INFINITY, 200, 400]) expect(normalizeTemperature(record(k, 0), 'Cel')).toBeUndefined();
  });
});
