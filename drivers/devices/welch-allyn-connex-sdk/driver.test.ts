import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import type { Observation } from '../../../shared/observation.ts';
import { welchAllynConnexSdkDriver as driver } from './driver.ts';
import { normalizeReading } from './normalize.ts';

const seq = (readings: { context?: { sequence?: string } }[]): (string | undefined)[] => readings.map((r) => r.context?.sequence);

describe('welch-allyn-connex-sdk session against its simulator', () => {
  it('vitals: the stored reading, then each new current reading once (a reading polled again is not repeated)', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'vitals' });
    expect(run.result.error).toBeUndefined();
    expect(seq(run.result.readings)).toEqual(['1', '2', '3']);
    expect(run.result.identity).toMatchObject({ manufacturer: 'Welch Allyn', model: 'VSM 6000 Series', serial: '100012345678' });
    expect(run.events.some((e) => e.type === 'device-clock' && !e.canSet)).toBe(true);
    expect(run.timersLeft).toBe(0);
  });

  it('metric: kPa kept as the device text with its printed decimals, °C and kg as quantities', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'metric' });
    const [reading] = run.result.readings;
    const panel = reading?.observations[0];
    expect(panel?.components?.map((c) => c.value)).toEqual([
      { kind: 'unmapped', label: 'SYS', text: '16.0 kPa' },
      { kind: 'unmapped', label: 'DIA', text: '10.7 kPa' },
      { kind: 'unmapped', label: 'MAP', text: '12.4 kPa' },
    ]);
    expect(reading?.observations.find((o) => o.code === '8310-5')?.value).toEqual({ kind: 'quantity', value: 36.8, unit: 'Cel', decimals: 1 });
    expect(reading?.observations.find((o) => o.code === '29463-7')?.value).toEqual({ kind: 'quantity', value: 72.5, unit: 'kg', decimals: 1 });
  });

  it('not-measured: an all-"0" reading gives nothing; the temperature alone gives one reading', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'not-measured' });
    expect(run.result.readings).toHaveLength(1);
    expect(run.result.readings[0]?.observations.map((o) => o.code)).toEqual(['8310-5']);
  });

  it('reads the device named by the deviceId option, and fails plainly on one the service does not list', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'vitals', options: { deviceId: 'USB_0042' } });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/does not list device USB_0042 \(it lists: USB_0001\)/);
    expect(run.result.readings).toEqual([]);
  });

  it('storedReadings=false skips the monitor memory', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'vitals', options: { storedReadings: false } });
    expect(seq(run.result.readings)).toEqual(['2', '3']);
  });
});

describe('normalizeReading', () => {
  const mmHg = { temperature: 'DEG_F', nibp: 'NIBP_MMHG', height: 'UNITS_INCHES', weight: 'UNITS_LBS' };
  const codes = (obs: Observation[] | undefined): (string | undefined)[] => (obs ?? []).map((o) => o.code);

  it('pulse is the cuff pulse only when a BP was taken with it', () => {
    expect(normalizeReading({ systolic: '120', diastolic: '80', pulse: '70' }, mmHg)?.observations[1]?.mdc).toBe(149546);
    expect(normalizeReading({ pulse: '70' }, mmHg)?.observations[0]?.mdc).toBe(149514);
  });

  it('half a pressure or a damaged value is kept as text, never dropped, and named', () => {
    const n = normalizeReading({ systolic: '120', diastolic: '0' }, mmHg);
    expect(n?.observations[0]?.value).toEqual({ kind: 'unmapped', label: 'NIBP', text: '120/- (-) NIBP_MMHG' });
    const bad = normalizeReading({ weight: '15O.7' }, mmHg);
    expect(bad?.invalid).toEqual(['weight']);
    expect(bad?.observations[0]).toMatchObject({ code: '29463-7', value: { kind: 'unmapped', text: '15O.7 UNITS_LBS' } });
  });

  it('an unknown display unit keeps the value as text with the unit name', () => {
    const n = normalizeReading({ temperature: '310.2' }, { ...mmHg, temperature: 'DEG_K' });
    expect(n?.observations[0]?.value).toEqual({ kind: 'unmapped', label: 'Temp', text: '310.2 DEG_K' });
  });

  it('nothing measured gives no reading; ids of "0" are not context', () => {
    expect(normalizeReading({ systolic: '0', temperature: '', patientid: '1' }, mmHg)).toBeUndefined();
    expect(normalizeReading({ o2sat: '97', patientid: '0', clinicianid: ' ' }, mmHg)?.context).toBeUndefined();
    expect(codes(normalizeReading({ o2sat: '97', respiration: '16', bmi: '24,1' }, mmHg)?.observations)).toEqual(['59408-5', '9279-1', '39156-5']);
  });
});
