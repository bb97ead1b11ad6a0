import type { Patient } from '../../shared/api/model.ts';
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
 * Check the identifiers given at selection against the patient on file with that MRN.
 * @throws HubError `CONFLICT` naming each identifier that differs, with both values, so the
 *   assistant can check the wristband.
 */
export function checkAgainstFile(given: { mrn: string; name?: string; birthDate?: string }, onFile: PatientRecord | undefined): void {
  if (onFile === undefined) return;
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
  throw new HubError('CONFLICT', `MRN ${given.mrn} is on file ${differences.join(' and ')}: check the wristband.`, {
    details: { mrn: given.mrn, differs },
  });
}

/** The patient as the banner shows it: the MRN and every identifier on file. */
export function toPatient(r: PatientRecord): Patient {
  return { mrn: r.mrn, ...(r.name === undefined ? {} : { name: r.name }), ...(r.birthDate === undefined ? {} : { birthDate: r.birthDate }) };
}
