import { appendFileSync, writeFileSync } from 'node:fs';
import { systemClock, TappedLink, formatTrace, formatTraceEvent, traceEventOf, type Link } from '../../../drivers/kit/index.ts';

/**
 * `link`, tapped so that everything crossing it is appended to a trace file (docs/trace-format.md)
 * as it happens: a recording survives a crash or an unplug up to the last chunk.
 */
export function recordToFile(
  link: Link,
  file: string,
  header: { driver: string; transport: string; note?: string },
  /** Told once when the file can no longer be written (disk full, removed): the session goes on, the recording stops. */
  onRecordingFailed: (error: unknown) => void,
): Link {
  const startedAt = systemClock.now();
  const fields: Record<string, string> = { driver: header.driver, transport: header.transport, recorded: new Date(startedAt).toISOString() };
  if (header.note) fields['note'] = header.note;
  writeFileSync(file, formatTrace({ header: fields, events: [] }));
  let failed = false;
  return new TappedLink(
    link,
    (chunk) => {
      if (failed) return;
      try {
        appendFileSync(file, formatTraceEvent(traceEventOf(chunk, startedAt)) + '\n');
      } catch (e) {
        // The tap never breaks the session (readings matter more than the trace), but a trace
        // that silently ends early would mislead whoever reads it: say so once.
        failed = true;
        onRecordingFailed(e);
      }
    },
    systemClock,
  );
}
