import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { requireDriver } from '../../drivers/index.ts';
import { replaySession, parseTrace } from '../../drivers/kit/index.ts';
import { bugLine, isBug } from '../bug-report.ts';
import { PositiveSeconds, parseArgs } from './args.ts';
import { OptionArgsSchema, parseDriverOptions } from './driver-option-args.ts';
import { commandFailure, commandFailureOf, errorLine, formatReading, problemSummary } from './output.ts';
import type { Io } from './io.ts';

const ReplayArgs = z.object({
  driver: z.string().min(1),
  trace: z.string().min(1),
  json: z.boolean().optional(),
  loose: z.boolean().optional(),
  inOrder: z.boolean().optional(),
  idle: PositiveSeconds('--idle').optional(),
  option: OptionArgsSchema,
});

/** `pochub replay --driver <id> --trace <file>`: run a driver against a recorded trace. */
export async function replayCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(ReplayArgs, raw);
  const driver = requireDriver(args.driver);
  const options = parseDriverOptions(driver.manifest, args.option);
  let text: string;
  try {
    text = await readFile(args.trace, 'utf8');
  } catch (e) {
    throw commandFailure('INPUT_INVALID', `cannot read trace ${args.trace}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorLine(e)}`, { exitCode: 1, cause: e });
  }
  let trace;
  try {
    trace = parseTrace(text);
  } catch (e) {
    throw commandFailureOf(e, { code: 'TRACE_INVALID', message: `${args.trace}: ${isHubError(e) ? e.message : errorLine(e)}` });
  }
  const traced = trace.header['driver'];
  if (traced && traced !== driver.manifest.id) io.err(`warning: the trace was recorded with driver ${traced}, replaying with ${driver.manifest.id}`);

  const { result, unusedExchanges } = await replaySession(driver, trace, {
    loose: args.loose,
    inOrder: args.inOrder,
    idleMs: args.idle === undefined ? undefined : args.idle * 1000,
    options,
    onEvent: (event) => {
      if (event.type === 'reading') io.out(formatReading(event.reading, Boolean(args.json)));
      else if (event.type === 'problem' && event.code === 'DEVICE_ERROR') io.err(`device error: ${event.message}`);
    },
  });
  const summary = problemSummary(result.problems);
  if (summary) io.err(summary);
  if (unusedExchanges > 0) io.err(`warning: ${unusedExchanges} exchange(s) in the trace were never requested by the driver`);
  if (result.error && isBug(result.error)) io.err(bugLine(`the ${driver.manifest.id} session`, result.error));
  if (result.error) throw commandFailureOf(result.error, { message: `replay failed: ${errorLine(result.error)}` });
  return 0;
}
