import { HubError } from '../../../shared/errors.ts';
import type { Simulator } from '../../kit/index.ts';
import { MEMORY_ROWS, MGDL_ROWS, reportText, type RowSpec } from './simulated-device.ts';

/** How many bytes the file link hands over at a time (a read buffer). */
const CHUNK_BYTES = 700;

const SCENARIOS: Readonly<Record<string, { rows: readonly RowSpec[]; cut?: boolean }>> = {
  memory: { rows: MEMORY_ROWS },
  mgdl: { rows: MGDL_ROWS },
  empty: { rows: [] },
  partial: { rows: MEMORY_ROWS, cut: true },
};

/**
 * The file side of the link: the report's bytes in read-buffer chunks, then the end of the file
 * (the link closes), as main/transports/folder.ts delivers a real report.
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: 'A report in mmol/L: before/after meal, a control test, a non-glucose row, temperature and target markers' },
    { name: 'mgdl', description: 'A report in mg/dL with a control test' },
    { name: 'empty', description: 'A report with no rows' },
    { name: 'partial', description: 'The memory report cut short in its last row (a file still being written): nothing imported' },
  ],
  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('INPUT_INVALID', `the Accu-Chek Mobile simulator has no scenario "${ctx.scenario}"`);
    let bytes = new TextEncoder().encode(reportText(ctx.clock.now(), setup.rows));
    // Fault `truncate` (conformance): the file ends inside its last row, as a report still being written.
    if (setup.cut || ctx.fault === 'truncate') bytes = bytes.subarray(0, bytes.length - 9);
    for (let at = 0; at < bytes.length && !ctx.signal.aborted; at += CHUNK_BYTES) await ctx.link.write(bytes.subarray(at, at + CHUNK_BYTES));
    await ctx.link.close();
  },
};
