import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperatorByCli, runCli, type CliRun } from './helpers/cli.ts';

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

  it.skipIf(process.getuid?.() === 0)('a folder made read-only with chmod (not as root) is refused the same way', { timeout: 60_000 }, async () => {
    chmodSync(data, 0o555);
    try {
      const run = await runCli(['serve', '--port', '0', '--data', data]);
      expectOneLine(run, `The data folder ${data} is read-only`);
    } finally {
      chmodSync(data, 0o755);
    }
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
