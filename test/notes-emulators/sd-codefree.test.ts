import { afterEach, describe, expect, it } from 'vitest';
import { ndjson, type CliRun } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { codeFreePacket, startCodeFreeMeter, type CodeFreeEmulator, type CodeFreeNotesMeter, type CodeFreeNotesReading } from './sd-codefree.ts';

/**
 * The sd-codefree driver against a meter emulated from the glucose-meters-2 protocol notes §7.2
 * alone, on a socat pty pair, downloaded by the real `pochub read`. The meter speaks first (the
 * challenge), so the reader is started and waiting before the meter is switched on.
 */
const scope = cliScope('pochub-notes-codefree-');
const meters: CodeFreeEmulator[] = [];
afterEach(async () => {
  for (const m of meters.splice(0)) await m.close();
});

/** Start `pochub read`, wait until it listens, switch the meter on, and wait for the end. */
async function download(meter: CodeFreeNotesMeter, data: string, extra: string[] = []): Promise<{ run: CliRun; emu: CodeFreeEmulator }> {
  const pty = await scope.ptyPair();
  const emu = await startCodeFreeMeter(pty.a, meter);
  meters.push(emu);
  const reader = scope.start(['read', '--driver', 'sd-codefree', '--port', pty.b, '--timeout', '120', '--json', '--data', data, ...extra]);
  await reader.waitForStderr(/^reading .* on serial /m);
  await emu.powerOn();
  return { run: await reader.done, emu };
}

const iso = (r: CodeFreeNotesReading): string =>
  `${r.year}-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}T${String(r.hour).padStart(2, '0')}:${String(r.minute).padStart(2, '0')}:00`;

const MEAL_FLAG = { 0x00: undefined, 0x10: 'meal:before', 0x20: 'meal:after' } as const;

/** Newest first, as the meter keeps them (§7.2 step 4). */
const READINGS: CodeFreeNotesReading[] = [
  { year: 2026, month: 3, day: 5, hour: 14, minute: 30, value: 104, meal: 0x10 },
  { year: 2026, month: 3, day: 5, hour: 7, minute: 42, value: 321, meal: 0x20 },
  { year: 2026, month: 3, day: 4, hour: 21, minute: 5, value: 58 },
  { year: 2025, month: 12, day: 31, hour: 23, minute: 59, value: 600 },
];

describe('sd-codefree against the notes-built meter (§7.2)', () => {
  it('the notes vectors on the wire; readings newest first with meal flags; a second download gives 0 new', { timeout: 120_000 }, async () => {
    // The notes' own count example, built by the emulator's rules: 37 → `… BF AA`.
    expect(Buffer.from(codeFreePacket(0x20, [0x30, 0x00, 0x25, ...new Array<number>(19).fill(0xaa)])).toString('hex')).toBe(`532018300025${'aa'.repeat(19)}bfaa`);
    const data = scope.tempDir();
    const { run, emu } = await download({ readings: READINGS }, data);
    expect(run.code, run.stderr).toBe(0);
    // Host: the handshake, then one fetch per reading and no more (a fetch past the last one disconnects).
    expect(emu.messages).toEqual(['1040', ...READINGS.map(() => '1060')]);
    expect(emu.badPackets).toBe(0);
    expect(emu.received().includes(Buffer.from('53100410405' + '0aa', 'hex'))).toBe(true);
    expect(emu.received().includes(Buffer.from('53100410607' + '0aa', 'hex'))).toBe(true);
    const readings = ndjson(run.stdout);
    expect(readings.map((r) => r['deviceTime'])).toEqual(READINGS.map(iso));
    readings.forEach((r, i) => {
      const want = READINGS[i]!;
      expect(r['kind']).toBe('patient');
      const [obs] = r['observations'] as { code: string; value: { kind: string; value: number; unit: string } }[];
      expect(obs?.value).toMatchObject({ kind: 'quantity', value: want.value });
      const flag = MEAL_FLAG[want.meal ?? 0x00];
      const mealFlags = (r['flags'] as string[]).filter((f) => f.startsWith('meal:'));
      expect(mealFlags).toEqual(flag ? [flag] : []);
    });
    expect(run.stderr).toContain(`${READINGS.length} reading(s) downloaded: ${READINGS.length} new, 0 already in the store`);

    const again = await download({ readings: READINGS }, data);
    expect(again.run.code, again.run.stderr).toBe(3);
    expect(again.run.stdout).toBe('');
    expect(again.run.stderr).toContain(`${READINGS.length} reading(s) downloaded: 0 new, ${READINGS.length} already in the store`);
  });

  it('skips the spurious leading 00 before the challenge', { timeout: 120_000 }, async () => {
    const { run } = await download({ readings: READINGS.slice(0, 2), leadingZero: true }, scope.tempDir());
    expect(run.code, run.stderr).toBe(0);
    expect(ndjson(run.stdout).map((r) => r['deviceTime'])).toEqual(READINGS.slice(0, 2).map(iso));
  });

  it('an empty memory (count 0): no fetch, no readings, no error', { timeout: 120_000 }, async () => {
    const { run, emu } = await download({ readings: [] }, scope.tempDir());
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('no readings arrived');
    expect(emu.messages).toEqual(['1040']);
  });

  it('a reading with a wrong XOR is never stored; what arrived before it is, and the error says so', { timeout: 120_000 }, async () => {
    const data = scope.tempDir();
    const { run, emu } = await download({ readings: READINGS, corruptAt: 2 }, data);
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.stderr).toMatch(/checksum/i);
    // The notes give no way to ask a reading again (each fetch gives the next one): no more fetches.
    expect(emu.messages).toEqual(['1040', '1060', '1060', '1060']);
    const readings = ndjson(run.stdout);
    expect(readings.map((r) => r['deviceTime'])).toEqual(READINGS.slice(0, 2).map(iso));
  });

  it('a count above 255 (u16 big-endian): 300 readings, all fetched and stored', { timeout: 120_000 }, async () => {
    const many: CodeFreeNotesReading[] = Array.from({ length: 300 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 2, 5, 12, 0) - i * 37 * 60_000);
      return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), value: 40 + ((i * 7) % 500) };
    });
    const { run, emu } = await download({ readings: many }, scope.tempDir());
    expect(run.code, run.stderr).toBe(0);
    expect(emu.messages.filter((m) => m === '1060')).toHaveLength(300);
    const readings = ndjson(run.stdout);
    expect(readings.map((r) => r['deviceTime'])).toEqual(many.map(iso));
    expect(readings.map((r) => (r['observations'] as { value: { value: number } }[])[0]?.value.value)).toEqual(many.map((r) => r.value));
  });
});
