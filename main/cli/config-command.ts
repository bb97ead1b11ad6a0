import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { DRIVERS } from '../../drivers/index.ts';
import { ConfigService } from '../config/config-service.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

const ExportArgs = z.object({ data: z.string().min(1).optional(), out: z.string().min(1).optional() });
const ImportArgs = z.object({ data: z.string().min(1).optional(), file: z.string().min(1) });

/** The configuration service over a hub store, without starting a hub (no discovery, no sessions). */
function withConfig<T>(data: string | undefined, mustExist: boolean, fn: (config: ConfigService) => T): T {
  const store = openHubDatabase(data, mustExist);
  try {
    const workflow = new HubWorkflow(store, hostname());
    return fn(new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit: (...a) => workflow.audit(...a), workstation: hostname() }));
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  } finally {
    store.close();
  }
}

/**
 * `pochub config export [--data <dir>] [--out <file>]`: this workstation's ports, drivers,
 * settings, discovery options and export targets as one JSON file (never a secret), to standard
 * output or a file (written whole, then renamed into place).
 */
export function configExportCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(ExportArgs, raw);
  const config = withConfig(args.data, true, (service) => service.exportConfig());
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (args.out === undefined) {
    io.out(text.trimEnd());
    return 0;
  }
  const temp = `${args.out}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o644 });
  renameSync(temp, args.out);
  io.err(`wrote ${args.out}: ${config.ports.length} port(s), ${config.exportTargets.length} export target(s)`);
  return 0;
}

/**
 * `pochub config import --file <f> [--data <dir>]`: apply a configuration file as a whole, or
 * refuse it naming the field (exit 1); nothing is changed on refusal. A running hub picks the
 * new assignments up when it starts again.
 */
export function configImportCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(ImportArgs, raw);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (e) {
    throw commandFailure('INPUT_INVALID', `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const result = withConfig(args.data, false, (service) => service.importConfig(json));
  io.out(`imported ${args.file}: ${result.ports} port(s), ${result.exportTargets} export target(s)`);
  return 0;
}
