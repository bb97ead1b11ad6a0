import { hostname } from 'node:os';
import { z } from 'zod';
import { CACHE_LIMITS } from '../../shared/patients/patient-sources.ts';
import { defaultDataDir } from '../paths.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { DataArg } from './patients-sources-command.ts';

const CacheArgs = z.object({
  data: DataArg,
  hours: z.coerce
    .number({ error: 'a whole number of hours' })
    .int({ error: 'a whole number of hours' })
    .min(CACHE_LIMITS.minHours, { error: `at least ${CACHE_LIMITS.minHours} hour` })
    .max(CACHE_LIMITS.maxHours, { error: `at most ${CACHE_LIMITS.maxHours} hours (30 days)` })
    .optional(),
});

/**
 * `pochub patients cache [--hours <n>]`: how long this workstation keeps what patient sources told
 * it about a patient or visit not used since (privacy); with `--hours`, set it (audited). Patients
 * with readings and visits readings were taken in are never forgotten.
 */
export function patientsCacheCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(CacheArgs, raw);
  const store = openHubDatabase(args.data ?? defaultDataDir(), args.hours === undefined);
  try {
    if (args.hours !== undefined) {
      const hours = args.hours;
      const before = store.patientCache.expireHours();
      const workflow = new HubWorkflow(store, hostname());
      store.transaction(() => {
        store.patientCache.setExpireHours(hours, new Date().toISOString());
        workflow.audit('patient-cache.set', 'patient-cache', { expireHours: hours, before });
      });
    }
    io.out(`the patient cache forgets what sources told it after ${store.patientCache.expireHours()} hours unused (never a patient with readings)`);
    return 0;
  } finally {
    store.close();
  }
}
