import { z } from 'zod';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';
import type { SourcePatient, Visit } from '../../shared/patients/patient-sources.ts';
import { parseArgs } from './args.ts';
import type { Io } from './io.ts';
import { DataArg, withSources } from './patients-sources-command.ts';

const FindArgs = z.object({
  data: DataArg,
  mrn: z.string().trim().min(1).max(INPUT_LIMITS.mrn),
  identifierSystem: z.string().trim().min(1).max(500).optional(),
  json: z.boolean().optional(),
});
const TodayArgs = z.object({ data: DataArg, json: z.boolean().optional() });

/** Exit codes of `patients find`: found, not found, no source reachable. */
const FOUND = 0;
const NOT_FOUND = 3;
const UNREACHABLE = 1;

function patientLines(p: SourcePatient): string[] {
  const ids = p.identifiers.map((i) => (i.system === undefined ? i.value : `${i.system}|${i.value}`)).join(', ');
  return [
    `MRN ${p.mrn}${p.name === undefined ? '' : `  ${p.name}`}${p.birthDate === undefined ? '' : `  born ${p.birthDate}`}${p.sex === undefined ? '' : `  ${p.sex}`}`,
    ...(ids === '' ? [] : [`  identifiers: ${ids}`]),
    ...(p.fhirId === undefined ? [] : [`  FHIR: Patient/${p.fhirId}`]),
  ];
}

/**
 * `pochub patients find --mrn <value> [--identifier-system <uri>] [--json]`: the patient as the sources know them, with the
 * source that verified them and when. Exit 0 found (a merged-away MRN resolves to the surviving
 * patient, marked merged), 3 when the sources answered and none knows the MRN, 1 when no source
 * answered — then what this workstation's cache holds for that MRN, said plainly. Reads the
 * store only, so it works while `pochub serve` or the ADT listener runs on the same folder.
 */
export async function patientsFindCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(FindArgs, raw);
  return withSources(args.data, true, async (service, store) => {
    const answer: LookupResult = await service.lookup(args.mrn, args.identifierSystem === undefined ? {} : { identifierSystem: args.identifierSystem });
    const cachedSource = store.patients.sourcePatient(args.mrn);
    const onFile = store.patients.get(args.mrn);
    const cache = { ...(onFile === undefined ? {} : { onFile }), ...(cachedSource === undefined ? {} : { fromSource: cachedSource }) };
    const code = answer.state === 'found' ? FOUND : answer.state === 'not-found' ? NOT_FOUND : UNREACHABLE;
    if (args.json) {
      io.out(JSON.stringify({ mrn: args.mrn, ...answer, ...(answer.state === 'found' ? {} : { cache }) }));
      return code;
    }
    if (answer.state === 'found') {
      if (answer.mergedFrom !== undefined) io.out(`MRN ${answer.mergedFrom} was merged into MRN ${answer.patient.mrn} (merged): the surviving patient is`);
      for (const line of patientLines(answer.patient)) io.out(line);
      io.out(`  verified by ${answer.sourceId} (${answer.sourceName}) at ${answer.patient.verifiedAt}${answer.cached ? ', from the ADT messages it sent' : ''}`);
      return code;
    }
    if (answer.state === 'not-found') {
      io.err(`MRN ${args.mrn} is not known to ${answer.asked.join(', ')}`);
      return code;
    }
    io.err(answer.state === 'no-sources' ? 'no patient source is configured or enabled: nothing to ask' : `no patient source could be reached: ${answer.reason}`);
    if (onFile === undefined) io.err(`the local cache holds nothing for MRN ${args.mrn}`);
    else {
      const how = cachedSource === undefined ? (onFile.verified ? 'verified earlier' : 'a local patient, never verified') : `as ${cachedSource.sourceId} told it at ${cachedSource.verifiedAt}`;
      io.err(`the local cache holds MRN ${onFile.mrn}${onFile.name === undefined ? '' : `, ${onFile.name}`}${onFile.birthDate === undefined ? '' : `, born ${onFile.birthDate}`} (${how}) — not verified now`);
    }
    return code;
  });
}

function visitLine(v: Visit, name: string | undefined): string {
  const time = v.start === undefined ? '--:--' : new Date(v.start).toTimeString().slice(0, 5);
  const what = v.encounterId !== undefined ? `Encounter/${v.encounterId}` : v.appointmentId !== undefined ? `Appointment/${v.appointmentId}` : (v.visitNumber ?? v.id);
  return `${time}\t${v.state}\tMRN ${v.mrn}\t${name ?? ''}\t${v.room ?? v.location ?? ''}\t${what}`;
}

/**
 * `pochub patients today [--json]`: today's patients (the workstation's local day) for the
 * configured location, asked of every FHIR source now and kept in the cache (ADT visits
 * included), each with its time and patient. Exit 0; a source that could not be asked is said on
 * standard error (and the list is what the cache holds).
 */
export async function patientsTodayCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(TodayArgs, raw);
  return withSources(args.data, true, async (service, store) => {
    const { visits, problems } = await service.refreshToday();
    const withPatients = visits.map((v) => ({ visit: v, patient: store.patients.get(v.mrn) }));
    if (args.json) io.out(JSON.stringify({ visits: withPatients.map((w) => ({ ...w.visit, ...(w.patient?.name === undefined ? {} : { name: w.patient.name }), ...(w.patient?.birthDate === undefined ? {} : { birthDate: w.patient.birthDate }) })), problems }));
    else {
      for (const w of withPatients) io.out(visitLine(w.visit, w.patient?.name));
      if (visits.length === 0) io.err('no visits today for the configured location');
    }
    for (const p of problems) io.err(`warning: ${p}`);
    return 0;
  });
}
