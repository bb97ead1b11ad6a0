import type { Driver } from '../drivers/kit/index.ts';
import { describeConversations, measureConversation, needsConversation, type ConversationResult } from './conversation-throughput.ts';
import { CHUNK_BYTES, measureThroughput, type ThroughputResult } from './decode-throughput.ts';
import { fmt, table } from './stats.ts';

/**
 * Step 1 of `npm run bench`: decode throughput, for every registered driver or only those named
 * by `--only`. Streaming drivers replay their default scenario's bytes as one long stream
 * (bench/decode-throughput.ts); drivers that speak only when asked are measured as whole
 * conversations with their simulator (bench/conversation-throughput.ts); meters send nothing
 * unasked and are left to the download tables. Prints a line a driver as it goes.
 */

export interface DecodeStepSizes {
  readonly targetBytes: number;
  readonly conversationBytes: number;
  readonly runs: number;
}

export interface DecodeStepResult {
  readonly throughput: ThroughputResult[];
  readonly talks: ConversationResult[];
}

/** Conversation drivers measured in more than their default scenario: Mindray's other dialect (the monitor connects, PCD-01). */
const MORE_CONVERSATIONS: Readonly<Record<string, readonly string[]>> = { 'mindray-hl7': ['pcd01'] };

/** Measure `drivers` (meters among them are named and skipped), printing as it goes. */
export async function runDecodeStep(drivers: readonly Driver[], sizes: DecodeStepSizes, label: string): Promise<DecodeStepResult> {
  console.log(`${label} decode throughput: default scenario repeated to ≥ ${sizes.targetBytes / 1e6} MB, ${CHUNK_BYTES}-byte writes, after a 0.5 MB warm-up, median of ${sizes.runs} run(s)`);
  const throughput: ThroughputResult[] = [];
  const meters = drivers.filter((d) => d.manifest.kind === 'download');
  if (meters.length > 0) console.log(`  (meters — ${meters.map((d) => d.manifest.id).join(', ')} — send nothing unasked: see the download tables)`);
  // Drivers that speak only when asked (polled serial, HTTP, HL7 over TCP) are measured as whole conversations.
  const streaming: Driver[] = [];
  const talking: Driver[] = [];
  for (const driver of drivers.filter((d) => d.manifest.kind !== 'download')) ((await needsConversation(driver)) ? talking : streaming).push(driver);
  for (const driver of streaming) {
    const r = await measureThroughput(driver, { targetBytes: sizes.targetBytes, runs: sizes.runs });
    throughput.push(r);
    console.log(
      `  ${r.driver}: scenario '${r.scenario}' ${r.scenarioBytes} B → ${r.readingsPerScenario} reading(s) per pass × ${r.repetitions}${r.paced ? ', paced (the driver times samples by arrival)' : ''}; ` +
        `runs ${r.runsMs.map((ms) => fmt(ms, 0)).join(' / ')} ms; end ${r.end}`,
    );
    if (Object.keys(r.problems).length > 0) console.log(`    problems reported: ${JSON.stringify(r.problems)}; the scenario's own per pass: ${JSON.stringify(r.problemsPerScenario)}`);
    if (r.warning) console.error(`  !!! ${r.driver}: ${r.warning}`);
  }
  const talks: ConversationResult[] = [];
  if (talking.length === 0) return { throughput, talks };
  console.log(`  drivers that answer a host (${talking.map((d) => d.manifest.id).join(', ')}): whole conversations with the simulator, default scenario, to ≥ ${sizes.conversationBytes / 1e6} MB both ways, median of ${sizes.runs} run(s)`);
  for (const driver of talking) {
    for (const scenario of [undefined, ...(MORE_CONVERSATIONS[driver.manifest.id] ?? [])]) {
      const r = await measureConversation(driver, { targetBytes: sizes.conversationBytes, runs: sizes.runs, ...(scenario === undefined ? {} : { scenario }) });
      talks.push(r);
      console.log(`  ${r.driver}: ${r.link}, scenario '${r.scenario}' ${r.bytesToHostPerPass}+${r.bytesToDevicePerPass} B, ${r.writesPerPass} host writes → ${r.readingsPerPass} reading(s) per pass × ${r.passes}; runs ${r.runsMs.map((ms) => fmt(ms, 0)).join(' / ')} ms; end ${r.end}`);
      if (Object.keys(r.problems).length > 0) console.log(`    problems reported (last pass): ${JSON.stringify(r.problems)}; the scenario's own per pass: ${JSON.stringify(r.problemsPerPass)}`);
      if (r.warning) console.error(`  !!! ${r.driver}: ${r.warning}`);
    }
  }
  return { throughput, talks };
}

/** The step's summary tables, printed after every step has run. */
export function printDecodeTables({ throughput, talks }: DecodeStepResult): void {
  console.log('\nDecode throughput (memory link, virtual clock)');
  console.log(
    table([
      ['driver', 'kind', 'bytes', 'readings', 'expected', 'median ms', 'MB/s', 'readings/s', 'paced'],
      ...throughput.filter((r) => r.runsMs.length > 0).map((r) => [r.driver, r.kind, String(r.bytes), String(r.readings), String(r.expectedReadings), fmt(r.medianMs, 0), fmt(r.mbPerS), fmt(r.readingsPerS, 0), r.paced ? 'yes' : '']),
    ]),
  );
  if (talks.length > 0) {
    console.log('\nDecode throughput of drivers that answer a host: whole conversations with the simulator (memory link, virtual clock, unpaced; includes the simulator)');
    console.log(describeConversations(talks));
  }
}
