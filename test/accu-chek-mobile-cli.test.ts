import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ndjson, runCli } from './helpers/cli.ts';

/**
 * `pochub read --folder` as a real child process on a real folder: the Accu-Chek Mobile's newest
 * report is imported once; a second read imports nothing new; a cut file imports nothing.
 */
const HEADER = `Date;Time;Result;Unit;Temperature warning;Out of target range;Other;Before meal;After meal;Control test${' '.repeat(197)}`;
const report = (rows: readonly string[]): string => ['Accu-Chek Mobile', 'UI12345678;05.03.2024;14:30;;;;;;;', HEADER, ...rows].map((l) => `${l}\r\n`).join('');

describe('pochub read --folder (roche-accu-chek-mobile)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-acm-'));
    mkdirSync(join(dir, 'volume', 'ACCU-CHEK', 'Reports'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the newest report once, then nothing new; a cut report imports nothing and says why', async () => {
    const file = join(dir, 'volume', 'ACCU-CHEK', 'Reports', 'r.csv');
    writeFileSync(file, report(['05.03.2024;07:42;5.8;mmol/l;;;;X;;', '05.03.2024;06:00;;;;;;;;', '04.03.2024;21:05;104;mg/dl;;;;;;X']));
    const args = ['read', '--driver', 'roche-accu-chek-mobile', '--folder', join(dir, 'volume'), '--data', join(dir, 'data'), '--json'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(ndjson(first.stdout).map((r) => [r['kind'], r['deviceTime']])).toEqual([
      ['patient', '2024-03-05T07:42:00'],
      ['control', '2024-03-04T21:05:00'],
    ]);
    const second = await runCli(args);
    expect(ndjson(second.stdout)).toEqual([]);
    expect(second.stderr).toContain('already in the store');
    writeFileSync(file, report(['06.03.2024;07:42;6.2;mmol/l;;;;X;;']).slice(0, -6));
    const cut = await runCli(args);
    expect(cut.code).not.toBe(0);
    expect(ndjson(cut.stdout)).toEqual([]);
    expect(cut.stderr).toContain('cut short');
    expect(cut.stderr).toContain('nothing was imported');
  });

  it('refuses --folder for other drivers and other links for this one, in one line', async () => {
    const wrong = await runCli(['read', '--driver', 'roche-accu-chek-mobile', '--port', '/dev/null']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('use --folder <mounted folder>');
    const other = await runCli(['read', '--driver', 'masimo-rad8', '--folder', dir]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('does not read report files');
  });
});
