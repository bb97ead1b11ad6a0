import { describe, expect, it } from 'vitest';
import { latin1 } from '../../kit/index.ts';
import { ascensiaContourNextDriver as driver } from './index.ts';
import { runMeterSession } from './meter-session.ts';
import { unwrapReport } from './protocol.ts';
import { NAK_TRIES, clockPayloads } from './set-clock.ts';
import type { MeterPlan } from './simulated-device.ts';
import { scenarioPlan } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 20);
const TWO_HOURS_MS = 2 * 3600_000;
/** The host's words after the download, as the meter received them. */
function commandWords(reports: readonly Uint8Array[], downloadReplies: number): string[] {
  return reports.slice(downloadReplies).map((r) => latin1(unwrapReport(r).payload));
}

describe('clockPayloads (Tidepool formats, workstation local time)', () => {
  it('YYMMDD| CR and HHmm| CR', () => {
    expect(clockPayloads(Date.UTC(2026, 0, 5, 7, 3, 59))).toEqual({ date: '260105|\r', time: '0703|\r' });
  });
});

describe('setClock in command mode (PROTOCOL.md §6)', () => {
  it('a meter 2 h behind is set on request: ACK, EOT, NAK, ENQ, W| D| date, W| T| time; the next download reads the new clock', async () => {
    const run = await runMeterSession(driver, scenarioPlan('clock-off'), { startMs: START, setDeviceClock: true });
    expect(run.result.end).toBe('completed');
    expect(run.result.error).toBeUndefined();
    expect(run.result.deviceClock?.set).toBe(true);
    const words = commandWords(run.hostReports, 65);
    expect(words).toEqual(['\x06', '\x04', '\x15', '\x05', 'W|', 'D|', '260115|\r', 'W|', 'T|', '0900|\r']);
    expect(run.meter.clockWrites).toEqual(['260115|\r', '0900|\r']);
    expect(run.result.readings).toHaveLength(60);
  });

  it('the meter clock is right afterwards: a second download reads it back', async () => {
    const plan = scenarioPlan('clock-off');
    const first = await runMeterSession(driver, plan, { startMs: START, setDeviceClock: true });
    expect(first.meter.clockOffsetMs).not.toBe(plan.clockOffsetMs);
    const second = await runMeterSession(driver, { ...plan, clockOffsetMs: first.meter.clockOffsetMs }, { startMs: START });
    // The time was written as HH:mm with seconds 0, so the meter may read up to a minute early.
    expect(second.result.deviceClock?.deviceTime).toMatch(/^2026-01-15T0(8:59|9:00):00$/);
    // Seconds are dropped when setting and when reading the header: within two minutes, far under the 5-min threshold.
    expect(Math.abs(second.result.deviceClock?.skewMs ?? Infinity)).toBeLessThan(120_000);
    expect(second.result.readings.some((r) => r.flags.includes('clock-skew'))).toBe(false);
  });

  it('Contour Next One (7800): no EOT step', async () => {
    const plan: MeterPlan = { ...scenarioPlan('next-one'), clockOffsetMs: -TWO_HOURS_MS };
    const run = await runMeterSession(driver, plan, { startMs: START, setDeviceClock: true });
    expect(run.result.deviceClock?.set).toBe(true);
    expect(commandWords(run.hostReports, 65)).toEqual(['\x06', '\x15', '\x05', 'W|', 'D|', '260115|\r', 'W|', 'T|', '0900|\r']);
  });

  it('a Next Link paired with a pump refuses the date: DEVICE_ERROR saying to set the pump', async () => {
    const plan: MeterPlan = { ...scenarioPlan('pump-clock'), clockOffsetMs: -TWO_HOURS_MS };
    const run = await runMeterSession(driver, plan, { startMs: START, setDeviceClock: true });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/pump/);
    expect(run.result.readings).toHaveLength(5);
    expect(run.result.deviceClock?.set).toBe(false);
    expect(run.meter.clockWrites).toEqual([]);
    expect(run.timersLeft).toBe(0);
  });

  it('a meter that never leaves data mode: 6 NAKs 2 s apart, then DEVICE_NO_RESPONSE, clock untouched', async () => {
    const run = await runMeterSession(driver, { ...scenarioPlan('clock-off'), stubborn: true }, { startMs: START, setDeviceClock: true });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    const words = commandWords(run.hostReports, 65);
    expect(words).toEqual(['\x06', '\x04', ...Array.from({ length: NAK_TRIES }, () => '\x15')]);
    expect(run.meter.clockWrites).toEqual([]);
    expect(run.result.readings).toHaveLength(60);
    expect(run.timersLeft).toBe(0);
  });
});
