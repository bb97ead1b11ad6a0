import { describe, expect, it } from 'vitest';
import { defineConformanceSuite } from '../../kit/conformance.ts';
import { runAgainstSimulator } from '../../kit/index.ts';
import { shineOutputReports, shineReportBytes } from '../../families/isens/index.ts';
import { storedFields as stored, writtenChunks } from '../../../test/helpers/meter-session-tests.ts';
import { isensCaresensDriver as driver } from './index.ts';
import { CARESENS_CP2110, SHINE_HID, ispcLinkOf } from './links.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const onShine = (scenario: string) => runAgainstSimulator(driver, { scenario, startMs: START, link: 'hid', usb: SHINE_HID });

describe('isens-caresens on the GLUCOCARD Shine Connex / Express plain HID (0483:a18b, PROTOCOL.md §2.3)', () => {
  it('picks the framing by the link: bytes → serial, HID 0483:a18b → the Shine, any other HID → the CP2110', () => {
    expect(ispcLinkOf({ mode: 'bytes' })).toBe('serial');
    expect(ispcLinkOf({ mode: 'reports', usb: SHINE_HID })).toBe('hid');
    expect(ispcLinkOf({ mode: 'reports', usb: CARESENS_CP2110 })).toBe('cp2110');
    expect(ispcLinkOf({ mode: 'reports' })).toBe('cp2110');
  });

  it('frames reports as report id 1, the exact count, the bytes; reads [n, bytes, padding] and a lone byte bare', () => {
    expect(shineOutputReports(Uint8Array.of(0x80), 62).map((r) => Array.from(r))).toEqual([[0x01, 0x01, 0x80]]);
    expect(shineOutputReports(new Uint8Array(70), 62).map((r) => r.length)).toEqual([64, 10]);
    expect(Array.from(shineReportBytes(Uint8Array.of(3, 0x02, 0x69, 0x53, 0, 0, 0)))).toEqual([0x02, 0x69, 0x53]);
    expect(Array.from(shineReportBytes(Uint8Array.of(0x2e, 0, 0, 0)))).toEqual([0x2e]);
    expect(Array.from(shineReportBytes(Uint8Array.of(5, 1, 2)))).toEqual([1, 2]);
    expect(shineReportBytes(new Uint8Array(0))).toHaveLength(0);
  });

  it('downloads the memory without any feature report: ECHO as 01 01 80, frames after 01 and their count; the same readings as over the CP2110', async () => {
    const run = await onShine('memory');
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.result.readings[0]?.device).toEqual({ manufacturer: 'i-SENS', model: 'GLUCOCARD Shine Connex / Express', serial: 'CSN12345678' });
    const written = writtenChunks(run);
    expect(written[0]).toEqual([0x01, 0x01, 0x80]);
    expect(written[1]).toEqual([0x01, 0x0d, 0x02, 0x69, 0x53, 0x50, 0x63, 0x07, 0x52, 0x53, 0x4e, 0x42, 0xb1, 0x4c, 0x03]);
    const cp2110 = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(run.result.readings.map(stored)).toEqual(cp2110.result.readings.map(stored));
  });
});

// The whole conformance suite once more on this link (the CP2110 and serial runs are in drivers/conformance.test.ts).
defineConformanceSuite(driver, { link: 'hid', usb: SHINE_HID, title: ' (Shine Connex plain HID 0483:a18b)' });
