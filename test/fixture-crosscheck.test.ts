import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';

/**
 * The independent fixture cross-checkers (scripts/crosscheck/<driver>.py, docs/adding-a-driver.md
 * §8): each re-derives its driver's readings from the trace bytes and PROTOCOL.md, without the
 * driver's code, and must agree with every committed `.expected.ndjson`. A README may only cite a
 * cross-checker that exists, and a checker must notice a changed expected value.
 */

const DEVICES = join(ROOT, 'drivers', 'devices');
const CHECKERS = join(ROOT, 'scripts', 'crosscheck');
const drivers = readdirSync(DEVICES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const checked = drivers.filter((d) => existsSync(join(CHECKERS, `${d}.py`)));

function runChecker(driver: string, fixturesDir?: string): Promise<{ code: number; out: string }> {
  const args = [join(CHECKERS, `${driver}.py`), ...(fixturesDir ? [fixturesDir] : [])];
  return new Promise((resolve) => {
    execFile('python3', args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      // A missing python3 (ENOENT) shows as such; scripts/test.sh installs it on Debian.
      resolve({ code, out: `${stdout}${stderr}${err && typeof err.code !== 'number' ? String(err) : ''}` });
    });
  });
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('fixture cross-checkers', () => {
  it('exist for every driver that had one when they were written', () => {
    const all = ['abbott-freestyle-neo', 'ascensia-contour-next', 'lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy', 'masimo-rad8', 'siemens-clinitek-status'];
    expect(checked).toEqual(expect.arrayContaining(all));
  });

  for (const driver of drivers) {
    it(`${driver}: its fixture README cites only cross-checkers that exist`, () => {
      const readme = readFileSync(join(DEVICES, driver, 'fixtures', 'README.md'), 'utf8');
      const cited = [...readme.matchAll(/scripts\/crosscheck\/([\w-]+\.py)/g)].map((m) => m[1] ?? '');
      for (const file of cited) expect(existsSync(join(CHECKERS, file)), `${driver} README cites ${file}`).toBe(true);
      if (checked.includes(driver)) expect(cited).toContain(`${driver}.py`);
      // A check is named by its path, never as "a script" that nobody can run.
      if (/python script/i.test(readme)) expect(cited.length).toBeGreaterThan(0);
    });

    it(`${driver}: its fixture README labels the origin of every fixture`, () => {
      const dir = join(DEVICES, driver, 'fixtures');
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Where each file came from'));
      expect(readme).toContain('## Where each file came from');
      for (const trace of readdirSync(dir).filter((f) => f.endsWith('.trace'))) {
        const row = section.split('\n').find((l) => l.startsWith(`| \`${trace.replace(/\.trace$/, '')}\` |`));
        expect(row, `${driver}: no origin row for ${trace}`).toBeDefined();
        // the .expected.ndjson column says how it was made
        expect(row).toMatch(/written by hand|driver replay output|driver output/);
      }
    });
  }

  for (const driver of checked) {
    it(`${driver}: every expected file agrees with the independent derivation`, async () => {
      const traces = readdirSync(join(DEVICES, driver, 'fixtures')).filter((f) => f.endsWith('.trace'));
      const { code, out } = await runChecker(driver);
      expect(out).toContain(`${traces.length}/${traces.length} traces agree`);
      expect(code, out).toBe(0);
    });

    it(`${driver}: a changed expected value is caught`, async () => {
      const copy = mkdtempSync(join(tmpdir(), 'pochub-crosscheck-'));
      temps.push(copy);
      cpSync(join(DEVICES, driver, 'fixtures'), copy, { recursive: true });
      // Plant one wrong number in the first non-empty expected file: the first reading's value.
      const target = readdirSync(copy).filter((f) => f.endsWith('.expected.ndjson')).sort().find((f) => readFileSync(join(copy, f), 'utf8').trim() !== '');
      expect(target).toBeDefined();
      const path = join(copy, target ?? '');
      const lines = readFileSync(path, 'utf8').split('\n');
      const first = JSON.parse(lines[0] ?? '') as { observations: { value?: Record<string, unknown>; components?: { value?: Record<string, unknown> }[] }[] };
      // A panel (blood pressure) has no value of its own: plant into its first component.
      const value = first.observations[0]?.value ?? first.observations[0]?.components?.[0]?.value ?? {};
      if (typeof value.value === 'number') value.value += 1;
      else if (value.kind === 'ordinal') value.code = value.code === 'pos' ? 'neg' : 'pos';
      else value.text = `${String(value.text)}?`;
      lines[0] = JSON.stringify(first);
      writeFileSync(path, lines.join('\n'));
      const { code, out } = await runChecker(driver, copy);
      expect(code).toBe(1);
      expect(out).toContain(`FAIL ${target?.replace('.expected.ndjson', '')}`);
    });
  }
});
