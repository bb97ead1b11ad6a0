import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromLatin1, latin1, parseTrace, formatTrace, runAgainstSimulator } from '../../drivers/kit/index.ts';
import { requireDriver } from '../../drivers/index.ts';
import { main } from '../../main/cli.ts';
import { ReadingSchema, type Reading } from '../../shared/reading.ts';
import { ROOT } from './cli.ts';

/**
 * DINAMAP readings made by the real driver, for the export tests: its fixtures replayed through
 * `pochub replay` (as test/fixtures.test.ts does), a fixture with another temperature in its TC
 * replies (checksums recomputed with the driver's own algorithm), and a session against the
 * DINAMAP simulator. Nothing here builds a reading by hand.
 */

const FIXTURES = join(ROOT, 'drivers', 'devices', 'ge-dinamap', 'fixtures');
export const SPOT_CHECK = join(FIXTURES, 'spot-check.trace');

/** The readings `pochub replay --json` makes of a DINAMAP trace. */
export async function replayDinamap(trace: string): Promise<Reading[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['replay', '--driver', 'ge-dinamap', '--trace', trace, '--json', '--idle', '0.2'], { out: (l) => out.push(l), err: (l) => err.push(l), errIsTty: false });
  if (code !== 0) throw new Error(`pochub replay ${trace} exited ${code}: ${err.join('\n')}`);
  return out.map((l) => ReadingSchema.parse(JSON.parse(l)) as Reading);
}

/** The DINAMAP's message encoder (body → unit id, body, checksum, CR): the driver's own, passed in by the test. */
export type EncodeMessage = (body: string) => string;

/** The monitor's address, the first character of every message (PROTOCOL.md §3). */
const UNIT_ID = ' ';

/**
 * The spot-check trace with every TC reply's temperature (4 digits, tenths of °F, PROTOCOL.md §3)
 * set to `tenths`, re-checksummed with `encodeMessage`: the same conversation, another value on
 * the thermometer. (Only test files may import a driver's protocol module, hence the parameter.)
 */
export function spotCheckWithTemperature(tenths: number, encodeMessage: EncodeMessage): string {
  const trace = parseTrace(readFileSync(SPOT_CHECK, 'utf8'));
  const events = trace.events.map(({ line: _line, ...e }) => {
    const text = latin1(e.bytes);
    if (e.direction !== '<' || !text.startsWith(`${UNIT_ID}TC`)) return e;
    // Unit id, body, two checksum characters, CR; the body is TC, status, counter, age (5), value (4), unit.
    const body = text.slice(UNIT_ID.length, -3);
    const changed = `${body.slice(0, 10)}${String(tenths).padStart(4, '0')}${body.slice(14)}`;
    return { ...e, bytes: fromLatin1(encodeMessage(changed)) };
  });
  return formatTrace({ header: { ...trace.header, note: `spot-check.trace with the temperature set to ${tenths} tenths of °F, checksums recomputed` }, events });
}

/** Replays `spotCheckWithTemperature(tenths, encodeMessage)` from a temporary file. */
export async function replayWithTemperature(tenths: number, encodeMessage: EncodeMessage): Promise<Reading[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-dinamap-'));
  try {
    const file = join(dir, `temperature-${tenths}.trace`);
    writeFileSync(file, spotCheckWithTemperature(tenths, encodeMessage));
    return await replayDinamap(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The readings of a session against the DINAMAP simulator's `scenario`, on a virtual clock. */
export async function simulateDinamap(scenario: string): Promise<Reading[]> {
  const run = await runAgainstSimulator(requireDriver('ge-dinamap'), { scenario, startMs: Date.parse('2026-06-02T09:30:00Z') });
  return run.result.readings.map((r) => ReadingSchema.parse(r) as Reading);
}
