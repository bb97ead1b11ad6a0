import { appendFileSync, writeFileSync } from 'node:fs';
import { systemClock, TappedLink, formatTrace, formatTraceEvent, traceEventOf, type Link } from '../../../drivers/kit/index.ts';

/**
 * `link`, tapped so that everything crossing it is appended to a trace file (docs/trace-format.md)
 * as it happens: a recording survives a crash or an unplug up to the last chunk.
 */
export function recordToFile(link: Link, file: string, header: { driver: string; transport: string; note?: string }): Link {
  const startedAt = systemClock.now();
  const fields: Record<string, string> = { driver: header.driver, transport: header.transport, recorded: new Date(startedAt).toISOString() };
  if (header.note) fields['note'] = header.note;
  writeFileSync(file, formatTrace({ header: fields, events: [] }));
  return new TappedLink(
    link,
    (chunk) => appendFileSync(file, formatTraceEvent(traceEventOf(chunk, startedAt)) + '\n'),
    systemClock,
  );
}
