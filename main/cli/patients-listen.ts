import { hostname } from 'node:os';
import { z } from 'zod';
import { ADT_SYNC_MS, AdtListeners, adtMessageLine } from '../patients/adt/adt-listeners.ts';
import { startCacheExpiry } from '../patients/cache-expiry.ts';
import { AuditLog } from '../workflow/audit-log.ts';
import { openHubDatabase } from './audit-command.ts';
import { parseArgs } from './args.ts';
import type { Io } from './io.ts';
import { commandFailure } from './output.ts';

const ListenArgs = z.object({ data: z.string().min(1).optional() });

/**
 * `pochub patients listen [--data <dir>]`: the ADT listeners of the enabled `hl7-adt` patient
 * sources on their own, until Ctrl-C / SIGTERM (`serve` runs them too). Prints one line per
 * message; sources changed meanwhile (e.g. by `pochub patients set-source`) are picked up within
 * {@link ADT_SYNC_MS}; the patient cache is purged as configured.
 */
export async function patientsListenCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const args = parseArgs(ListenArgs, raw);
  // A listener for a folder with no hub in it has no source to listen for: say so, create nothing.
  const store = openHubDatabase(args.data, true);
  const auditLog = new AuditLog(store, hostname(), Date.now);
  const listeners = new AdtListeners({ store, auditLog, now: Date.now, log: (line) => io.err(line), onMessage: (e) => io.out(adtMessageLine(e)) });
  const stopExpiry = startCacheExpiry(store, Date.now, (line) => io.err(line));
  let timer: NodeJS.Timeout | undefined;
  try {
    await listeners.sync();
    if (listeners.list().length === 0) {
      const sources = store.patientSources.list().filter((r) => r.source.kind === 'hl7-adt' && r.source.enabled);
      throw commandFailure(
        sources.length === 0 ? 'NOT_FOUND' : 'TRANSPORT_OPEN_FAILED',
        sources.length === 0
          ? 'no enabled hl7-adt patient source: add one with pochub patients set-source <id> --kind hl7-adt --listen <host:port>'
          : 'no ADT source could listen (see above)',
      );
    }
    timer = setInterval(() => void listeners.sync(), ADT_SYNC_MS);
    io.err('Ctrl-C to stop');
    await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
    io.err('stopping…');
    return 0;
  } finally {
    if (timer !== undefined) clearInterval(timer);
    stopExpiry();
    await listeners.close();
    store.close();
  }
}
