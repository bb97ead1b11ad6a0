import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadingSchema } from '../shared/reading.ts';
import { DRIVERS } from '../drivers/index.ts';
import { main } from '../main/cli.ts';
import { ROOT } from './helpers/cli.ts';

/** Golden fixtures: every driver's traces replayed through `pochub replay` give the expected readings. */
const withoutReceivedAt = (r: Record<string, unknown>): Record<string, unknown> => {
  const { receivedAt: _ignored, ...rest } = r;
  return rest;
};

async function replayJson(driver: string, trace: string): Promise<{ code: number; readings: Record<string, unknown>[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['replay', '--driver', driver, '--trace', trace, '--json', '--idle', '0.2'], { out: (l) => out.push(l), err: (l) => err.push(l), errIsTty: false });
  return { code, readings: out.map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

for (const driver of DRIVERS) {
  const dir = join(ROOT, 'drivers', 'devices', driver.manifest.id, 'fixtures');
  const traces = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.trace')) : [];
  describe(`golden fixtures: ${driver.manifest.id}`, () => {
    it('has fixtures', () => {
      expect(traces.length).toBeGreaterThan(0);
    });
    for (const file of traces) {
      it(`${file} replays to its expected readings`, async () => {
        const expectedFile = join(dir, file.replace(/\.trace$/, '.expected.ndjson'));
        const expected = readFileSync(expectedFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
        const { code, readings, err } = await replayJson(driver.manifest.id, join(dir, file));
        expect(code, err.join('\n')).toBe(0);
        // Every request the trace recorded must have been asked for again by the driver.
        expect(err.join('\n')).not.toContain('never requested');
        for (const r of readings) expect(ReadingSchema.safeParse(r).success).toBe(true);
        expect(readings.map(withoutReceivedAt)).toEqual(expected.map(withoutReceivedAt));
      });
    }
  });
}
