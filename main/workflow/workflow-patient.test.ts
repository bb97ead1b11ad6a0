import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';
import { thrown } from '../../test/helpers/thrown.ts';

const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose
const BP = { key: 'acme-bp100:SN123', label: 'Acme BP-100' };

let store: HubDatabase;
let wf: HubWorkflow;
const now = Date.parse('2025-03-03T09:00:00Z');
useTempStore((opened) => {
  store = opened.store;
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  putPatientsOnFile(
    store,
    { mrn: '12345', name: 'Jane Doe', birthDate: '1980-01-15' },
    { mrn: '111', name: 'Jo Park', birthDate: '1970-02-02' },
    { mrn: '222', name: 'Sam Lee', birthDate: '1990-03-03' },
  );
});

const signIn = (): void => void wf.signIn({ badgeId: 'B-1', pin: '1234' });
let sequence = 0;
function arrive(overrides: Partial<Reading> = {}): string {
  // Measured now, after the patient was selected (a bedside result measured before is not theirs).
  const at = new Date(now).toISOString();
  const reading = bpReading({ context: { sequence: String((sequence += 1)) }, effectiveTime: at, receivedAt: at, ...overrides });
  const { id } = store.readings.ingest(reading, []);
  wf.readingArrived(id, reading, BP);
  return id;
}
const patientOf = (id: string): string | undefined => wf.listReview().find((i) => i.id === id)?.patient?.mrn;

describe('signed-in operator', () => {
  // safety: SR-AUTH-1
  it('is required for everything but reading the context and signing in', () => {
    const calls: [string, () => unknown][] = [
      ['selectPatient', () => wf.selectPatient({ mrn: '1', birthDate: '1980-01-15' })],
      ['listReview', () => wf.listReview()],
      ['getHistory', () => wf.getHistory({ mrn: '1' })],
      ['getReview', () => wf.getReview('x')],
      ['listQc', () => wf.listQc()],
      ['listAudit', () => wf.listAudit({})],
      ['confirmReading', () => wf.confirmReading({ readingId: 'x' })],
      ['rejectReading', () => wf.rejectReading({ readingId: 'x', reason: 'duplicate' })],
      ['enterManual', () => wf.enterManual({ code: 'bodyTemperature', value: 37, unit: 'Cel' })],
      ['verifyAudit', () => wf.verifyAudit()],
      ['signOut', () => wf.signOut()],
    ];
    for (const [name, call] of calls) expect([name, thrown(call).code]).toEqual([name, 'AUTH_REQUIRED']);
    expect(wf.currentOperator()).toBeUndefined();
    signIn();
    expect(wf.currentOperator()).toEqual({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant' });
  });
});

describe('patient selection', () => {
  // safety: SR-ID-1
  it('takes MRN and date of birth, or MRN and name, of a patient on file', () => {
    signIn();
    const jane = { mrn: '12345', name: 'Jane Doe', birthDate: '1980-01-15', verified: false };
    expect(wf.selectPatient({ mrn: '12345', birthDate: '1980-01-15' })).toEqual(jane);
    expect(wf.selectPatient({ mrn: '111', name: 'Jo Park' })).toEqual({ mrn: '111', name: 'Jo Park', birthDate: '1970-02-02', verified: false });
    expect(wf.currentPatient()?.mrn).toBe('111');
    const e = thrown(() => wf.selectPatient({ mrn: '12345' }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(/second identifier/);
  });

  // safety: SR-ID-1
  it('refuses an MRN on file with a different date of birth or name, naming what differs', () => {
    signIn();
    const dob = thrown(() => wf.selectPatient({ mrn: '12345', birthDate: '1980-05-01' }));
    expect(dob.code).toBe('CONFLICT');
    expect(dob.message).toBe('MRN 12345 is on file born 1980-01-15, not 1980-05-01: check the wristband.');
    const name = thrown(() => wf.selectPatient({ mrn: '12345', name: 'John Doe' }));
    expect(name.message).toBe('MRN 12345 is on file named Jane Doe, not John Doe: check the wristband.');
    expect(name.details).toEqual({ mrn: '12345', differs: ['name'] });
    // Case and spacing are how a name is typed, not who it is.
    expect(wf.selectPatient({ mrn: '12345', name: '  jane   DOE ' })).toMatchObject({ mrn: '12345', name: 'Jane Doe', birthDate: '1980-01-15' });
  });

  // safety: SR-SWITCH-1
  it('asks what to do with the previous patient’s pending readings, and keeps them with that patient', () => {
    signIn();
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
    const a = arrive();
    const b = arrive();
    const e = thrown(() => wf.selectPatient({ mrn: '222', birthDate: '1990-03-03' }));
    expect(e.code).toBe('PENDING_DECISION_REQUIRED');
    expect(e.message).toMatch(/2 readings of MRN 111 \(Jo Park, born 1970-02-02\) are still pending/);
    expect(e.details).toMatchObject({ count: 2, previous: { mrn: '111', birthDate: '1970-02-02' } });
    expect(wf.currentPatient()?.mrn).toBe('111'); // nothing changed

    wf.selectPatient({ mrn: '222', birthDate: '1990-03-03', pending: 'keep-with-previous' });
    expect(wf.currentPatient()?.mrn).toBe('222');
    expect([patientOf(a), patientOf(b)]).toEqual(['111', '111']);
    expect(wf.listReview().map((i) => i.state)).toEqual(['pending', 'pending']);
    // They cannot be confirmed for the new patient.
    expect(thrown(() => wf.confirmReading({ readingId: a })).code).toBe('CONFLICT');
  });

  // safety: SR-SWITCH-1
  it('returns the previous patient’s pending readings to unassigned when asked', () => {
    signIn();
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
    const a = arrive();
    const changed: string[] = [];
    wf.onReviewChange((item) => changed.push(`${item.id}:${item.patient?.mrn ?? 'unassigned'}`));
    wf.selectPatient({ mrn: '222', birthDate: '1990-03-03', pending: 'unassign' });
    expect(patientOf(a)).toBeUndefined();
    expect(changed).toEqual([`${a}:unassigned`]);
    // Back to 111: nothing of 111 is pending any more, so no question.
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
  });

  it('asks the same when the patient is cleared', () => {
    signIn();
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
    const a = arrive();
    expect(thrown(() => wf.clearPatient({})).code).toBe('PENDING_DECISION_REQUIRED');
    expect(wf.currentPatient()?.mrn).toBe('111');
    wf.clearPatient({ pending: 'unassign' });
    expect(wf.currentPatient()).toBeUndefined();
    expect(patientOf(a)).toBeUndefined();
  });

  it('does not ask when the same patient is selected again', () => {
    signIn();
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
    const a = arrive();
    wf.selectPatient({ mrn: '111', name: 'Jo Park' });
    expect(patientOf(a)).toBe('111');
  });

  it('ends with the operator: signing out clears the patient, pending readings stay with it', () => {
    signIn();
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02' });
    const a = arrive();
    let contextChanges = 0;
    wf.onContextChange(() => (contextChanges += 1));
    wf.signOut();
    expect([wf.currentOperator(), wf.currentPatient()]).toEqual([undefined, undefined]);
    expect(contextChanges).toBe(1);
    signIn();
    expect(wf.currentPatient()).toBeUndefined();
    expect(patientOf(a)).toBe('111');
  });
});
