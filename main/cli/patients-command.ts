import type { Command } from 'commander';
import type { Io } from './io.ts';
import { patientsListenCommand } from './patients-listen.ts';

/**
 * `pochub patients …`: patient context from the EHR (docs/architecture.md §8). `exitCode` receives
 * each command's exit code.
 */
export function addPatientsCommands(program: Command, io: Io, stop: AbortSignal, exitCode: (code: number) => void): void {
  const dataOption = ['--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)"] as const;
  const patients = program.command('patients').description('patient context from the EHR: patient sources, the ADT listener');
  patients
    .command('listen')
    .description('run the HL7 ADT listeners of the enabled hl7-adt sources until Ctrl-C (serve runs them too); one line per message')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode(await patientsListenCommand(opts, io, stop));
    });
}
