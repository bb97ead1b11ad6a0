import { afterEach, describe, expect, it } from 'vitest';
import { ndjson, runCli } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { framedLine, recordText, startPrimeMeter, type PrimeEmulator, type PrimeNotesMeter, type PrimeNotesRecord, type PrimeVariant } from './arkray-relion-prime.ts';

/**
 * The arkray-relion-prime driver against a meter emulated from the glucose-meters-2 protocol notes
 * §6.2 alone, on a socat pty pair, downloaded by the real `pochub read`. The notes leave the
 * record framing and its checksum span unverified, and are silent on some answers; each reading
 * of them is played as an emulator variant, and the hub must download every one.
 */
const scope = cliScope('pochub-notes-prime-');
const meters: PrimeEmulator[] = [];
afterEach(async () => {
  for (const m of meters.splice(0)) await m.close();
});

async function meterOnPty(meter: PrimeNotesMeter): Promise<{ port: string; data: string; emu: PrimeEmulator }> {
  const pty = await scope.ptyPair();
  const emu = await startPrimeMeter(pty.a, meter);
  meters.push(emu);
  return { port: pty.b, data: scope.tempDir(), emu };
}

const read = (port: string, data: string, extra: string[] = []) =>
  runCli(['read', '--driver', 'arkray-relion-prime', '--port', port, '--json', '--data', data, '--timeout', '120', ...extra]);

const iso = (r: PrimeNotesRecord): string =>
  `${r.year}-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}T${String(r.hour).padStart(2, '0')}:${String(r.minute).padStart(2, '0')}:00`;

const NOTES_VARIANT: PrimeVariant = { enqAfterEot: false, enqBeforeHeader: true, framedText: false, recordPrefix: 'D', recordSum: 'e1381' };

/** Index 2 is empty (NAK), so the host must re-enter remote-command mode mid-download. */
const RECORDS: (PrimeNotesRecord | undefined)[] = [
  { year: 2026, month: 3, day: 1, hour: 6, minute: 15, value: 104 },
  { year: 2026, month: 3, day: 1, hour: 12, minute: 0, value: 250, flags: 0x04 },
  undefined,
  { year: 2026, month: 3, day: 2, hour: 7, minute: 30, value: 600, flags: 0x01 },
  { year: 2026, month: 3, day: 2, hour: 22, minute: 45, value: 20, flags: 0x02 },
  { year: 2026, month: 3, day: 3, hour: 9, minute: 5, value: 388 },
];
const STORED = RECORDS.filter((r): r is PrimeNotesRecord => r !== undefined);

const byTime = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a['deviceTime']).localeCompare(String(b['deviceTime']));

/** What the notes make of a record: mg/dL (hard-coded), flags `01` HI, `02` LO, `04` control. */
function expectReading(r: Record<string, unknown>, want: PrimeNotesRecord): void {
  const flags = want.flags ?? 0;
  expect(r['deviceTime']).toBe(iso(want));
  expect(r['kind']).toBe(flags & 0x04 ? 'control' : 'patient');
  const got = r['flags'] as string[];
  expect(got.includes('control-solution')).toBe(Boolean(flags & 0x04));
  const [obs] = r['observations'] as { code: string; interpretation?: string; value: { value: number; unit: string; comparator?: string } }[];
  expect(obs?.code).toBe('41653-7');
  expect(obs?.value.unit).toBe('mg/dL');
  if (flags & 0x01) {
    expect(obs?.value.comparator).toBe('>');
    expect(obs?.interpretation).toBe('HH');
    expect(got).toContain('out-of-range:high');
  } else if (flags & 0x02) {
    expect(obs?.value.comparator).toBe('<');
    expect(obs?.interpretation).toBe('LL');
    expect(got).toContain('out-of-range:low');
  } else {
    expect(obs?.value.value).toBe(want.value);
    expect(obs?.value.comparator).toBeUndefined();
  }
}

describe('arkray-relion-prime against the notes-built meter (§6.2)', () => {
  it('the notes vectors: header line bytes and the byte-swapped record text', () => {
    expect(framedLine('1H|\\^&|||ReliOnPrime^V1.0^SN1234567').toString('hex')).toBe(
      '0231487c5c5e267c7c7c52656c694f6e5072696d655e56312e305e534e313233343536371735340d0a',
    );
    expect(recordText({ year: 2024, month: 3, day: 5, hour: 7, minute: 42, value: 104 }).slice(0, 4)).toBe('6800');
  });

  it('downloads control, HI, LO and a NAK gap (notes example handshake); model and serial from the header; a second read gives 0 new', { timeout: 120_000 }, async () => {
    const { port, data, emu } = await meterOnPty({ model: 'ReliOnPrime', serial: 'SN1234567', clockOffsetMs: 0, records: RECORDS, variant: NOTES_VARIANT });
    const first = await read(port, data);
    expect(emu.unexpected).toEqual([]);
    expect(first.code, first.stderr).toBe(0);
    // count−1 down to 0 (§6.2), the empty index included.
    expect(emu.asked).toEqual([5, 4, 3, 2, 1, 0]);
    const readings = ndjson(first.stdout).sort(byTime);
    expect(readings).toHaveLength(STORED.length);
    const want = [...STORED].sort((a, b) => iso(a).localeCompare(iso(b)));
    readings.forEach((r, i) => expectReading(r, want[i]!));
    expect(readings[0]?.['device']).toMatchObject({ serial: 'SN1234567' });
    expect(readings.every((r) => !(r['flags'] as string[]).includes('clock-skew'))).toBe(true);
    expect(first.stderr).toContain(`${STORED.length} reading(s) downloaded: ${STORED.length} new, 0 already in the store`);

    expectNothingNew(await read(port, data), STORED.length);
    expect(emu.unexpected).toEqual([]);
  });

  it.each<[string, Partial<PrimeVariant>]>([
    ['ENQ answers the EOT, no ENQ before the header', { enqAfterEot: true, enqBeforeHeader: false }],
    ['framed M|/T|/D| replies', { framedText: true }],
    ['record prefixed by its index, summed the Tidepool way ("D|" + text)', { recordPrefix: 'index', recordSum: 'tidepool' }],
  ])('variant: %s', { timeout: 120_000 }, async (_name, change) => {
    const { port, data, emu } = await meterOnPty({ model: 'GlucocardVital', serial: 'GV7654321', clockOffsetMs: 0, records: RECORDS, variant: { ...NOTES_VARIANT, ...change } });
    const run = await read(port, data);
    expect(emu.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    const readings = ndjson(run.stdout).sort(byTime);
    const want = [...STORED].sort((a, b) => iso(a).localeCompare(iso(b)));
    expect(readings).toHaveLength(want.length);
    readings.forEach((r, i) => expectReading(r, want[i]!));
  });

  it('an empty meter (M|0|) gives no readings and asks for no record', { timeout: 120_000 }, async () => {
    const { port, data, emu } = await meterOnPty({ model: 'ReliOnPrime', serial: 'SN0000001', clockOffsetMs: 0, records: [], variant: NOTES_VARIANT });
    const run = await read(port, data);
    expect(emu.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('no readings arrived');
    expect(emu.asked).toEqual([]);
  });

  it('a clock 3 h fast is read from T| and D|, flagged; --set-clock writes W| D| YYMMDD|CR and W| T| HHmm|CR', { timeout: 120_000 }, async () => {
    const meter: PrimeNotesMeter = { model: 'ReliOnPrime', serial: 'SN5550001', clockOffsetMs: 3 * 3600_000, records: [RECORDS[0]], variant: NOTES_VARIANT };
    const { port, data, emu } = await meterOnPty(meter);
    const run = await read(port, data, ['--set-clock']);
    expect(emu.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    const [reading] = ndjson(run.stdout);
    expect(reading?.['deviceTime']).toBe('2026-03-01T06:15:00');
    expect(reading?.['flags']).toContain('clock-skew');
    expect(Math.abs(Date.parse(String(reading?.['effectiveTime'])) - Date.parse('2026-03-01T03:15:00Z'))).toBeLessThanOrEqual(120_000);
    const now = new Date();
    expect(emu.written.date).toMatch(/^\d{6}$/);
    expect(emu.written.time).toMatch(/^\d{4}$/);
    const set = Date.UTC(2000 + Number(emu.written.date!.slice(0, 2)), Number(emu.written.date!.slice(2, 4)) - 1, Number(emu.written.date!.slice(4)), Number(emu.written.time!.slice(0, 2)), Number(emu.written.time!.slice(2)));
    expect(Math.abs(set - now.getTime())).toBeLessThan(5 * 60_000);
  });

  it('300 records: indexes above 0xFF go out as 3 uppercase hex digits; all stored', { timeout: 120_000 }, async () => {
    const many: PrimeNotesRecord[] = Array.from({ length: 300 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 2, 5, 12, 0) - (300 - i) * 41 * 60_000);
      return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), value: 30 + ((i * 11) % 560) };
    });
    const { port, data, emu } = await meterOnPty({ model: 'ReliOnPrime', serial: 'SN3000000', clockOffsetMs: 0, records: many, variant: NOTES_VARIANT });
    const run = await read(port, data);
    expect(emu.unexpected).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    expect(emu.asked).toEqual(Array.from({ length: 300 }, (_, i) => 299 - i));
    expect(emu.received().includes(Buffer.from('10A|', 'latin1'))).toBe(true);
    const readings = ndjson(run.stdout).sort(byTime);
    expect(readings).toHaveLength(300);
    readings.forEach((r, i) => expectReading(r, many[i]!));
  });
});
