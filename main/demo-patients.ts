import type { HubDatabase } from './store/index.ts';
import type { HubWorkflow } from './workflow/hub-workflow.ts';

/**
 * The demo's patients. An MRN not on file is refused at selection (docs/architecture.md §8 rule
 * 2), so demo mode puts these on file, as local unverified patients, for a newcomer to select.
 */
export const DEMO_PATIENTS = [
  { mrn: 'MRN-20418', name: "Ruiz, Ana María O'Neil", birthDate: '1961-04-23' },
  { mrn: 'MRN-40021', name: 'Okafor, Daniel', birthDate: '1961-07-14' },
  { mrn: 'MRN-51177', name: 'Lindqvist, Maja', birthDate: '2025-02-03' },
] as const;

/** Put the demo patients on file, once per store (a restart finds them there already), each audited. */
export function seedDemoPatients(store: Pick<HubDatabase, 'patients' | 'transaction'>, workflow: Pick<HubWorkflow, 'audit'>): void {
  const seen = new Date().toISOString();
  for (const p of DEMO_PATIENTS) {
    if (store.patients.get(p.mrn) !== undefined) continue;
    store.transaction(() => {
      store.patients.createLocal(p, seen);
      workflow.audit('patient.create-local', p.mrn, { identifiedBy: ['mrn', 'birthDate', 'name'], verified: false, demo: true });
    });
  }
}
