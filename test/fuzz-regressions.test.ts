import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { parseTrace } from '../drivers/kit/index.ts';
import { runDecodeCase, runSessionCase } from '../scripts/fuzz/cases.ts';

/** Where `npm run fuzz` saves what it finds: one folder per driver id (docs/fuzzing.md §3). */
const DIR = resolve(import.meta.dirname, 'fuzz-regressions');

const fixtures = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(DIR, d.name))
      .filter((f) => f.endsWith('.trace'))
      .sort()
      .map((f) => ({ driverId: d.name, file: f, path: join(DIR, d.name, f) })),
  );

/**
 * Every input the fuzzer once broke a driver with, replayed on every run: through the driver's
 * decodeProbe, and as a whole session in fake time both strict and loose. None may throw, hang,
 * leave a timer or make an invalid reading again.
 */
describe('fuzz regressions', () => {
  it('every saved finding sits in the folder of a registered driver and parses as a trace', () => {
    for (const f of fixtures) {
      expect(findDriver(f.driverId), `${f.driverId}/${f.file}`).toBeDefined();
      expect(() => parseTrace(readFileSync(f.path, 'utf8'))).not.toThrow();
    }
  });

  for (const f of fixtures) {
    it(`${f.driverId}/${f.file}: decodes and replays without a finding`, async () => {
      const driver = findDriver(f.driverId);
      if (!driver) throw new Error(`no driver ${f.driverId}`);
      const trace = parseTrace(readFileSync(f.path, 'utf8'));
      expect(runDecodeCase(driver, trace)).toBeUndefined();
      for (const loose of [false, true]) {
        const { finding, result } = await runSessionCase(driver, trace, loose);
        expect(finding, `${loose ? 'loose' : 'strict'} replay`).toBeUndefined();
        expect(result?.readings.length ?? 0).toBeGreaterThanOrEqual(0);
      }
    });
  }
});
