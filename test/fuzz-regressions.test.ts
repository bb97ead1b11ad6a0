import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { parseTrace } from '../drivers/kit/index.ts';
import { SESSION_VARIANTS, runDecodeCase, runSessionCase } from '../scripts/fuzz/cases.ts';
import type { Trace } from '../drivers/kit/index.ts';

/** The driver options a finding was made with (its `# options:` header, JSON), if any. */
function optionsOf(trace: Trace): Record<string, unknown> {
  const text = trace.header['options'];
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

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
 * decodeProbe, and in fake time as a session, a session setting the device clock and a Test
 * connection, each strict and loose, with the option values it was found with. None may throw,
 * hang, leave a timer or make an invalid reading again.
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
        for (const variant of SESSION_VARIANTS) {
          const { finding } = await runSessionCase(driver, trace, { loose, variant, options: optionsOf(trace) });
          expect(finding, `${loose ? 'loose' : 'strict'} replay, ${variant}`).toBeUndefined();
        }
      }
    });
  }
});
