import type { HubDatabase } from '../store/hub-database.ts';

const HOUR_MS = 3_600_000;
/** ADT control ids are remembered at least this long (a resend within it is never applied twice). */
export const ADT_MESSAGES_KEPT_MS = 7 * 24 * HOUR_MS;
/** How often the purge runs: expiry is in hours, so a few minutes late is fine. */
const PURGE_EVERY_MS = 10 * 60_000;

/** What one purge removed. */
export interface CachePurge {
  patients: number;
  visits: number;
  adtMessages: number;
}

type CacheTables = Pick<HubDatabase, 'patients' | 'visits' | 'adtMessages' | 'patientCache' | 'transaction'>;

/**
 * Privacy (docs/adt-inbound.md §4): forget what patient sources told the
 * hub once it has not been used for the configured time — patients no reading refers to, and
 * visits — and ADT control ids older than seven days (never younger, whatever the cache setting).
 */
export function purgePatientCache(store: CacheTables, now: number): CachePurge {
  return store.transaction(() => {
    const before = new Date(now - store.patientCache.expireHours() * HOUR_MS).toISOString();
    return {
      patients: store.patients.expireSourceData(before),
      visits: store.visits.expire(before),
      adtMessages: store.adtMessages.purgeBefore(new Date(now - ADT_MESSAGES_KEPT_MS).toISOString()),
    };
  });
}

/** Purge now and then every few minutes until the returned function is called. */
export function startCacheExpiry(store: CacheTables, now: () => number, log: (line: string) => void): () => void {
  const run = (): void => {
    try {
      purgePatientCache(store, now());
    } catch (e) {
      log(`pochub: the patient cache could not be purged: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  run();
  const timer = setInterval(run, PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
