import type { Command } from 'commander';
import type { Io } from './io.ts';
import { patientsFindCommand, patientsTodayCommand } from './patients-find-command.ts';
import { patientsListenCommand } from './patients-listen.ts';
import { patientsCacheCommand } from './patients-cache-command.ts';
import { CACHE_LIMITS } from '../../shared/patients/patient-sources.ts';
import { patientsRemoveSourceCommand, patientsSetSourceCommand, patientsSourcesCommand, patientsTestSourceCommand } from './patients-sources-command.ts';

const dataOption = ['--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)"] as const;

/** What each `pochub patients` action needs from the command line around it. */
export interface PatientsCliContext {
  readonly io: Io;
  /** Ctrl-C / SIGTERM: long-running commands (the ADT listener) stop on it. */
  readonly stop: AbortSignal;
  /** The bearer token's line on standard input (`--secret-stdin`). */
  readonly readSecret: () => Promise<string>;
  /** Set the command's exit code. */
  readonly exit: (code: number) => void;
}

/**
 * `pochub patients …` (docs/patient-sources.md): the patient sources of this workstation and
 * what they know — for clinic IT, in the style of `pochub export`.
 */
export function registerPatientsCommands(program: Command, ctx: PatientsCliContext): void {
  const { io, exit } = ctx;
  const patients = program.command('patients').description('patient sources (FHIR, HL7 ADT): who a patient is, and today\'s schedule');
  patients
    .command('set-source')
    .description('add or change a patient source; a bearer token is read from standard input with --secret-stdin')
    .argument('<id>', 'the source id (lower-case letters, digits, dashes)')
    .option('--kind <kind>', 'fhir or hl7-adt (needed for a new source)')
    .option('--name <name>', 'the name the banner shows ("verified with <name>"; default: the id)')
    .option('--url <base>', 'fhir: the FHIR R4 base URL')
    .option('--identifier-system <uri>', "fhir: the MRN's identifier system; look-ups are qualified by it")
    .option('--location <ref>', "fhir: today's schedule is for this Location/<id> (or Practitioner/<id>, Organization/<id>)")
    .option('--listen <host:port>', 'hl7-adt: where the hub listens for ADT messages')
    .option('--file <source.json>', 'every setting from a JSON file (e.g. SMART Backend Services auth; see README)')
    .option('--disabled', 'save the source disabled')
    .option('--secret-stdin', 'fhir: read the bearer token from the first line of standard input')
    .option(...dataOption)
    .action(async (id: string, opts: Record<string, unknown>) => exit(await patientsSetSourceCommand(id, opts, io, ctx.readSecret)));
  patients
    .command('sources')
    .description('list the patient sources: id, kind, URL or address (never a secret)')
    .option('--json', 'machine-readable output')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => exit(await patientsSourcesCommand(opts, io)));
  patients
    .command('remove-source')
    .description('remove a patient source and its token')
    .argument('<id>')
    .option(...dataOption)
    .action(async (id: string, opts: Record<string, unknown>) => exit(await patientsRemoveSourceCommand(id, opts, io)));
  patients
    .command('test-source')
    .description('"test connection": a FHIR source answers, an ADT address can be bound; exit 0 when it does')
    .argument('<id>')
    .option(...dataOption)
    .action(async (id: string, opts: Record<string, unknown>) => exit(await patientsTestSourceCommand(id, opts, io)));
  patients
    .command('find')
    .description('the patient with this MRN as the sources know them: exit 0 found, 3 not found, 1 no source reachable')
    .requiredOption('--mrn <value>', 'the MRN')
    .option('--identifier-system <uri>', "qualify the search by this identifier system (default: each FHIR source's own)")
    .option('--json', 'machine-readable output')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => exit(await patientsFindCommand(opts, io)));
  patients
    .command('today')
    .description("today's patients for the configured location (Appointments and Encounters), each with its time")
    .option('--json', 'machine-readable output')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => exit(await patientsTodayCommand(opts, io)));

  patients
    .command('cache')
    .description('how long what the sources told is kept for a patient or visit not used since (privacy); --hours sets it')
    .option('--hours <n>', `hours, ${CACHE_LIMITS.minHours} to ${CACHE_LIMITS.maxHours}`)
    .option(...dataOption)
    .action((opts: Record<string, unknown>) => exit(patientsCacheCommand(opts, io)));
  patients
    .command('listen')
    .description('run the HL7 ADT listeners of the enabled hl7-adt sources until Ctrl-C (serve runs them too); one line per message')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => exit(await patientsListenCommand(opts, io, ctx.stop)));
}
