import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { requireDriver } from '../drivers/index.ts';
import { formatTrace, linkKinds, runAgainstSimulator, traceEventOf, transportFor, type TransportKind, type TransportSpec } from '../drivers/kit/index.ts';
import { main } from '../main/cli.ts';

/**
 * Record a golden fixture from a driver's own simulator (docs/adding-a-driver.md, fixtures): the
 * simulator plays `--scenario` against the driver over an in-memory link on a virtual clock
 * starting at `--start`; every chunk the host wrote and received becomes `<out>.trace`, and what
 * `pochub replay --json` makes of that trace becomes `<out>.expected.ndjson`. The expected file
 * is therefore the driver's own output: say so in the fixture README, and check it independently
 * (scripts/crosscheck/<id>.py). Run with TZ=UTC, as test/fixtures.test.ts replays:
 *
 *   TZ=UTC node bin/run-ts.mjs scripts/record-fixture.ts --driver <id> --scenario <name> \
 *     --start 2026-03-02T14:00:00Z --out drivers/devices/<id>/fixtures/<name> --note "…"
 */
/** The trace header's transport: the link the driver was played on (`--link`, default its primary). */
function transportText(t: TransportSpec): string {
  if (t.type !== 'serial') return t.type;
  return `serial ${t.serial.baudRate} ${t.serial.dataBits}${t.serial.parity.charAt(0).toUpperCase()}${t.serial.stopBits}`;
}

async function record(): Promise<void> {
  const { values } = parseArgs({ options: { driver: { type: 'string' }, scenario: { type: 'string' }, start: { type: 'string' }, out: { type: 'string' }, note: { type: 'string' }, link: { type: 'string' } } });
  if (!values.driver || !values.scenario || !values.start || !values.out) throw new Error('usage: --driver <id> --scenario <name> --start <ISO time> --out <path without extension> [--note <text>] [--link serial|hid]');
  if (process.env['TZ'] !== 'UTC') throw new Error('run with TZ=UTC: the expected files are for UTC');
  const driver = requireDriver(values.driver);
  const startMs = Date.parse(values.start);
  if (Number.isNaN(startMs)) throw new Error(`--start ${values.start} is not a date-time`);
  const link = values.link === undefined ? driver.manifest.transport : transportFor(driver.manifest, values.link as TransportKind);
  if (!link) throw new Error(`--link ${values.link ?? ''}: driver ${driver.manifest.id} takes ${linkKinds(driver.manifest).join(', ')}`);
  const run = await runAgainstSimulator(driver, { scenario: values.scenario, startMs, link: link.type });
  if (run.result.error) console.warn(`the session ended with ${run.result.error.code}: ${run.result.error.message}`);
  const header: Record<string, string> = { driver: driver.manifest.id, transport: transportText(link), recorded: new Date(startMs).toISOString() };
  if (values.note) header['note'] = values.note;
  const out = resolve(values.out);
  writeFileSync(`${out}.trace`, formatTrace({ header, events: run.traffic.map((c) => traceEventOf(c, startMs)) }));
  const lines: string[] = [];
  const code = await main(['replay', '--driver', driver.manifest.id, '--trace', `${out}.trace`, '--json', '--idle', '0.2'], {
    out: (l) => lines.push(l),
    err: (l) => console.warn(l),
    errIsTty: false,
  });
  writeFileSync(`${out}.expected.ndjson`, lines.map((l) => `${l}\n`).join(''));
  console.warn(`${out}.trace: ${run.traffic.length} events, ${run.result.readings.length} readings in the session, ${lines.length} from the replay (exit ${code})`);
}

await record();
