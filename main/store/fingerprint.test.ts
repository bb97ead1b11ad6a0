import { describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/observation.ts';
import { canonicalJson, readingFingerprint } from './fingerprint.ts';
import { bpReading } from '../../test/helpers/store-fixtures.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: 'x' } })).toBe('{"a":{"b":"x","d":[2,1]},"b":1}');
  });
});

describe('readingFingerprint', () => {
  const base = readingFingerprint(bpReading());

  it('is a sha256 in hex, independent of key order and of received/effective time', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(bpReading()).reverse()) as ReturnType<typeof bpReading>;
    expect(readingFingerprint(reordered)).toBe(base);
    expect(readingFingerprint(bpReading({ receivedAt: '2030-01-01T00:00:00Z', effectiveTime: '2030-01-01T00:00:00Z' }))).toBe(base);
    expect(readingFingerprint(bpReading({ flags: [], clock: undefined }))).toBe(base);
  });

  it('changes with anything that identifies the result on the device', () => {
    const variants = [
      bpReading({ driver: 'other' }),
      bpReading({ device: { manufacturer: 'Acme', model: 'BP-100', serial: 'SN999' } }),
      bpReading({ kind: 'control' }),
      bpReading({ deviceTime: '2016-02-22T22:47:46' }),
      bpReading({ context: { sequence: '0043' } }),
      bpReading({ context: { sequence: '0042', sampleId: 'S1' } }),
      bpReading({ observations: bpReading().observations.slice(1) }),
    ];
    for (const v of variants) expect(readingFingerprint(v)).not.toBe(base);
  });

  it('ignores how a value was printed: a reading stored before drivers set `decimals` matches the same record downloaded again', () => {
    const withDecimals = (o: Observation): Observation => ({
      ...o,
      ...(o.value?.kind === 'quantity' ? { value: { ...o.value, decimals: 1 } } : {}),
      ...(o.components ? { components: o.components.map(withDecimals) } : {}),
    });
    const printed = bpReading({ observations: bpReading().observations.map(withDecimals) });
    expect(JSON.stringify(printed)).toContain('"decimals":1');
    expect(readingFingerprint(printed)).toBe(base);
  });

  it('tells two identical results apart by receivedAt when the device gave no time, sequence or sample id', () => {
    const anonymous = (receivedAt: string): ReturnType<typeof bpReading> => bpReading({ deviceTime: undefined, context: undefined, receivedAt });
    expect(readingFingerprint(anonymous('2024-01-01T10:00:00Z'))).not.toBe(readingFingerprint(anonymous('2024-01-01T10:02:00Z')));
    expect(readingFingerprint(anonymous('2024-01-01T10:00:00Z'))).toBe(readingFingerprint(anonymous('2024-01-01T10:00:00Z')));
  });
});
