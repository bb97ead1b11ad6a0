import { afterEach, describe, expect, it } from 'vitest';
import { ndjson, runCli } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { EXPRESSION_SLOTS, startExpressionMeter, type ExpressionNotesMeter, type ExpressionNotesRecord } from './arkray-glucocard-expression.ts';
import type { ByteDeviceOnPty } from './byte-device-on-pty.ts';

/**
 * The arkray-glucocard-expression driver against a meter emulated from the glucose-meters-2
 * protocol notes §6.1 alone, on a socat pty pair, downloaded by the real `pochub read`. Every
 * expected value below is worked out from the notes' record layout, not from the hub's code.
 */
const scope = cliScope('pochub-notes-gx-');
const meters: ByteDeviceOnPty[] = [];
// Registered after cliScope's hook, so it runs first: the emulator's port closes before socat goes.
afterEach(async () => {
  for (const m of meters.splice(0)) await m.close();
});

/** The notes' constructed record, byte for byte: mg/dL meter, 2024-03-05 07:42, 104, not control. */
const NOTES_RECORD = Uint8Array.from([0x98, 0x30, 0xe5, 0xa8, 0x68, 0x00, 0xba, 0x00]);

async function meterOnPty(meter: ExpressionNotesMeter): Promise<{ port: string; data: string; device: ByteDeviceOnPty & { commands: number[] } }> {
  const pty = await scope.ptyPair();
  const device = await startExpressionMeter(pty.a, meter);
  meters.push(device);
  return { port: pty.b, data: scope.tempDir(), device };
}

const read = (port: string, data: string, extra: string[] = []) =>
  runCli(['read', '--driver', 'arkray-glucocard-expression', '--port', port, '--json', '--data', data, '--timeout', '120', ...extra]);

const iso = (r: ExpressionNotesRecord): string =>
  `${r.year}-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}T${String(r.hour).padStart(2, '0')}:${String(r.minute).padStart(2, '0')}:00`;

/** What the notes make of a mg/dL record: 41653-7; HI ≥ 600 and LO ≤ 20 are beyond range (no flag bit). */
function expected(r: ExpressionNotesRecord): Record<string, unknown> {
  const hi = r.value >= 600;
  const lo = r.value <= 20;
  const value = hi ? { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' } : lo ? { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' } : { kind: 'quantity', value: r.value, unit: 'mg/dL' };
  return {
    kind: r.control ? 'control' : 'patient',
    deviceTime: iso(r),
    observations: [{ code: '41653-7', value, ...(hi ? { interpretation: 'HH' } : lo ? { interpretation: 'LL' } : {}) }],
  };
}

const byTime = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a['deviceTime']).localeCompare(String(b['deviceTime']));

describe('arkray-glucocard-expression against the notes-built meter (§6.1)', () => {
  it('downloads the notes example, a control, HI and LO; the serial is un-reversed; a second read gives 0 new', { timeout: 120_000 }, async () => {
    const records: ExpressionNotesRecord[] = [
      { year: 2026, month: 3, day: 2, hour: 8, minute: 49, value: 131 },
      { year: 2026, month: 3, day: 1, hour: 18, minute: 5, value: 112, control: true },
      { year: 2026, month: 2, day: 28, hour: 23, minute: 59, value: 600 },
      { year: 2026, month: 2, day: 27, hour: 6, minute: 0, value: 20 },
      { year: 2026, month: 12, day: 31, hour: 0, minute: 1, value: 21 },
    ];
    const { port, data, device } = await meterOnPty({ serial: 'GX123456', clockOffsetMs: 0, slots: [NOTES_RECORD, ...records] });
    const first = await read(port, data);
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout).sort(byTime);
    const notesExample = { year: 2024, month: 3, day: 5, hour: 7, minute: 42, value: 104 };
    expect(readings).toHaveLength(records.length + 1);
    const want = [notesExample, ...records].map(expected).sort(byTime);
    readings.forEach((r, i) => expect(r).toMatchObject(want[i]!));
    for (const r of readings) expect((r['device'] as Record<string, unknown>)['serial']).toBe('GX123456');
    const control = readings.find((r) => r['kind'] === 'control');
    expect(control?.['flags']).toContain('control-solution');
    expect(readings.filter((r) => r['kind'] === 'patient').every((r) => !(r['flags'] as string[]).includes('control-solution'))).toBe(true);
    // The meter's clock was read (07) and is in step: no skew flag.
    expect(device.commands).toContain(0x07);
    expect(readings.every((r) => !(r['flags'] as string[]).includes('clock-skew'))).toBe(true);
    // The host packets are the notes' exact bytes.
    const sent = device.received();
    for (const hex of ['AA0000000000000000000000'.slice(0, 22), 'AA0F00000000000000000F', 'AA07000000000000000007', 'AA10000000000000000010']) {
      expect(sent.includes(Buffer.from(hex, 'hex')), hex).toBe(true);
    }
    expect(first.stderr).toContain(`${records.length + 1} reading(s) downloaded: ${records.length + 1} new, 0 already in the store`);

    expectNothingNew(await read(port, data), records.length + 1);
  });

  it('an empty memory (300 slots of FF) gives no readings and no error', { timeout: 120_000 }, async () => {
    const { port, data, device } = await meterOnPty({ serial: 'GX000001', clockOffsetMs: 0, slots: [] });
    const run = await read(port, data);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no readings arrived');
    expect(device.commands).toContain(0x10);
  });

  it('a meter clock 2 h slow is read, readings corrected and flagged; --set-clock writes 16 with the local time', { timeout: 120_000 }, async () => {
    const meter: ExpressionNotesMeter = { serial: 'GX654321', clockOffsetMs: -2 * 3600_000, slots: [{ year: 2026, month: 3, day: 2, hour: 6, minute: 49, value: 99 }] };
    const { port, data, device } = await meterOnPty(meter);
    const run = await read(port, data, ['--set-clock']);
    expect(run.code, run.stderr).toBe(0);
    const [reading] = ndjson(run.stdout);
    expect(reading?.['deviceTime']).toBe('2026-03-02T06:49:00');
    // The meter's clock has minutes only, so the correction is 2 h give or take that minute.
    const corrected = Date.parse(String(reading?.['effectiveTime']));
    expect(Math.abs(corrected - Date.parse('2026-03-02T08:49:00Z'))).toBeLessThanOrEqual(120_000);
    expect(reading?.['flags']).toContain('clock-skew');
    expect(device.commands).toContain(0x16);
    // The meter now runs on the workstation's time (to the minute the command carries).
    expect(Math.abs(meter.clockOffsetMs)).toBeLessThan(120_000);
  });

  it(`a mmol/L meter's record (unit bit 0): the notes give no scale, so no number is made up`, { timeout: 120_000 }, async () => {
    const { port, data } = await meterOnPty({ serial: 'GX777777', clockOffsetMs: 0, slots: [{ year: 2026, month: 1, day: 9, hour: 10, minute: 30, value: 65, mgdl: false }] });
    const run = await read(port, data);
    expect(run.code, run.stderr).toBe(0);
    const [reading] = ndjson(run.stdout);
    expect(reading?.['deviceTime']).toBe('2026-01-09T10:30:00');
    const [obs] = reading?.['observations'] as { code?: string; value: { kind: string; text?: string } }[];
    // Never a quantity: neither as mg/dL nor converted to mmol/L; the raw number is kept as text.
    expect(obs?.code).not.toBe('41653-7');
    expect(obs?.value.kind).toBe('unmapped');
    expect(obs?.value.text).toContain('65');
  });

  it(`sends ${EXPRESSION_SLOTS} slots and the driver reads them all (records after empty slots count)`, { timeout: 120_000 }, async () => {
    const slots: ExpressionNotesMeter['slots'] = [];
    slots[EXPRESSION_SLOTS - 1] = { year: 2025, month: 11, day: 15, hour: 13, minute: 7, value: 250 };
    const { port, data } = await meterOnPty({ serial: 'GX999999', clockOffsetMs: 0, slots });
    const run = await read(port, data);
    expect(run.code, run.stderr).toBe(0);
    expect(ndjson(run.stdout).map((r) => r['deviceTime'])).toEqual(['2025-11-15T13:07:00']);
  });
});
