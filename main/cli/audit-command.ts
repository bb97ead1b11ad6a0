import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { defaultDataDir, storeFile } from '../paths.ts';
import { openStore } from '../store/index.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { AuditLog } from '../workflow/audit-log.ts';
import { parseArgs } from './args.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

const AuditVerifyArgs = z.object({ data: z.string().min(1).optional(), json: z.boolean().optional() });

/**
 * Open the hub store of a data folder (`--data`, else the hub's own, as `read` and `serve` do).
 * With `mustExist`, a missing store is an error: a command that inspects a hub must not quietly
 * create an empty one (and then report it intact).
 */
export function openHubDatabase(data: string | undefined, mustExist: boolean): HubDatabase {
  const file = storeFile(data ?? defaultDataDir());
  if (mustExist && !existsSync(file)) throw commandFailure('NOT_FOUND', `no hub store at ${file} (give the hub's data folder with --data)`);
  try {
    return openStore(file);
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  }
}

/**
 * `pochub audit verify [--data <dir>] [--json]`: walk the audit log's hash chain. Exit 0 and
 * "audit log intact: N rows", or exit 1 with one line naming the first changed or missing row.
 */
export function auditVerifyCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(AuditVerifyArgs, raw);
  const store = openHubDatabase(args.data, true);
  try {
    const result = new AuditLog(store, hostname(), Date.now).verify();
    if (args.json) {
      io.out(JSON.stringify(result));
      return result.ok ? 0 : 1;
    }
    if (!result.ok) throw commandFailure('AUDIT_BROKEN', result.message);
    io.out(result.message);
    return 0;
  } finally {
    store.close();
  }
}
