import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine, type Rad8Record } from './decode.ts';
import { normalize } from './normalize.ts';

function record(tokens: string): Rad8Record {
  const result = decodeLine(fromLatin1(`06/03/24 08:15:00 ${tokens}`));
  if (!result.ok) throw new Error(result.message);
  return result.record;
}

describe('normalize', () => {
  it('codes SpO2 and pulse from the catalog and keeps every other printed value unmapped, in line order', () => {
    const sample = normalize(record('SN=0000056661 SPO2=097% BPM=072 PI=03.10% SPCO=01.0% SPMET=00.5% SPHB=13.2 SPOC=18 DESAT=01 PIDELTA=-02 PVI=014 XNEW=7 ALARM=0000 EXC=000800 EXC1=00000000'));
    expect(sample.observations.map((o) => o.code ?? (o.value?.kind === 'unmapped' ? o.value.label : '?'))).toEqual([
      '59408-5', '8867-4', 'PI', 'SPCO', 'SPMET', 'SPHB', 'SPOC', 'DESAT', 'PIDELTA', 'PVI', 'XNEW',
    ]);
    expect(sample.observations[0]?.value).toEqual({ kind: 'quantity', value: 97, unit: '%' });
    expect(sample.observations[1]?.value).toEqual({ kind: 'quantity', value: 72, unit: '/min' });
    expect(sample.observations[3]?.value).toEqual({ kind: 'unmapped', label: 'SPCO', text: '01.0%' });
    for (const o of sample.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
    expect(sample.valid).toBe(true);
  });

  it('sets H and L from the limit alarm bits and names every alarm bit', () => {
    const low = normalize(record('SPO2=086% BPM=135 ALARM=0016 EXC=000800'));
    expect(low.observations[0]?.interpretation).toBe('L');
    expect(low.observations[1]?.interpretation).toBe('H');
    expect(low.flags).toEqual(['alarm:spo2-low', 'alarm:pulse-high', 'alarm:active']);
    expect(low.valid).toBe(true);
    const high = normalize(record('SPO2=100% BPM=040 ALARM=3F69 EXC=000800'));
    expect(high.observations[0]?.interpretation).toBe('H');
    expect(high.observations[1]?.interpretation).toBe('L');
    expect(high.flags).toEqual([
      'alarm:spo2-high', 'alarm:pulse-low', 'alarm:silenced', 'low-battery', 'alarm:spco-high', 'alarm:spco-low',
      'alarm:spmet-high', 'alarm:spmet-low', 'alarm:desat-index', 'alarm:pi-delta',
    ]);
    expect(normalize(record('SPO2=097% BPM=070 ALARM=0080 EXC=000800')).flags).toEqual(['alarm:bit-0x0080']);
  });

  it('makes every sensor exception block a capture, but not Masimo SET or low SpCO/SpMet confidence', () => {
    expect(normalize(record('SPO2=097% BPM=070 EXC=600800')).valid).toBe(true);
    expect(normalize(record('SPO2=097% BPM=070 EXC=600800')).flags).toEqual(['exception:spco-low-confidence', 'exception:spmet-low-confidence']);
    expect(normalize(record('SPO2=097% BPM=070 EXC=000000')).valid).toBe(true);
    const names = ['no-sensor', 'defective-sensor', 'low-perfusion', 'pulse-search', 'interference', 'sensor-off', 'ambient-light', 'unrecognized-sensor', 'incompatible-sensor', 'bit-0x000200', 'low-signal-iq'];
    for (let bit = 0; bit < 21; bit++) {
      if (bit === 11) continue; // 0x800, Masimo SET
      const exc = (1 << bit).toString(16).padStart(6, '0');
      const sample = normalize(record(`SPO2=097% BPM=070 EXC=${exc}`));
      expect(sample.valid, `EXC=${exc}`).toBe(false);
      expect(sample.flags).toHaveLength(1);
      if (bit < names.length) expect(sample.flags[0]).toBe(`exception:${names[bit]}`);
    }
    expect(normalize(record('SPO2=097% BPM=070 EXC=000020')).flags).toEqual(['exception:sensor-off']);
    expect(normalize(record('SPO2=097% BPM=070 EXC=000800 EXC1=00000001')).valid).toBe(false);
  });

  it('is invalid when SpO2 or pulse is dashed', () => {
    const sample = normalize(record('SPO2=097% BPM=--- PI=--.--% EXC=000800'));
    expect(sample.valid).toBe(false);
    expect(sample.values).toEqual({});
    expect(sample.observations).toHaveLength(1);
  });
});
