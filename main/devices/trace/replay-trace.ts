import { HubError, isHubError } from '../../../shared/errors.ts';
import { requireDriver } from '../../../drivers/index.ts';
import { replaySession, parseTrace, type Trace } from '../../../drivers/kit/index.ts';
import type { ReplayResult } from '../biomed-interfaces.ts';

interface ReplayTraceOptions {
  /** Quiet time that ends the replayed stream, in ms (`pochub replay --idle`). Default 1000. */
  idleMs?: number;
}

/**
 * Run a driver against a trace file's text, as `pochub replay --loose` does: both use the kit's
 * `replaySession`, so the console shows the readings the command prints.
 * Loose, because a trace recorded from a real device often has host writes the device ignored.
 */
export async function replayTrace(driverId: string, traceText: string, options: ReplayTraceOptions = {}): Promise<ReplayResult> {
  const driver = requireDriver(driverId);
  const trace = parseOrExplain(traceText);
  const { result, unusedExchanges } = await replaySession(driver, trace, { loose: true, idleMs: options.idleMs });
  const problems = Object.entries(result.problems).map(([code, n]) => `${code}: ${n}`);
  const traced = trace.header['driver'];
  if (traced && traced !== driverId) problems.push(`the trace was recorded with driver ${traced}`);
  if (unusedExchanges > 0) problems.push(`${unusedExchanges} exchange(s) in the trace were never requested by the driver`);
  if (result.error) problems.push(`${result.error.message} [${result.error.code}]`);
  return { readings: result.readings, end: result.end, problems };
}

/** The kit's reader names the bad line; the console's caller gets it as bad input. */
function parseOrExplain(text: string): Trace {
  try {
    return parseTrace(text);
  } catch (e) {
    if (isHubError(e)) throw new HubError('INPUT_INVALID', `the trace is not valid: ${e.message}`, { cause: e, details: e.details });
    throw e;
  }
}
