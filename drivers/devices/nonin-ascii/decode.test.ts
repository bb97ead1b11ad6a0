import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { lineTime } from './cadence.ts';
import { decodeLine, type NoninRecord } from './decode.ts';
import { normalize } from './normalize.ts';
import { createLineFramer, MAX_LINE_BYTES } from './protocol.ts';

const decode = (text: string) => decodeLine(fromLatin1(text));
function record(text: string): Omit<NoninRecord, 'raw'> {
  const r = decode(text);
  if (!r.ok) throw new Error(`not decoded: ${text}`);
  const { raw: _raw, ...rest } = r.record;
  return rest;
}

describe('nonin-ascii decodeLine (PROTOCOL.md §3)', () => {
  it('reads the manuals\' examples', () => {
    expect(record('SPO2=097 HR=072')).toEqual({ spo2: 97, pulse: 72, fast: false, eventMarker: false, breath: false });
    expect(record('SPO2=--- HR=---')).toEqual({ fast: false, eventMarker: false, breath: false });
    expect(record('14:03:22 SPO2=096 HR=101*')).toEqual({ time: '14:03:22', spo2: 96, pulse: 101, fast: false, eventMarker: true, breath: false });
    expect(record('SPO2=099 HR=058 F')).toEqual({ spo2: 99, pulse: 58, fast: true, eventMarker: false, breath: false });
    expect(record('10:00:01 SPO2=095 HR=060B')).toMatchObject({ breath: true, time: '10:00:01' });
  });

  it('reads suffixes in any order and spacing, short values and trailing spaces', () => {
    expect(record('SPO2=097 HR=072 F*')).toMatchObject({ fast: true, eventMarker: true });
    expect(record('SPO2=097 HR=072*B  ')).toMatchObject({ eventMarker: true, breath: true });
    expect(record('SPO2=97 HR=7')).toMatchObject({ spo2: 97, pulse: 7 });
    expect(record('SPO2=100 HR=321')).toMatchObject({ spo2: 100, pulse: 321 });
  });

  it('skips printable lines without SPO2= as header lines (PROTOCOL.md §4)', () => {
    expect(decode('NONIN MEDICAL INC.')).toEqual({ ok: false, header: true, text: 'NONIN MEDICAL INC.' });
    expect(decode('01/15/26 09:00:00')).toMatchObject({ ok: false, header: true });
  });

  it.each([
    ['SPO2=101 HR=072', /above 100/],
    ['SPO2=097 HR=072 FF', /repeats/],
    ['25:00:00 SPO2=097 HR=072', /impossible time/],
    ['SPO2=097 HR=072 X', /not a Nonin data line/],
    ['SPO2=0977 HR=072', /not a Nonin data line/],
    ['SPO2=097', /not a Nonin data line/],
    ['SPO2=097 HR=\u00ff72', /not printable/],
  ])('%j is PROTOCOL_GARBAGE', (text, message) => {
    const r = decode(text);
    expect(r).toMatchObject({ ok: false, header: false, code: 'PROTOCOL_GARBAGE' });
    if (!r.ok && !r.header) expect(r.message).toMatch(message);
  });

  it('frames CR LF, LF and CR lines and reports an over-long line as noise', () => {
    const framer = createLineFramer();
    const out = framer.push(fromLatin1(`SPO2=097 HR=072\r\nSPO2=098 HR=073\nSPO2=099 HR=074\r${'x'.repeat(MAX_LINE_BYTES + 1)}\r\n`));
    expect(out.frames).toHaveLength(3);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
  });
});

describe('nonin-ascii normalize (PROTOCOL.md §5)', () => {
  const sample = (text: string) => {
    const r = decode(text);
    if (!r.ok) throw new Error(text);
    return normalize(r.record);
  };

  it('maps SpO2 and pulse to catalog codes in the units printed, with the suffix flags', () => {
    const s = sample('09:00:00 SPO2=097 HR=072 F*B');
    expect(s.valid).toBe(true);
    expect(s.values).toEqual({ spo2: 97, pulse: 72 });
    expect(s.observations.map((o) => [o.code, o.value])).toEqual([
      ['59408-5', { kind: 'quantity', value: 97, unit: '%' }],
      ['8867-4', { kind: 'quantity', value: 72, unit: '/min' }],
    ]);
    expect(s.flags).toEqual(['fast-mode', 'event-marker', 'breath-detected']);
  });

  it('treats --- and zero as no value: never valid', () => {
    expect(sample('SPO2=--- HR=---')).toEqual({ observations: [], flags: [], valid: false, values: {} });
    expect(sample('SPO2=000 HR=000')).toEqual({ observations: [], flags: [], valid: false, values: {} });
    const half = sample('SPO2=097 HR=---');
    expect([half.valid, half.observations.length]).toEqual([false, 1]);
    expect(sample('SPO2=097 HR=000').valid).toBe(false);
  });
});

describe('nonin-ascii lineTime (PROTOCOL.md §5)', () => {
  it('keeps lines on the one-second beat within 400 ms and takes the arrival otherwise', () => {
    expect(lineTime(undefined, 5_123)).toBe(5_123);
    expect(lineTime(1_000, 2_350)).toBe(2_000);
    expect(lineTime(1_000, 1_700)).toBe(2_000);
    expect(lineTime(1_000, 2_401)).toBe(2_401);
    expect(lineTime(1_000, 6_000)).toBe(6_000);
    expect(lineTime(1_000, 1_100)).toBe(1_100);
  });
});
