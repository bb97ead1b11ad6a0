import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine, isUnavailable, type Rad8Record } from './decode.ts';
import { normalize } from './normalize.ts';

/** Real ASCII 1 lines (PROTOCOL.md §3) from the public sources of PROTOCOL.md §1, each with its origin. */
const RAD8 = '02/22/16 22:47:45 SN=0000056661 SPO2=098% BPM=097 PI=03.60% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000800        '; // Rad-8 capture, yahnatan/pulseox
const RADICAL7 = '12/01/05 11:56:29 SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820'; // MD PnP example
const RADICAL5 = '09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800'; // MD PnP example
const RADICAL7_COLOUR = '03/17/16 19:19:36 SN=---------- SPO2=098% BPM=123 PI=00.55 SPCO=--% SPMET=--.-% SPHB=--.- SPOC=-- RESVD=--- DESAT=-- PIDELTA=+-- PVI=--- ALARM=000000 EXC=0000C00 EXC1=00000000'; // capture
const SERVICE_MANUAL = '05/15/07 08:12:21 SN=0000070986 SPO2=---% BPM=--- PI=--.--% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000'; // Radical-7 service manual

function decoded(text: string): Rad8Record {
  const result = decodeLine(fromLatin1(text));
  if (!result.ok) throw new Error(`expected ${text} to decode: ${result.message}`);
  return result.record;
}

const unmappedOf = (record: Rad8Record): [string, string][] =>
  normalize(record).observations.flatMap((o) => (o.value?.kind === 'unmapped' ? [[o.value.label, o.value.text] as [string, string]] : []));
const quantityOf = (record: Rad8Record, code: string): number | undefined => {
  const value = normalize(record).observations.find((o) => o.code === code)?.value;
  return value?.kind === 'quantity' ? value.value : undefined;
};

describe('decodeLine: the real lines of the public sources', () => {
  it('Rad-8 capture (trailing spaces): serial, SpO2, pulse, PI kept as printed, valid', () => {
    const r = decoded(RAD8);
    expect(r.time).toBe('2016-02-22T22:47:45');
    expect(r.serial).toBe('0000056661');
    expect([r.spo2, r.pulse]).toEqual([98, 97]);
    expect([r.alarm, r.exception, r.exception1]).toEqual([0, 0x800, 0]);
    expect(r.exceptions).toEqual(['masimo-set']);
    expect(r.fields.get('PI')).toBe('03.60%');
    const sample = normalize(r);
    expect(quantityOf(r, '59408-5')).toBe(98);
    expect(quantityOf(r, '8867-4')).toBe(97);
    expect(unmappedOf(r)).toEqual([['PI', '03.60%']]);
    expect(sample.flags).toEqual([]);
    expect(sample.valid).toBe(true);
    expect(sample.values).toEqual({ spo2: 98, pulse: 97 });
  });

  it('Radical-7 (MD PnP): SpCO, SpMet, DESAT, PIDELTA, PVI kept; EXC=000820 is sensor off, so invalid', () => {
    const r = decoded(RADICAL7);
    expect(r.time).toBe('2005-12-01T11:56:29');
    expect(r.serial).toBe('0123456789');
    expect([r.spo2, r.pulse]).toEqual([98, 240]);
    expect(unmappedOf(r)).toEqual([['PI', '20.00%'], ['SPCO', '01.0%'], ['SPMET', '00.5%'], ['DESAT', '01'], ['PIDELTA', '-02'], ['PVI', '027']]);
    const sample = normalize(r);
    expect(sample.flags).toEqual(['exception:sensor-off']);
    expect(sample.valid).toBe(false);
  });

  it('Radical-5 (MD PnP): no SN, ALARM=20 (silenced) and EXC=800 read as hex of any width', () => {
    const r = decoded(RADICAL5);
    expect(r.time).toBe('2010-09-15T15:10:29');
    expect(r.serial).toBeUndefined();
    expect([r.spo2, r.pulse, r.alarm, r.exception]).toEqual([97, 64, 0x20, 0x800]);
    expect(unmappedOf(r)).toEqual([['PI', '11.82%']]);
    const sample = normalize(r);
    expect(sample.flags).toEqual(['alarm:silenced']);
    expect(sample.valid).toBe(true);
  });

  it('Radical-7 colour (capture): dashed SN, PI without %, SPCO=--%, EXC=0000C00 (low signal IQ) with EXC1', () => {
    const r = decoded(RADICAL7_COLOUR);
    expect(r.serial).toBeUndefined();
    expect([r.spo2, r.pulse]).toEqual([98, 123]);
    expect([r.alarm, r.exception, r.exception1]).toEqual([0, 0xc00, 0]);
    expect(r.exceptions).toEqual(['low-signal-iq', 'masimo-set']);
    // Every dashed value is left out (SPCO=--%, SPHB=--.-, SPOC=--, RESVD=---, PVI=--- …).
    expect(unmappedOf(r)).toEqual([['PI', '00.55']]);
    const sample = normalize(r);
    expect(sample.flags).toEqual(['exception:low-signal-iq']);
    expect(sample.valid).toBe(false);
  });

  it('Radical-7 service manual (no sensor data): all dashes, no observations, invalid', () => {
    const r = decoded(SERVICE_MANUAL);
    expect(r.serial).toBe('0000070986');
    expect(r.spo2).toBeUndefined();
    expect(r.pulse).toBeUndefined();
    const sample = normalize(r);
    expect(sample.observations).toEqual([]);
    expect(sample.flags).toEqual([]);
    expect(sample.valid).toBe(false);
    expect(sample.values).toEqual({});
  });
});

describe('decodeLine: malformed input is a result, never an exception', () => {
  const cases: [why: string, line: string, code: string][] = [
    ['empty', '', 'PROTOCOL_GARBAGE'],
    ['power-up text', 'MASIMO RAD-8', 'PROTOCOL_GARBAGE'],
    ['prefix cut short', '02/22/16 22:47', 'PROTOCOL_GARBAGE'],
    ['junk before the prefix', 'x02/22/16 22:47:45 SPO2=098% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['prefix glued to a token', '02/22/16 22:47:45SPO2=098% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['impossible date 13/45/16', '13/45/16 22:47:45 SPO2=098% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['impossible time 24:00:00', '02/22/16 24:00:00 SPO2=098% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['token without =', '02/22/16 22:47:45 SPO2=098% BPM 097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['lower-case key (ASCII 2 trend)', '09/21/08 09:56:14 SpO2=096 PR=074 PI=02.28 EXC=C00:LowSigIQ,SET', 'PROTOCOL_GARBAGE'],
    ['empty value', '02/22/16 22:47:45 SPO2= BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['tab inside', '02/22/16 22:47:45 SPO2=098%\tBPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['non-ASCII byte', '02/22/16 22:47:45 SPO2=098% BPM=0\u00e97 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['repeated key', '02/22/16 22:47:45 SPO2=098% SPO2=097% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['SpO2 not a number', '02/22/16 22:47:45 SPO2=9A8% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['SpO2 above 100', '02/22/16 22:47:45 SPO2=198% BPM=097 EXC=000800', 'PROTOCOL_GARBAGE'],
    ['EXC not hex', '02/22/16 22:47:45 SPO2=098% BPM=097 EXC=00080G', 'PROTOCOL_GARBAGE'],
    ['ALARM not hex', '02/22/16 22:47:45 SPO2=098% BPM=097 ALARM=--- EXC=000800', 'PROTOCOL_GARBAGE'],
    ['no EXC', '02/22/16 22:47:45 SN=0000056661 SPO2=098% BPM=097 ALARM=0000', 'PROTOCOL_UNEXPECTED'],
    ['prefix only', '02/22/16 22:47:45', 'PROTOCOL_UNEXPECTED'],
  ];
  it.each(cases)('%s', (_why, line, code) => {
    const result = decodeLine(fromLatin1(line));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(0);
    }
  });
});

describe('decodeLine: the value rules of PROTOCOL.md §3', () => {
  it('accepts runs of spaces, decimals and leading-zero hex of any width', () => {
    const r = decoded('01/02/26 03:04:05  SPO2=97.5%   BPM=080 ALARM=00000000000000000001 EXC=0000000800  ');
    expect([r.spo2, r.pulse, r.alarm, r.exception]).toEqual([97.5, 80, 1, 0x800]);
    expect(r.time).toBe('2026-01-02T03:04:05');
  });

  it('reads a value as unavailable when its second character is a dash', () => {
    for (const v of ['---', '---%', '--.-', '--.--%', '+--', '--', '-']) expect(isUnavailable(v), v).toBe(true);
    for (const v of ['-02', '098%', '03.60%', '0', '+05']) expect(isUnavailable(v), v).toBe(false);
  });

  it('names every EXC bit, unknown and reserved ones as bit-0x…', () => {
    const r = decoded('01/02/26 03:04:05 SPO2=097% BPM=080 EXC=E00A04 EXC1=00000010');
    expect(r.exceptions).toEqual(['low-perfusion', 'bit-0x000200', 'masimo-set', 'spco-low-confidence', 'spmet-low-confidence', 'bit-0x800000']);
    expect(r.exceptions1).toEqual(['bit-0x00000010']);
    const sample = normalize(r);
    expect(sample.flags).toEqual([
      'exception:low-perfusion', 'exception:bit-0x000200', 'exception:spco-low-confidence', 'exception:spmet-low-confidence', 'exception:bit-0x800000', 'exception1:bit-0x00000010',
    ]);
    expect(sample.valid).toBe(false);
  });
});
