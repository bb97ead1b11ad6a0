import type { Patient } from '../../shared/api/model.ts';
import { birthDateProblem } from '../../shared/birth-date-rule.ts';
import { HubError } from '../../shared/errors.ts';
import type { PatientRecord } from '../store/patients-repo.ts';

/**
 * Names are compared the way a person reads a wristband: case, accents' composition and runs of
 * spaces do not matter; letters do. "DOE, JANE" vs "Jane Doe" is a difference to check, not to
 * guess away.
 */
function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
  return norm(a) === norm(b);
}

/**
 * Check the identifiers given at selection against the patient on file with that MRN: each one
 * both given and on file must be the same. `where` names the record in the message: "on file", or
 * the EHR (a patient source) when selection checks against it (main/workflow/patient-verification.ts).
 * @throws HubError `CONFLICT` naming each identifier that differs, with both values, so the
 *   assistant can check the wristband.
 */
export function checkAgainstFile(given: GivenIdentifiers, onFile: Pick<PatientRecord, 'name' | 'birthDate'>, where = 'on file'): void {
  const differences: string[] = [];
  const differs: string[] = [];
  if (given.birthDate !== undefined && onFile.birthDate !== undefined && given.birthDate !== onFile.birthDate) {
    differences.push(`born ${onFile.birthDate}, not ${given.birthDate}`);
    differs.push('birthDate');
  }
  if (given.name !== undefined && onFile.name !== undefined && !sameName(given.name, onFile.name)) {
    differences.push(`named ${onFile.name}, not ${given.name}`);
    differs.push('name');
  }
  if (differences.length === 0) return;
  throw new HubError('CONFLICT', `MRN ${given.mrn} is ${where} ${differences.join(' and ')}: check the wristband.`, {
    details: { mrn: given.mrn, differs, ...(where === 'on file' ? {} : { where }) },
  });
}

/** What selection does with the store, once every rule passed. */
export type Identification =
  /** A patient on file; `add` holds an identifier missing on file that is to be stored now. */
  | { kind: 'on-file'; onFile: PatientRecord; add: { name?: string; birthDate?: string } }
  /** A new local patient, with all three identifiers, not verified against the EHR. */
  | { kind: 'create-local'; patient: { mrn: string; name: string; birthDate: string } };

export interface GivenIdentifiers {
  mrn: string;
  name?: string;
  birthDate?: string;
  createLocal?: boolean;
  addName?: boolean;
}

/**
 * The identification rules (docs/architecture.md §8 rule 2) for one selection: a date of birth a
 * living patient can have; an MRN not on file only with the explicit new-local-patient step;
 * identifiers that match the record on file; a missing name added only with the explicit
 * add-name step. `today` is the workflow's clock.
 * @throws HubError INPUT_INVALID, NOT_FOUND (details.unknown) or CONFLICT (details.nameMissing,
 *   details.differs, details.alreadyOnFile), each in words the assistant can act on.
 */
export function identify(given: GivenIdentifiers, onFile: PatientRecord | undefined, today: Date): Identification {
  if (given.birthDate !== undefined) {
    const problem = birthDateProblem(given.birthDate, today);
    if (problem !== undefined) throw new HubError('INPUT_INVALID', problem, { details: { field: 'birthDate' } });
  }
  if (onFile === undefined) return newLocal(given);
  if (given.createLocal === true) {
    throw new HubError('CONFLICT', `MRN ${given.mrn} is already on file on this workstation: select the patient instead of adding them again.`, {
      details: { mrn: given.mrn, alreadyOnFile: true },
    });
  }
  checkAgainstFile(given, onFile);
  const nameMatches = given.name !== undefined && onFile.name !== undefined;
  const birthDateMatches = given.birthDate !== undefined && onFile.birthDate !== undefined;
  // An identifier that is only being added cannot be what identifies the patient: at least one
  // given identifier must be one on file (checkAgainstFile already proved it equal).
  if (!nameMatches && !birthDateMatches) {
    const needed = onFile.birthDate !== undefined ? 'the date of birth' : 'the name';
    throw new HubError('CONFLICT', `MRN ${given.mrn} is on file without that identifier: give ${needed} too, so the patient is identified by what is on file.`, {
      details: { mrn: given.mrn, differs: [], needs: onFile.birthDate !== undefined ? 'birthDate' : 'name' },
    });
  }
  const add: { name?: string; birthDate?: string } = {};
  if (given.name !== undefined && onFile.name === undefined) {
    if (given.addName !== true) {
      throw new HubError('CONFLICT', `MRN ${given.mrn} has no name on file: add it with "Add name to this patient", or select the patient without the name.`, {
        details: { mrn: given.mrn, nameMissing: true },
      });
    }
    add.name = given.name;
  }
  if (given.birthDate !== undefined && onFile.birthDate === undefined) add.birthDate = given.birthDate;
  return { kind: 'on-file', onFile, add };
}

function newLocal(given: GivenIdentifiers): Identification {
  if (given.createLocal !== true) {
    throw new HubError('NOT_FOUND', `No patient with MRN ${given.mrn} on file on this workstation. Check the wristband, or add a new local patient.`, {
      details: { mrn: given.mrn, unknown: true },
    });
  }
  if (given.name === undefined || given.birthDate === undefined) {
    throw new HubError('INPUT_INVALID', 'A new local patient needs the MRN, the date of birth and the name.', {
      details: { field: given.birthDate === undefined ? 'birthDate' : 'name' },
    });
  }
  return { kind: 'create-local', patient: { mrn: given.mrn, name: given.name, birthDate: given.birthDate } };
}

/** The patient as the banner shows it: the MRN, every identifier on file, and whether it was verified. */
export function toPatient(r: PatientRecord): Patient {
  return {
    mrn: r.mrn,
    ...(r.name === undefined ? {} : { name: r.name }),
    ...(r.birthDate === undefined ? {} : { birthDate: r.birthDate }),
    verified: r.verified,
  };
}
