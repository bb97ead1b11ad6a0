import { afterEach, describe, expect, it } from 'vitest';
import type { AdtPatientSource } from '../../../shared/patients/patient-sources.ts';
import { adtMessage, sendWithMedplum, sendWithNodeHl7 } from '../../../test/helpers/adt-senders.ts';
import { bpReading, useTempStore } from '../../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from '../../store/hub-database.ts';
import { AuditLog } from '../../workflow/audit-log.ts';
import { AdtListeners, type AdtMessageEvent } from './adt-listeners.ts';

let store: HubDatabase;
let listeners: AdtListeners | undefined;
const events: AdtMessageEvent[] = [];
const logs: string[] = [];
useTempStore((opened) => {
  store = opened.store;
  events.length = 0;
  logs.length = 0;
});
afterEach(async () => {
  await listeners?.close();
  listeners = undefined;
});

const SOURCE: AdtPatientSource = { id: 'adt', name: 'Hospital ADT', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:0' };

/** Configure the source and start its listener; returns the port it took. */
async function listen(source: AdtPatientSource = SOURCE): Promise<number> {
  store.patientSources.save(source, false, new Date().toISOString());
  const auditLog = new AuditLog(store, 'ws-1', Date.now);
  listeners = new AdtListeners({ store, auditLog, now: Date.now, log: (l) => logs.push(l), onMessage: (e) => events.push(e) });
  await listeners.sync();
  const port = listeners.list().find((l) => l.sourceId === source.id)?.port;
  if (port === undefined) throw new Error(`not listening: ${logs.join('\n')}`);
  return port;
}

const countRows = (table: string): number => store.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
const auditActions = (): string[] => store.db.prepare<[], { action: string }>('SELECT action FROM audit_log ORDER BY seq').all().map((r) => r.action);

/** A reading of `mrn`, pending or already confirmed. */
function readingOf(mrn: string, decided: boolean, n: number): string {
  const { id } = store.readings.ingest(bpReading({ context: { sequence: `adt-${n}` } }), []);
  const at = '2026-12-07T08:00:00.000Z';
  store.reviews.insert({ readingId: id, deviceKey: 'bp:1', deviceLabel: 'BP', patientMrn: mrn, assignedBy: null, assignedAt: at, assignedVia: 'manual', decision: null, decidedBy: null, decidedAt: null, manual: false, replaces: null });
  if (decided) {
    store.operators.insert({ id: 'op-1', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: 'scrypt$not-used-here', createdAt: at });
    expect(store.reviews.decide(id, { decision: 'confirmed', by: 'op-1', at })).toBe(true);
  }
  return id;
}

describe('HL7 ADT over MLLP, sent by third-party clients', () => {
  it('A04 creates the patient and the visit, A08 updates the name without a second patient', async () => {
    const port = await listen();
    const [created] = await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'C1', mrn: 'MRN-7', name: 'DOE^JANE^Q', dob: '19800115', visitNumber: 'V-100', location: 'CLINIC-A^12', admitTime: '202612070905+0100' })]);
    expect(created).toMatchObject({ code: 'AA', controlId: 'C1' });
    expect(store.patients.sourcePatient('MRN-7')).toMatchObject({
      mrn: 'MRN-7',
      name: 'DOE, JANE Q',
      birthDate: '1980-01-15',
      sex: 'female',
      sourceId: 'adt',
      identifiers: [{ value: 'MRN-7', system: 'HOSP' }, { value: '999-11-2222', system: 'SSA' }],
    });
    expect(store.visits.get('adt:V-100')).toMatchObject({ mrn: 'MRN-7', state: 'arrived', visitNumber: 'V-100', location: 'CLINIC-A', room: '12', start: '2026-12-07T08:05:00.000Z' });

    const [updated] = await sendWithNodeHl7(port, [adtMessage({ event: 'A08', controlId: 'C2', mrn: 'MRN-7', name: 'SMITH^JANE', visitNumber: 'V-100' })]);
    expect(updated).toMatchObject({ code: 'AA', controlId: 'C2' });
    expect(store.patients.get('MRN-7')?.name).toBe('SMITH, JANE');
    expect(countRows('patients')).toBe(1);
    expect(store.visits.get('adt:V-100')?.state).toBe('arrived');

    const [discharged] = await sendWithMedplum(port, [adtMessage({ event: 'A03', controlId: 'C3', mrn: 'MRN-7', visitNumber: 'V-100' })]);
    expect(discharged?.code).toBe('AA');
    expect(store.visits.get('adt:V-100')?.state).toBe('finished');
    const [cancelled] = await sendWithMedplum(port, [adtMessage({ event: 'A11', controlId: 'C4', mrn: 'MRN-7', visitNumber: 'V-100' })]);
    expect(cancelled?.code).toBe('AA');
    expect(store.visits.get('adt:V-100')?.state).toBe('cancelled');

    // Audited with MRN, event and control id only: never the name or the birth date.
    const audit = store.db.prepare<[], { subject: string; details: string }>("SELECT subject, details FROM audit_log WHERE action = 'patient.adt' ORDER BY seq").all();
    expect(audit.map((r) => r.subject)).toEqual(['MRN-7', 'MRN-7', 'MRN-7', 'MRN-7']);
    expect(audit.map((r) => JSON.stringify(r))).not.toContainEqual(expect.stringMatching(/JANE|SMITH|1980/));
    expect(events.map((e) => `${e.header?.event} ${e.header?.controlId} ${e.answer.code}`)).toEqual(['A04 C1 AA', 'A08 C2 AA', 'A03 C3 AA', 'A11 C4 AA']);
  });

  it('A40 merges: visits and a pending reading move to the surviving patient, a confirmed one stays, each audited', async () => {
    const port = await listen();
    await sendWithMedplum(port, [
      adtMessage({ event: 'A04', controlId: 'M1', mrn: 'OLD-1', name: 'DOE^JOHN', visitNumber: 'V-1' }),
      adtMessage({ event: 'A04', controlId: 'M2', mrn: 'NEW-1', name: 'DOE^JOHN', visitNumber: 'V-2' }),
    ]);
    const pending = readingOf('OLD-1', false, 1);
    const confirmed = readingOf('OLD-1', true, 2);
    const [merged] = await sendWithNodeHl7(port, [adtMessage({ event: 'A40', controlId: 'M3', mrn: 'NEW-1', name: 'DOE^JOHN', prior: 'OLD-1' })]);
    expect(merged).toMatchObject({ code: 'AA', controlId: 'M3' });
    expect(store.reviews.get(pending)?.patient?.mrn).toBe('NEW-1');
    expect(store.reviews.get(confirmed)?.patient?.mrn).toBe('OLD-1');
    expect(store.reviews.get(confirmed)?.state).toBe('confirmed');
    expect(store.patients.sourcePatient('OLD-1')?.mergedInto).toBe('NEW-1');
    expect(store.visits.ofPatient('NEW-1').map((v) => v.id).sort()).toEqual(['adt:V-1', 'adt:V-2']);
    const moves = store.db.prepare<[], { subject: string; details: string }>("SELECT subject, details FROM audit_log WHERE action = 'reading.merge-move'").all();
    expect(moves).toEqual([{ subject: pending, details: JSON.stringify({ controlId: 'M3', from: 'OLD-1', to: 'NEW-1' }) }]);
    // A prior MRN the hub never saw still resolves to the survivor.
    const [ghost] = await sendWithMedplum(port, [adtMessage({ event: 'A40', controlId: 'M4', mrn: 'NEW-1', name: 'DOE^JOHN', prior: 'GHOST-1' })]);
    expect(ghost?.code).toBe('AA');
    expect(store.patients.sourcePatient('GHOST-1')).toMatchObject({ mergedInto: 'NEW-1', name: 'DOE, JOHN' });
    expect(new AuditLog(store, 'ws-1', Date.now).verify().ok).toBe(true);
  });

  it('a malformed message gets AE with the reason and changes nothing; AR for an unsupported event', async () => {
    const port = await listen();
    const before = { patients: countRows('patients'), visits: countRows('visits'), audit: countRows('audit_log') };
    const acks = await sendWithMedplum(port, [
      adtMessage({ event: 'A04', controlId: 'E1', noPid: true }),
      adtMessage({ event: 'A04', controlId: 'E2', dob: '19801345' }),
      adtMessage({ event: 'A04', controlId: 'E3', mrn: '' }),
      adtMessage({ event: 'A31', controlId: 'E4' }),
      adtMessage({ event: 'R01', controlId: 'E5', messageType: 'ORU' }),
      adtMessage({ event: 'A04', controlId: 'E6', name: '', dob: '' }),
    ]);
    expect(acks.map((a) => [a.code, a.controlId, a.errCode])).toEqual([
      ['AE', 'E1', '100'],
      ['AE', 'E2', '102'],
      ['AE', 'E3', '101'],
      ['AR', 'E4', '201'],
      ['AR', 'E5', '200'],
      ['AE', 'E6', '101'],
    ]);
    expect(acks[0]?.text).toMatch(/no PID segment/);
    expect(acks[1]?.text).toBe("PID-7 (date of birth) is not a date (YYYYMMDD)");
    expect(acks[2]?.text).toMatch(/no patient identifier/);
    expect(acks[3]?.text).toMatch(/event A31 is not supported/);
    expect({ patients: countRows('patients'), visits: countRows('visits'), audit: countRows('audit_log') }).toEqual(before);
  });

  it('a resend of a control id is acknowledged the same way and applied once', async () => {
    const port = await listen();
    const message = adtMessage({ event: 'A04', controlId: 'R1', mrn: 'MRN-R', visitNumber: 'V-R' });
    const first = await sendWithMedplum(port, [message]);
    store.patients.saveFromSource({ mrn: 'MRN-R', identifiers: [{ value: 'MRN-R' }], name: 'CHANGED, BY FHIR', sourceId: 'ehr', verifiedAt: new Date().toISOString() });
    const again = await sendWithNodeHl7(port, [message]);
    expect(again).toEqual(first);
    expect(store.patients.get('MRN-R')?.name).toBe('CHANGED, BY FHIR');
    expect(auditActions().filter((a) => a === 'patient.adt')).toHaveLength(1);
    expect(events.map((e) => e.duplicate)).toEqual([false, true]);
    // The same control id from another sender is another message.
    const [other] = await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'R1', mrn: 'MRN-S', sendingApp: 'LAB' })]);
    expect(other?.code).toBe('AA');
    expect(store.patients.get('MRN-S')).toBeDefined();
  });

  it('takes two senders at once, and refuses (AR) a sender the source does not list', async () => {
    const port = await listen({ ...SOURCE, senders: ['EPIC^HOSP', 'CERNER^HOSP'] });
    const batch = (app: string, n: number): string[] =>
      Array.from({ length: n }, (_, i) => adtMessage({ event: 'A04', controlId: `${app}-${i}`, mrn: `${app}-${i}`, sendingApp: app, visitNumber: `${app}-V${i}` }));
    const [a, b] = await Promise.all([sendWithMedplum(port, batch('EPIC', 10)), sendWithNodeHl7(port, batch('CERNER', 10))]);
    expect([...(a ?? []), ...(b ?? [])].map((x) => x.code)).toEqual(Array(20).fill('AA'));
    expect(countRows('patients')).toBe(20);
    const [refused] = await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'X1', mrn: 'MRN-X', sendingApp: 'ROGUE' })]);
    expect(refused).toMatchObject({ code: 'AR', controlId: 'X1' });
    expect(refused?.text).toMatch(/sender ROGUE\^HOSP is not accepted/);
    expect(store.patients.get('MRN-X')).toBeUndefined();
    // Listing the sender takes effect on the same listener, without a restart.
    store.patientSources.save({ ...SOURCE, senders: ['EPIC^HOSP', 'ROGUE^HOSP'] }, false, new Date().toISOString());
    await listeners?.sync();
    expect(listeners?.list()[0]?.port).toBe(port);
    expect((await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'X2', mrn: 'MRN-X', sendingApp: 'ROGUE' })]))[0]?.code).toBe('AA');
  });

  it('follows the stored sources: a changed address restarts the listener, a disabled source stops it', async () => {
    const port = await listen();
    expect(port).toBeGreaterThan(0);
    store.patientSources.save({ ...SOURCE, enabled: false }, false, new Date().toISOString());
    await listeners?.sync();
    expect(listeners?.list()).toEqual([]);
    await expect(sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'Z1' })])).rejects.toThrow();
    store.patientSources.save({ ...SOURCE, enabled: true }, false, new Date().toISOString());
    await listeners?.sync();
    const again = listeners?.list()[0]?.port ?? 0;
    expect((await sendWithMedplum(again, [adtMessage({ event: 'A04', controlId: 'Z2' })]))[0]?.code).toBe('AA');
  });
});
