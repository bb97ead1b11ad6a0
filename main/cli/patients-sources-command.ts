import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import type { PatientSourceView } from '../../shared/patients/patient-lookup.ts';
import { PatientSourceSchema } from '../../shared/patients/patient-sources.ts';
import { FileSecretStore } from '../export/secret-store.ts';
import { PatientSourceService } from '../patients/patient-source-service.ts';
import { defaultDataDir } from '../paths.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

/** `--data`, shared by every `pochub patients` command. */
export const DataArg = z.string().min(1).optional();
const SourceIdArg = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a source id is lower-case letters, digits and dashes, at most 40');

const SetSourceArgs = z.object({
  data: DataArg,
  kind: z.enum(['fhir', 'hl7-adt'], { error: '--kind is fhir or hl7-adt' }).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  url: z.string().min(1).optional(),
  identifierSystem: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  listen: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  secretStdin: z.boolean().optional(),
  disabled: z.boolean().optional(),
});
const ListArgs = z.object({ data: DataArg, json: z.boolean().optional() });
const DataOnly = z.object({ data: DataArg });

/**
 * The patient-source service over a store, without running anything: what the one-shot commands
 * use. Changes are audited with no operator (the command line is the clinic IT's, as for export).
 */
export async function withSources<T>(data: string | undefined, mustExist: boolean, fn: (service: PatientSourceService, store: ReturnType<typeof openHubDatabase>) => Promise<T> | T): Promise<T> {
  const dataDir = data ?? defaultDataDir();
  const store = openHubDatabase(dataDir, mustExist);
  try {
    const workflow = new HubWorkflow(store, hostname());
    const service = new PatientSourceService({ tables: store, audit: (...a) => workflow.audit(...a), secrets: new FileSecretStore(join(dataDir, 'secrets')) });
    return await fn(service, store);
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  } finally {
    store.close();
  }
}

/** What the flags say, laid over the source as saved (a change gives only what changes). */
function sourceFromFlags(id: string, args: z.output<typeof SetSourceArgs>, before: PatientSourceView | undefined, secret: boolean): unknown {
  if (args.file !== undefined) {
    try {
      return { ...(JSON.parse(readFileSync(args.file, 'utf8')) as object), id };
    } catch (e) {
      throw commandFailure('INPUT_INVALID', `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  const kind = args.kind ?? before?.source.kind;
  if (kind === undefined) throw commandFailure('INPUT_INVALID', '--kind: give fhir or hl7-adt for a new source');
  const base: Record<string, unknown> = before?.source.kind === kind ? { ...before.source } : { id, name: id, kind };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) base[key] = value;
  };
  set('name', args.name);
  set('enabled', args.disabled === undefined ? undefined : !args.disabled);
  if (kind === 'fhir') {
    set('baseUrl', args.url);
    set('identifierSystem', args.identifierSystem);
    set('location', args.location);
    if (secret) base['auth'] = { type: 'bearer' };
    if (args.listen !== undefined) throw commandFailure('INPUT_INVALID', '--listen is for --kind hl7-adt');
  } else {
    set('listen', args.listen);
    for (const [flag, v] of [['--url', args.url], ['--identifier-system', args.identifierSystem], ['--location', args.location]] as const) {
      if (v !== undefined) throw commandFailure('INPUT_INVALID', `${flag} is for --kind fhir`);
    }
    if (secret) throw commandFailure('INPUT_INVALID', '--secret-stdin: an HL7 ADT source has no secret (the EHR connects to the hub)');
  }
  return base;
}

/**
 * `pochub patients set-source <id> --kind fhir --url <base> [--identifier-system <uri>]
 * [--location Location/<id>] [--name …] [--secret-stdin]` or `--kind hl7-adt --listen
 * <host:port>`, or `--file <source.json>` (any setting, e.g. SMART auth). The bearer token is
 * read from the first line of standard input — never the command line, where `ps` and shell
 * history would keep it. Validated, saved and audited like the API's savePatientSource.
 */
export async function patientsSetSourceCommand(id: string, raw: Record<string, unknown>, io: Io, readSecret: () => Promise<string>): Promise<number> {
  const sourceId = parseArgs(SourceIdArg, id);
  const args = parseArgs(SetSourceArgs, raw);
  const secret = args.secretStdin ? (await readSecret()).trim() : undefined;
  if (secret === '') throw commandFailure('INPUT_INVALID', '--secret-stdin: standard input was empty');
  return withSources(args.data, false, (service) => {
    const before = service.listPatientSources().find((v) => v.source.id === sourceId);
    const candidate = sourceFromFlags(sourceId, args, before, secret !== undefined);
    const parsed = PatientSourceSchema.safeParse(candidate);
    if (!parsed.success) {
      throw commandFailure('INPUT_INVALID', `the patient source is not valid: ${parsed.error.issues.map((i) => `${flagOf(i.path)}: ${i.message}`).join('; ')}`);
    }
    const view = service.savePatientSource({ source: parsed.data, ...(secret === undefined ? {} : { secret }) });
    io.out(`saved ${view.source.id} (${view.source.kind}, ${view.source.enabled ? 'enabled' : 'disabled'})${view.hasSecret ? ', token stored outside the database' : ''}`);
    return 0;
  });
}

/** A schema path as the flag that sets it. */
function flagOf(path: readonly PropertyKey[]): string {
  const key = String(path[0] ?? '(source)');
  const flags: Record<string, string> = { baseUrl: '--url', identifierSystem: '--identifier-system', location: '--location', listen: '--listen', name: '--name', id: '<id>' };
  return flags[key] ?? path.map(String).join('.');
}

/** Where a source is: its URL (and location) or its listening address. */
function whereOf(view: PatientSourceView): string {
  const s = view.source;
  return s.kind === 'fhir' ? `${s.baseUrl}${s.location === undefined ? '' : ` (${s.location})`}` : `listens on ${s.listen}`;
}

/** `pochub patients sources [--json]`: id, kind, URL or address — never a secret. */
export async function patientsSourcesCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(ListArgs, raw);
  return withSources(args.data, true, (service) => {
    const list = service.listPatientSources();
    if (args.json) io.out(JSON.stringify(list, null, 2));
    else if (list.length === 0) io.err('no patient sources configured (add one with: pochub patients set-source <id> --kind fhir --url <base>)');
    else for (const v of list) io.out(`${v.source.id}\t${v.source.kind}\t${v.source.enabled ? 'enabled' : 'disabled'}\t${whereOf(v)}\t${v.source.name}${v.hasSecret ? '\t(token stored)' : ''}`);
    return 0;
  });
}

/** `pochub patients remove-source <id>`: the source and its token go; audited. */
export async function patientsRemoveSourceCommand(id: string, raw: Record<string, unknown>, io: Io): Promise<number> {
  const sourceId = parseArgs(SourceIdArg, id);
  const args = parseArgs(DataOnly, raw);
  return withSources(args.data, true, (service) => {
    service.removePatientSource({ sourceId });
    io.out(`removed ${sourceId}; what it told the cache stays until the cache expires it`);
    return 0;
  });
}

/** `pochub patients test-source <id>`: "test connection"; exit 0 when it answers. */
export async function patientsTestSourceCommand(id: string, raw: Record<string, unknown>, io: Io): Promise<number> {
  const sourceId = parseArgs(SourceIdArg, id);
  const args = parseArgs(DataOnly, raw);
  return withSources(args.data, true, async (service) => {
    const result = await service.testPatientSource({ sourceId });
    if (!result.ok) throw commandFailure('EXPORT_TEST_FAILED', result.message);
    io.out(result.message);
    return 0;
  });
}
