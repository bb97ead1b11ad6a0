import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../drivers/index.ts';
import { fuzzDriver, loadCorpus } from '../scripts/fuzz/engine.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** 10⁴ cases in all, shared by the drivers; a fixed seed keeps CI repeatable (override to explore). */
const TOTAL_CASES = 10_000;
const SEED = Number(process.env['POCHUB_FUZZ_SEED'] ?? 20_261_207);

/**
 * The CI smoke of the mutation fuzzer (docs/fuzzing.md): the same cases `npm run fuzz` runs, a
 * few per driver, none may find anything. A failure prints the command that replays it.
 */
describe(`fuzz smoke: ${TOTAL_CASES} mutated-fixture cases across ${DRIVERS.length} drivers (seed ${SEED})`, () => {
  const perDriver = Math.ceil(TOTAL_CASES / DRIVERS.length);
  DRIVERS.forEach((driver, index) => {
    it(`${driver.manifest.id}: ${perDriver} cases, no throw, hang, timer left or invalid reading`, { timeout: 180_000 }, async () => {
      const stats = await fuzzDriver(driver, index, loadCorpus(ROOT, driver), {
        cases: perDriver,
        seed: SEED,
        sessionShare: 0.05,
        memoryEvery: perDriver,
        memoryBoundMiB: 64,
      });
      expect(stats.cases).toBe(perDriver);
      expect(stats.sessionCases).toBeGreaterThan(0);
      const replay = `npm run fuzz -- --driver ${driver.manifest.id} --seed ${SEED} --cases ${perDriver}`;
      expect(stats.findings.map((f) => `case ${f.caseIndex} (${f.kind}, ${f.mode}): ${f.message.split('\n')[0]}`), `replay with: ${replay}`).toEqual([]);
    });
  });
});
