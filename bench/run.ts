/**
 * `npm run bench [-- --quick]`: decode throughput of the streaming drivers and of those that only
 * answer a host (whole conversations with the simulator), meter downloads, pty → store latency,
 * byte → screen latency through `pochub serve` at 1, 8 and 64 devices, the UI, start-up, export,
 * and a short soak. Prints figures and writes bench/results/latest.json;
 * it asserts nothing about time (docs/architecture.md §12). `--only <id>,…`: the decode
 * throughput of the drivers named, alone.
 */
import { mkdir, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DRIVERS, requireDriver } from '../drivers/index.ts';
import type { Driver } from '../drivers/kit/index.ts';
import { formatLine } from '../drivers/devices/masimo-rad8/simulator.ts';
import { streamRecord } from '../drivers/devices/siemens-clinitek-status/simulator.ts';
import { CHUNK_BYTES } from './decode-throughput.ts';
import { printDecodeTables, runDecodeStep } from './decode-step.ts';
import { clinitekWrites, masimoWrites, measureLatency, type LatencyOptions, type LatencyResult } from './pty-latency.ts';
import { fmt, median, table } from './stats.ts';
import { WIRE_TIME_RULE, describeDownloads, measureDownloadTime, wireMeters, type DownloadTimeResult } from './download-time.ts';
import { describeUiRender, measureUiRender, type UiRenderResult } from './ui-render.ts';
import { measureExport, type ExportBenchResult } from './export-throughput.ts';
import { measureScreenLatency, type ScreenLatencyResult } from './ws-latency.ts';
import { measureStartup, startupRows, type StartupResult } from './startup.ts';
import { describeSoak, runSoak, type SoakResult } from './soak.ts';

const quick = process.argv.includes('--quick');

/**
 * `--only <id>[,<id>…]`: step 1 (decode throughput) alone, for the drivers named; nothing else
 * runs and results/latest.json is left as it was. Undefined without the option.
 */
function onlyDrivers(argv: readonly string[]): Driver[] | undefined {
  const at = argv.indexOf('--only');
  if (at < 0) return undefined;
  const ids = (argv[at + 1] ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 0) throw new Error('--only needs driver ids, comma-separated (e.g. --only nonin-ascii,contec-cms50)');
  const unknown = ids.filter((id) => !DRIVERS.some((d) => d.manifest.id === id));
  if (unknown.length > 0) throw new Error(`--only: unknown driver id(s) ${unknown.join(', ')}; known: ${DRIVERS.map((d) => d.manifest.id).join(', ')}`);
  return ids.map(required);
}

/** Sizes: the full run stays within about 3 minutes on 2 cores; --quick is a smoke run. */
const SIZES = quick
  ? { targetBytes: 1_000_000, conversationBytes: 100_000, runs: 1, clinitek1: 50, clinitek32: 5, masimo1: 10, masimo32: 2, warmup1: 3, warmup32: 1, screen: [20, 5, 3], startupWarm: 1, soakMinutes: 0.5, soakSampleSeconds: 5 }
  : { targetBytes: 5_000_000, conversationBytes: 500_000, runs: 5, clinitek1: 200, clinitek32: 20, masimo1: 50, masimo32: 5, warmup1: 10, warmup32: 1, screen: [60, 15, 8], startupWarm: 3, soakMinutes: 2, soakSampleSeconds: 10 };
/** Byte → screen: each device sends a reading every second (far more often than a real one). */
const SCREEN_DEVICES = [1, 8, 64] as const;
const SCREEN_PERIOD_MS = 1000;
const STEPS = 8;

/** Filesystem magic numbers (statfs f_type) we expect to meet, for the header. */
const FS_TYPES: Record<number, string> = { 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0xef53: 'ext4', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x6969: 'nfs' };

async function machine(): Promise<Record<string, string | number>> {
  const cpus = os.cpus();
  let storeFs = 'unknown';
  try {
    const s = await statfs(os.tmpdir());
    storeFs = FS_TYPES[s.type] ?? `0x${s.type.toString(16)}`;
  } catch {
    // statfs is informational only
  }
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    tmpdir: os.tmpdir(),
    tmpdirFs: storeFs,
    loadAvgAtStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

function required(id: string): Driver {
  return requireDriver(id);
}

function windowSeconds(driver: Driver): number {
  const value = driver.manifest.options.find((o) => o.key === 'stabilityWindowSeconds')?.default;
  return typeof value === 'number' ? value : 10;
}

async function main(): Promise<void> {
  const only = onlyDrivers(process.argv.slice(2));
  const facts = await machine();
  console.log(`POC Hub benchmarks${quick ? ' (--quick)' : ''} — ${new Date().toISOString()}`);
  console.log(`node ${facts['node']} · ${facts['platform']} · ${facts['cpus']} × ${facts['cpuModel']} · ${facts['memoryGiB']} GiB`);
  console.log(`load average ${facts['loadAvgAtStart']} (other work on the machine skews every figure below)`);
  console.log(`SQLite store in ${facts['tmpdir']} (${facts['tmpdirFs']}), WAL, synchronous=FULL\n`);

  if (only) {
    printDecodeTables(await runDecodeStep(only, SIZES, '[--only]'));
    console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (nothing written: --only runs the decode step alone)`);
    return;
  }
  // 1. Decode throughput. Meters only answer commands, so they are measured in step 2 instead.
  const { throughput, talks } = await runDecodeStep(DRIVERS, SIZES, `[1/${STEPS}]`);
  const meters = wireMeters(DRIVERS);

  // 2. Meters: a whole conversation unpaced (decode cost), then at the real link speed.
  console.log(`\n[2/${STEPS}] meters: a 500-record download as a whole conversation with the simulator, unpaced (decode cost) and at the real link speed (virtual clock)`);
  const conversations: { driver: string; bytes: number; readings: number; medianMs: number }[] = [];
  for (const driver of meters) {
    const runs: DownloadTimeResult[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, SIZES.runs)); i++) runs.push(await measureDownloadTime(driver, false));
    const last = runs[runs.length - 1] as DownloadTimeResult;
    if (last.warning) console.error(`  !!! ${driver.manifest.id}: ${last.warning}`);
    conversations.push({ driver: driver.manifest.id, bytes: last.bytesToHost, readings: last.readings, medianMs: median(runs.map((r) => r.wallMs)) });
    console.log(`  ${driver.manifest.id}: 500-record download, whole conversation, runs ${runs.map((r) => fmt(r.wallMs, 0)).join(' / ')} ms`);
  }

  const downloads: DownloadTimeResult[] = [];
  for (const driver of meters) {
    const r = await measureDownloadTime(driver, true);
    downloads.push(r);
    if (r.warning) console.error(`  !!! ${r.driver}: ${r.warning}`);
  }

  // 3. Latency over ptys.
  console.log(`\n[3/${STEPS}] latency, last byte written on a pty → reading stored (SQLite) and emitted; closed-loop writers`);
  const clinitek = required('siemens-clinitek-status');
  const masimo = required('masimo-rad8');
  const seconds = windowSeconds(masimo);
  const plans: LatencyOptions[] = [
    { driver: clinitek, label: 'clinitek ×1', devices: 1, readingsPerDevice: SIZES.clinitek1, warmup: SIZES.warmup1, writes: clinitekWrites(streamRecord) },
    { driver: clinitek, label: 'clinitek ×32', devices: 32, readingsPerDevice: SIZES.clinitek32, warmup: SIZES.warmup32, writes: clinitekWrites(streamRecord) },
    {
      driver: masimo,
      label: 'masimo ×1',
      devices: 1,
      readingsPerDevice: SIZES.masimo1,
      warmup: SIZES.warmup1,
      writes: masimoWrites(formatLine, seconds, SIZES.masimo1 + SIZES.warmup1),
    },
    {
      driver: masimo,
      label: 'masimo ×32',
      devices: 32,
      readingsPerDevice: SIZES.masimo32,
      warmup: SIZES.warmup32,
      writes: masimoWrites(formatLine, seconds, SIZES.masimo32 + SIZES.warmup32),
    },
  ];
  const latency: LatencyResult[] = [];
  for (const plan of plans) {
    const r = await measureLatency(plan);
    latency.push(r);
    const extra = [
      r.missed > 0 ? `${r.missed} MISSED` : '',
      r.early > 0 ? `${r.early} stored before their write() resolved` : '',
      r.premature > 0 ? `!!! ${r.premature} PREMATURE (before their last line was written)` : '',
      r.duplicates > 0 ? `${r.duplicates} duplicate(s)` : '',
      Object.keys(r.problems).length > 0 ? `problems ${JSON.stringify(r.problems)}` : '',
    ].filter(Boolean);
    console.log(`  ${r.label}: ${r.latency.count} readings (${r.storedNew} new in store) in ${fmt(r.wallMs / 1000, 1)} s; sessions ${[...new Set(r.sessionEnds)].join(',')}${extra.length ? '; ' + extra.join('; ') : ''}`);
    if (r.latency.count === 0 || r.missed > 0) console.error(`  !!! ${r.label}: readings were lost — a bug or an overloaded machine`);
  }
  console.log(`  (masimo: a reading is ${seconds + 2} lines — sensor off, then ${seconds + 1} stable lines 1 device-second apart written back to back; latency from the line that completes the ${seconds} s window)`);

  // 4. Byte → screen through pochub serve.
  console.log(`\n[4/${STEPS}] byte → screen: last byte of a Clinitek record on a pty → its review event parsed by a WebSocket client of pochub serve; each device sends a reading every ${SCREEN_PERIOD_MS} ms`);
  const screen: ScreenLatencyResult[] = [];
  for (const [i, devices] of SCREEN_DEVICES.entries()) {
    try {
      const r = await measureScreenLatency({ devices, readingsPerDevice: SIZES.screen[i] ?? 3, warmup: 2, periodMs: SCREEN_PERIOD_MS });
      screen.push(r);
      console.log(`  ${devices} device(s): ${r.latency.count} readings in ${fmt(r.wallMs / 1000, 1)} s, p50 ${fmt(r.latency.p50Ms, 1)} ms, p99 ${fmt(r.latency.p99Ms, 1)} ms${r.missed > 0 ? `; !!! ${r.missed} MISSED` : ''}`);
    } catch (e) {
      console.error(`  !!! byte → screen with ${devices} device(s) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // 5. The UI in Chromium.
  console.log(`\n[5/${STEPS}] the UI in Chromium against pochub serve --demo`);
  let ui: UiRenderResult | undefined;
  try {
    ui = await measureUiRender(quick ? 2 : 5);
    for (const line of describeUiRender(ui)) console.log(line);
  } catch (e) {
    console.error(`  !!! UI benchmark failed: ${e instanceof Error ? e.message : String(e)} (is the UI built? npm run build:ui)`);
  }

  // 6. Start-up.
  console.log(`\n[6/${STEPS}] start-up: pochub serve spawned → sign-in form interactive in Chromium (Chromium already running)`);
  let startup: StartupResult | undefined;
  try {
    startup = await measureStartup(SIZES.startupWarm);
  } catch (e) {
    console.error(`  !!! start-up benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  // 7. Export to real peers.
  console.log(`\n[7/${STEPS}] export to real peers on loopback: a burst of confirmations, then confirm → acknowledged one at a time`);
  let exportResults: ExportBenchResult[] = [];
  try {
    exportResults = await measureExport(quick);
  } catch (e) {
    console.error(`  !!! export benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  // 8. A short soak (npm run soak runs a long one).
  console.log(`\n[8/${STEPS}] soak: 8 devices for ${SIZES.soakMinutes} min, a sample every ${SIZES.soakSampleSeconds} s (npm run soak -- --devices 16 --minutes 30 for the real thing)`);
  let soak: SoakResult | undefined;
  try {
    soak = await runSoak({ devices: 8, minutes: SIZES.soakMinutes, sampleSeconds: SIZES.soakSampleSeconds, warmupMinutes: SIZES.soakMinutes / 4, intervalMs: 500 }, () => undefined);
  } catch (e) {
    console.error(`  !!! soak failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  printDecodeTables({ throughput, talks });
  if (conversations.length > 0) {
    console.log('\nMeters: a whole 500-record conversation with the simulator on a memory link, unpaced (includes the simulator)');
    console.log(
      table([
        ['driver', 'bytes to host', 'readings', 'median ms', 'MB/s', 'readings/s'],
        ...conversations.map((c) => [c.driver, String(c.bytes), String(c.readings), fmt(c.medianMs, 0), fmt(c.bytes / 1e6 / (c.medianMs / 1000), 3), fmt(c.readings / (c.medianMs / 1000), 0)]),
      ]),
    );
    console.log('\nDownload time of 500 records at the real link speed (the Neo memory also holds insulin and clock-change records, which are not readings)');
    console.log(describeDownloads(downloads));
    console.log(WIRE_TIME_RULE);
  }
  console.log('\nLatency last byte on pty → stored + emitted (ms). "drained": from await write() resolved (as asked; a lower bound),');
  console.log('"write call": from just before the last write() call (an upper bound); ingest: time inside HubDatabase.ingest');
  console.log(
    table([
      ['scenario', 'devices', 'count', 'drained p50', 'p99', 'max', 'write call p50', 'p99', 'max', 'ingest p50', 'p99', 'achieved readings/s'],
      ...latency.map((r) => [
        r.label,
        String(r.devices),
        String(r.latency.count),
        fmt(r.latency.p50Ms),
        fmt(r.latency.p99Ms),
        fmt(r.latency.maxMs),
        fmt(r.fromWriteCall.p50Ms),
        fmt(r.fromWriteCall.p99Ms),
        fmt(r.fromWriteCall.maxMs),
        fmt(r.ingest.p50Ms),
        fmt(r.ingest.p99Ms),
        fmt(r.readingsPerS, 0),
      ]),
    ]),
  );

  if (screen.length > 0) {
    console.log('\nByte → screen through pochub serve (ms): last byte on a pty → review event at a WebSocket client. "drained": from await write() resolved; "write call": from just before the write() call');
    console.log(
      table([
        ['devices', 'readings', 'readings/s', 'drained p50', 'p99', 'max', 'write call p50', 'p99', 'missed', 'hub CPU ms/reading'],
        ...screen.map((r) => [
          String(r.devices),
          String(r.latency.count),
          fmt(r.readingsPerS, 1),
          fmt(r.latency.p50Ms, 1),
          fmt(r.latency.p99Ms, 1),
          fmt(r.latency.maxMs, 1),
          fmt(r.fromWriteCall.p50Ms, 1),
          fmt(r.fromWriteCall.p99Ms, 1),
          String(r.missed),
          fmt(r.hubCpuMsPerReading, 1),
        ]),
      ]),
    );
  }
  if (startup) {
    console.log('\nStart-up (medians): pochub serve spawned → address printed (listening) → sign-in form took a keystroke in Chromium');
    console.log(table(startupRows(startup)));
  }

  if (exportResults.length > 0) {
    console.log('\nExport (store → exporter → peer → ACK recorded; FHIR content validated before sending; one message at a time per target)');
    console.log(
      table([
        ['peer', 'burst', 'burst s', 'readings/s', 'paced', 'confirm→ack p50 ms', 'p99', 'max'],
        ...exportResults.map((r) => [r.peer, String(r.burst), fmt(r.burstSeconds, 2), fmt(r.readingsPerS, 1), String(r.paced), fmt(r.confirmToAck.p50Ms), fmt(r.confirmToAck.p99Ms), fmt(r.confirmToAck.maxMs)]),
      ]),
    );
  }

  if (soak) {
    console.log('\nSoak (short; npm run soak for a long one)');
    for (const line of describeSoak(soak)) console.log(line);
  }

  const out = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(out, { recursive: true });
  const file = `${out}latest.json`;
  facts['loadAvgAtEnd'] = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at the end ${facts['loadAvgAtEnd']}`);
  const json = { date: new Date().toISOString(), quick, machine: facts, sizes: SIZES, chunkBytes: CHUNK_BYTES, throughput, answering: talks, conversations, downloads, latency, screen, ui, startup, export: exportResults, soak };
  await writeFile(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nresults written to ${file}`);
}

await main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
