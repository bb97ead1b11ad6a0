import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperatorByCli, ndjson, runCli, startCli, type CliRun } from './helpers/cli.ts';
import { createPtyPair } from './helpers/pty-pair.ts';

/**
 * The command line on a read-only data folder and on a full disk (docs/architecture.md §7,
 * storage trouble): `pochub serve`, `pochub read` and `pochub config import` end with one line
 * naming the folder and what to do, exit 1, and no stack trace. CI runs as root, where `chmod`
 * does not stop writes, so the folder is made read-only with the documented test hook
 * (`POCHUB_TEST_READ_ONLY=1`: SQLite's `query_only`) and the disk full with the page limit
 * (`POCHUB_TEST_MAX_PAGES`); a real `chmod` check runs as well when the tests are not root.
 */
let root = '';
let data = '';
let configFile = '';
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pochub-storage-cli-'));
  data = join(root, 'data');
  await addOperatorByCli(data, { name: 'Rita Readonly', badge: '4001', role: 'admin', pin: '4567' });
  configFile = join(root, 'config.json');
  const exported = await runCli(['config', 'export', '--data', data, '--out', configFile]);
  expect(exported.code, exported.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const READ_ONLY = { POCHUB_TEST_READ_ONLY: '1' };
const FULL = { POCHUB_TEST_MAX_PAGES: '1' };

/** One line on standard error, starting `pochub: `, saying `text`; exit 1; no stack, no "internal error". */
function expectOneLine(run: CliRun, text: string): void {
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^pochub: /);
  expect(lines[0]).toContain(text);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
}

const readOnlyLine = (): string => `The data folder ${data} is read-only or not writable by this user: nothing can be saved there. Make it writable (or choose another folder with --data), then try again.`;
const fullLine = (): string => `The data folder ${data} is full: nothing more can be saved there. Free space on that disk, then try again`;

describe('a read-only data folder on the command line', () => {
  it('pochub serve does not start', { timeout: 60_000 }, async () => {
    expectOneLine(await runCli(['serve', '--port', '0', '--data', data], READ_ONLY), readOnlyLine());
  });

  it('pochub read --store is refused before the device is opened', { timeout: 60_000 }, async () => {
    // The port does not exist: the store is checked first, so that is never reached.
    expectOneLine(await runCli(['read', '--driver', 'siemens-clinitek-status', '--port', join(root, 'no-such-port'), '--data', data], READ_ONLY), readOnlyLine());
  });

  it('pochub config import is refused', { timeout: 60_000 }, async () => {
    expectOneLine(await runCli(['config', 'import', '--file', configFile, '--data', data], READ_ONLY), readOnlyLine());
  });
});

describe('a full disk on the command line', () => {
  it('pochub serve does not start', { timeout: 60_000 }, async () => {
    expectOneLine(await runCli(['serve', '--port', '0', '--data', data], FULL), fullLine());
  });

  it('pochub read --store is refused before the device is opened', { timeout: 60_000 }, async () => {
    expectOneLine(await runCli(['read', '--driver', 'siemens-clinitek-status', '--port', join(root, 'no-such-port'), '--data', data], FULL), fullLine());
  });

  it('the same folder works again once the trouble is gone', { timeout: 60_000 }, async () => {
    const run = await runCli(['config', 'import', '--file', configFile, '--data', data]);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('a meter download that fills the disk (pochub read)', () => {
  it('stops with one line and exit 1, printing only what was stored; the next download imports only the rest', { timeout: 240_000 }, async () => {
    const meterData = join(root, 'meter');
    await addOperatorByCli(meterData, { name: 'Mo Meter', badge: '4002', role: 'admin', pin: '4567' });
    const db = new Database(join(meterData, 'pochub.db'), { readonly: true });
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.close();
    const pty = await createPtyPair();
    const meter = startCli(['simulate', '--driver', 'lifescan-onetouch-ultraeasy', '--port', pty.a, '--scenario', 'memory']);
    try {
      await meter.waitForStderr('simulating');
      const read = ['read', '--driver', 'lifescan-onetouch-ultraeasy', '--port', pty.b, '--json', '--data', meterData, '--timeout', '120'];
      // Room to start (64 KiB) but not for the meter's 60 results with their raw bytes.
      const first = await runCli(read, { POCHUB_TEST_MAX_PAGES: String(pages + 17) });
      expect(first.code, first.stderr).toBe(1);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at /);
      const printed = ndjson(first.stdout).length;
      const last = first.stderr.trim().split('\n').at(-1) ?? '';
      expect(last).toMatch(new RegExp(`^pochub: The data folder ${meterData} is full: .* \\[STORAGE_FULL\\] \\(${printed} reading\\(s\\) received before that are stored\\)$`));
      expect(printed).toBeGreaterThan(0);
      expect(printed).toBeLessThan(60);
      // What was printed is exactly what was stored.
      const check = new Database(join(meterData, 'pochub.db'), { readonly: true });
      expect(Number(check.prepare('SELECT count(*) FROM readings').pluck().get())).toBe(printed);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();

      const second = await runCli(read);
      expect(second.code, second.stderr).toBe(0);
      expect(ndjson(second.stdout)).toHaveLength(60 - printed);
      expect(second.stderr).toContain(`60 reading(s) downloaded: ${60 - printed} new, ${printed} already in the store`);
    } finally {
      meter.child.kill('SIGTERM');
      await meter.done;
      await pty.close();
    }
  });
});
