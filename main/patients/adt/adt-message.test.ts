import { Hl7Message } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { adtMessage } from '../../../test/helpers/adt-senders.ts';
import { buildAck } from './adt-ack.ts';
import { readAdtMessage } from './adt-message.ts';
import { birthDateOf, instantOf } from './hl7-values.ts';

describe('HL7 dates and times as ADT senders write them', () => {
  it('reads a birth date, and refuses what is not a whole calendar date', () => {
    expect(birthDateOf('19800115')).toBe('1980-01-15');
    expect(birthDateOf('198001150930')).toBe('1980-01-15');
    expect(birthDateOf('19800230')).toBeUndefined();
    expect(birthDateOf('1980')).toBeUndefined();
    expect(birthDateOf('15.01.1980')).toBeUndefined();
  });

  it("keeps the sender's offset, and states the workstation's when there is none", () => {
    expect(instantOf('20261207091500+0100')).toBe('2026-12-07T09:15:00+01:00');
    expect(instantOf('202612070915-0500')).toBe('2026-12-07T09:15:00-05:00');
    expect(instantOf('20261207091500.1234+0000')).toBe('2026-12-07T09:15:00+00:00');
    // Vitest runs in the machine's zone; the offset stated is this machine's for that instant.
    expect(instantOf('20261207091500')).toMatch(/^2026-12-07T09:15:00[+-]\d{2}:\d{2}$/);
    expect(instantOf('20261207256000')).toBeUndefined();
    expect(instantOf('20261207091500+2500')).toBeUndefined();
  });
});

describe('reading an ADT message', () => {
  it('takes the MR identifier as the MRN wherever it is, keeps every identifier, and writes the name as the hub shows it', () => {
    const raw = adtMessage({ event: 'A04', controlId: 'C1', name: 'O\\S\\NEIL^MARY^ANN^JR' }).replace(
      /PID\|1\|\|[^|]*/,
      'PID|1||444^^^SSA&2.16.840.1.113883.4.1&ISO^SS~MRN-9^^^HOSP^MR',
    );
    const m = readAdtMessage(raw);
    expect(m).toMatchObject({
      ok: true,
      event: 'A04',
      header: { sender: 'EPIC^HOSP', controlId: 'C1', event: 'A04', messageType: 'ADT', receivingApplication: 'POCHUB' },
      patient: { mrn: 'MRN-9', identifiers: [{ value: '444', system: 'SSA' }, { value: 'MRN-9', system: 'HOSP' }], name: "O^NEIL, MARY ANN JR", birthDate: '1980-01-15', sex: 'female' },
    });
  });

  it('prefers the legal name among several', () => {
    const raw = adtMessage({ event: 'A08', controlId: 'C2', name: 'Bear^Teddy^^^^^N~Smith^Theodore^^^^^L' });
    expect(readAdtMessage(raw)).toMatchObject({ ok: true, patient: { name: 'Smith, Theodore' } });
  });

  it('takes the visit start from PV1-44, else EVN-2; a bad one is refused naming the field', () => {
    expect(readAdtMessage(adtMessage({ event: 'A01', controlId: 'C3', admitTime: '202612070800+0100', visitNumber: 'V1' }))).toMatchObject({
      visit: { start: '2026-12-07T08:00:00+01:00', visitNumber: 'V1', location: 'WARD1', room: '101' },
    });
    expect(readAdtMessage(adtMessage({ event: 'A01', controlId: 'C4' }))).toMatchObject({ visit: { start: '2026-12-07T09:15:00+01:00' } });
    expect(readAdtMessage(adtMessage({ event: 'A01', controlId: 'C5', admitTime: '2026-12-07' }))).toMatchObject({ ok: false, code: 'AE', error: '102', location: 'PV1^1^44' });
  });

  it('refuses an MR identifier left empty instead of taking another identifier for the MRN', () => {
    expect(readAdtMessage(adtMessage({ event: 'A04', controlId: 'C6', mrn: '' }))).toMatchObject({ ok: false, code: 'AE', error: '101', location: 'PID^1^3' });
  });

  it('reads A40 pairs and refuses a merge without its prior patient or into itself', () => {
    expect(readAdtMessage(adtMessage({ event: 'A40', controlId: 'C7', mrn: 'NEW', prior: 'OLD' }))).toMatchObject({ ok: true, merges: [{ patient: { mrn: 'NEW' }, prior: 'OLD' }] });
    expect(readAdtMessage(adtMessage({ event: 'A40', controlId: 'C8', mrn: 'NEW' }))).toMatchObject({ ok: false, code: 'AE', reason: expect.stringMatching(/no MRG segment/) });
    expect(readAdtMessage(adtMessage({ event: 'A40', controlId: 'C9', mrn: 'SAME', prior: 'SAME' }))).toMatchObject({ ok: false, code: 'AE', location: 'MRG^1^1' });
  });

  it('answers what is not HL7 at all with AE, and an empty control id with AE', () => {
    expect(readAdtMessage('hello')).toMatchObject({ ok: false, code: 'AE', error: '100' });
    expect(readAdtMessage(adtMessage({ event: 'A04', controlId: '' }))).toMatchObject({ ok: false, code: 'AE', location: 'MSH^1^10' });
  });
});

describe('the ACK', () => {
  it('swaps sender and receiver, echoes the control id, and carries the reason in MSA-3 and ERR', () => {
    const m = readAdtMessage(adtMessage({ event: 'A04', controlId: 'C10', dob: '1980' }));
    if (m.ok) throw new Error('expected a refusal');
    const ack = Hl7Message.parse(buildAck(m.header, { code: m.code, text: m.reason, error: m.error, ...(m.location === undefined ? {} : { location: m.location }) }));
    const msh = ack.header;
    expect([msh.getField(3).toString(), msh.getField(5).toString(), msh.getField(6).toString(), msh.getField(9).toString()]).toEqual(['POCHUB', 'EPIC', 'HOSP', 'ACK^A04^ACK']);
    expect(ack.getSegment('MSA')?.toString()).toBe('MSA|AE|C10|PID-7 (date of birth) is not a date (YYYYMMDD)');
    const err = ack.getSegment('ERR');
    expect([err?.getField(2).toString(), err?.getField(3).toString(), err?.getField(4).toString(), err?.getField(8).toString()]).toEqual([
      'PID^1^7',
      '102^Data type error^HL70357',
      'E',
      'PID-7 (date of birth) is not a date (YYYYMMDD)',
    ]);
    expect(buildAck(m.header, { code: 'AA' })).not.toContain('ERR');
  });
});
