import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { Hl7TargetSchema, type Hl7Profile } from '../../../shared/export/targets.ts';
import { observe, quantity, unmapped } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { exportItem, PRINTED_STRIP, READINGS } from '../../../test/helpers/export-items.ts';
import { contentIssues } from '../exporter.ts';
import { buildOru } from './build-oru.ts';
import { createHl7Exporter } from './hl7-exporter.ts';

const NOW = new Date('2026-11-27T09:16:31Z');
const target = (profile: Hl7Profile) => Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: '127.0.0.1', port: 2575, profile });
const f = (seg: Hl7Segment | undefined, n: number): string => seg?.getField(n)?.toString() ?? '';

/** A spot-check monitor (docs/export.md §6): NIBP, SpO2, temperature and respiratory rate, EUI-64 serial. */
const spotCheck: Reading = {
  ...READINGS.bloodPressure,
  device: { manufacturer: 'Example', model: 'Spot monitor', serial: '0A1B2C3D4E5F6071' },
  observations: [
    { ...observe('bpPanel', { kind: 'text', text: 'panel' }), value: undefined, components: [observe('bpSystolic', quantity(128, 'mm[Hg]')), observe('bpDiastolic', quantity(84, 'mm[Hg]')), observe('bpMean', quantity(99, 'mm[Hg]'))] },
    observe('pulseRateNibp', quantity(72, '/min')),
    observe('spo2', quantity(97, '%')),
    observe('pulseRateOximeter', quantity(73, '/min')),
    observe('bodyTemperature', quantity(38.4, 'Cel'), { interpretation: 'H', referenceRange: { low: 36, high: 37.5 } }),
    observe('respiratoryRate', quantity(18, '/min')),
  ],
};

describe('PCD-01 layout (docs/export.md §6)', () => {
  const msg = Hl7Message.parse(buildOru(exportItem(spotCheck), target('pcd-01'), NOW));
  const msh = msg.getSegment('MSH');
  const obx = msg.getAllSegments('OBX');

  it('has the v2.6 header with the IHE PCD-01 profile, AL/NE acks and UTF-8', () => {
    expect(f(msh, 9)).toBe('ORU^R01^ORU_R01');
    expect(f(msh, 12)).toBe('2.6');
    expect([f(msh, 15), f(msh, 16), f(msh, 18)]).toEqual(['AL', 'NE', 'UNICODE UTF-8']);
    expect(f(msh, 21)).toBe('IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO');
    expect(f(msg.getSegment('OBR'), 4)).toBe('182777000^monitoring of patient^SCT');
  });

  it('starts with a device row (status X, no value) identified by its EUI-64', () => {
    expect([f(obx[0], 2), f(obx[0], 3), f(obx[0], 4), f(obx[0], 5), f(obx[0], 11)]).toEqual(['', '69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC', '1.0.0.0', '', 'X']);
    expect(f(obx[0], 18)).toBe('0A1B2C3D4E5F6071^^0A1B2C3D4E5F6071^EUI-64');
  });

  it('names metrics in MDC with LOINC as the alternate, MDC units, and dotted containment', () => {
    const rows = obx.slice(1).map((s) => [s.getComponent(3, 1), s.getComponent(3, 2), s.getComponent(3, 4), f(s, 4), f(s, 5), s.getComponent(6, 1), s.getComponent(6, 4)]);
    expect(rows).toEqual([
      ['150021', 'MDC_PRESS_BLD_NONINV_SYS', '8480-6', '1.1.1.1', '128', '266016', 'mm[Hg]'],
      ['150022', 'MDC_PRESS_BLD_NONINV_DIA', '8462-4', '1.1.1.2', '84', '266016', 'mm[Hg]'],
      ['150023', 'MDC_PRESS_BLD_NONINV_MEAN', '8478-0', '1.1.1.3', '99', '266016', 'mm[Hg]'],
      ['149546', 'MDC_PULS_RATE_NON_INV', '8867-4', '1.2.1.1', '72', '264864', '/min'],
      ['150456', 'MDC_PULS_OXIM_SAT_O2', '59408-5', '1.3.1.1', '97', '262688', '%'],
      ['149530', 'MDC_PULS_OXIM_PULS_RATE', '8867-4', '1.4.1.1', '73', '264864', '/min'],
      ['150364', 'MDC_TEMP_BODY', '8310-5', '1.5.1.1', '38.4', '268192', 'Cel'],
      ['151562', 'MDC_RESP_RATE', '9279-1', '1.6.1.1', '18', '264928', '/min'],
    ]);
    const temp = obx[7];
    expect([f(temp, 7), f(temp, 8), f(temp, 11), f(temp, 14)]).toEqual(['36-37.5', 'H', 'F', '20261127091500+0000']);
    expect(new Set(obx.map((s) => f(s, 4))).size).toBe(obx.length);
  });
});

describe('generic ORU^R01 v2.5.1', () => {
  it('is byte-identical for the same item and render time (the outbox resends what it stored)', () => {
    const item = exportItem(READINGS.glucose);
    expect(buildOru(item, target('oru-r01-2.5.1'), NOW)).toBe(buildOru(item, target('oru-r01-2.5.1'), NOW));
  });

  it('fills MSH, PID and OBR from the target and the item', () => {
    const item = exportItem(READINGS.bloodPressure);
    const msg = Hl7Message.parse(buildOru(item, target('oru-r01-2.5.1'), NOW));
    const msh = msg.getSegment('MSH');
    expect([f(msh, 3), f(msh, 4), f(msh, 5), f(msh, 6), f(msh, 7), f(msh, 10), f(msh, 11), f(msh, 12)]).toEqual(['POCHUB', 'CLINIC', 'EHR', 'HOSP', '20261127091631+0000', item.controlId, 'P', '2.5.1']);
    expect([f(msh, 15), f(msh, 16)]).toEqual(['', '']);
    const pid = msg.getSegment('PID');
    expect([f(pid, 3), f(pid, 5), f(pid, 7)]).toEqual(['MRN-20418^^^HOSP^MR', "Ruiz^Ana María O'Neil", '19610423']);
    const obr = msg.getSegment('OBR');
    expect([obr?.getComponent(3, 1), f(obr, 4), f(obr, 7)]).toEqual([item.readingId, '85354-9^Blood pressure panel with all children optional^LN', '20261127091500+0000']);
    expect(msg.getAllSegments('OBX').map((s) => f(s, 4))).toEqual(['1.1', '1.2', '1.3', '2']);
    expect(f(msg.getAllSegments('OBX')[0], 16)).toBe('op-1^Dana Whitfield');
  });

  it('names the panel in OBR-4: the urine strip panel, else the one observation', () => {
    const obr4 = (r: Reading): string => f(Hl7Message.parse(buildOru(exportItem(r), target('oru-r01-2.5.1'), NOW)).getSegment('OBR'), 4).split('^')[0] ?? '';
    expect(obr4(READINGS.urineStrip)).toBe('50556-0');
    expect(obr4(READINGS.glucose)).toBe('41653-7');
    expect(obr4(READINGS.weightHeightBmi)).toBe('85353-1');
  });

  it('keeps an unmapped result as text under the device label, and notes flags and manual entry', () => {
    const item = exportItem(READINGS.glucose, { manual: true });
    const glucose = Hl7Message.parse(buildOru(item, target('oru-r01-2.5.1'), NOW));
    const notes = glucose.getAllSegments('NTE').map((s) => f(s, 3));
    expect(notes).toContain('Entered by hand: no device performed this measurement');
    expect(notes).toContain('Flag: before-meal');
    const spo2 = Hl7Message.parse(buildOru(exportItem(READINGS.spo2AndPulse), target('oru-r01-2.5.1'), NOW));
    const pi = spo2.getAllSegments('OBX')[2];
    expect([f(pi, 2), f(pi, 3), f(pi, 5)]).toEqual(['ST', 'PI^PI^L', '05.09%']);
  });

  it('sends an unmapped result the driver placed under a known analyte (urobilinogen in µmol/L) under the device label, not the LOINC', () => {
    const r: Reading = { ...READINGS.urineStrip, observations: [unmapped('UBG', '3.2 umol/L', 'urineUrobilinogenMass')] };
    for (const profile of ['oru-r01-2.5.1', 'pcd-01'] as const) {
      const obx = Hl7Message.parse(buildOru(exportItem(r), target(profile), NOW)).getAllSegments('OBX').at(-1);
      expect([f(obx, 2), f(obx, 3), f(obx, 5)], profile).toEqual(['ST', 'UBG^UBG^L', '3.2 umol/L']);
    }
  });

  it('escapes line breaks inside values so a value cannot end its segment', () => {
    const r: Reading = { ...READINGS.urineStrip, observations: [observe('urineColor', { kind: 'text', text: 'Yellow\rOBX|9|ST|evil' })] };
    const text = buildOru(exportItem(r), target('oru-r01-2.5.1'), NOW);
    const msg = Hl7Message.parse(text);
    expect(msg.getAllSegments('OBX')).toHaveLength(1);
    expect(f(msg.getSegment('OBX'), 5)).toBe('Yellow\\X0D\\OBX\\F\\9\\F\\ST\\F\\evil');
  });
});

describe('content gate', () => {
  const render = (r: Reading, over = {}, profile: Hl7Profile = 'oru-r01-2.5.1') => createHl7Exporter(target(profile), {}).render(exportItem(r, over));
  const issuesOf = async (p: Promise<unknown>): Promise<readonly string[]> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'EXPORT_CONTENT' });
    return contentIssues(err);
  };

  it('rejects a code that is not in the catalog', async () => {
    const r: Reading = { ...READINGS.glucose, observations: [{ code: '99999-9', display: 'Made up', value: quantity(5, 'mg/dL') }] };
    expect(await issuesOf(render(r))).toEqual(expect.arrayContaining([expect.stringContaining('LOINC 99999-9 is not in the catalog')]));
  });

  it('rejects a unit that does not belong to the code, in both profiles', async () => {
    const r: Reading = { ...READINGS.bloodPressure, observations: [{ code: '8480-6', display: 'Systolic blood pressure', mdc: 150021, value: quantity(128, 'kg') }] };
    for (const profile of ['oru-r01-2.5.1', 'pcd-01'] as const) {
      expect(await issuesOf(render(r, {}, profile))).toEqual(expect.arrayContaining([expect.stringContaining('unit kg is not allowed for LOINC 8480-6')]));
    }
  });

  it('rejects a number under an ordinal code, a missing MRN and a bad control id', async () => {
    const r: Reading = { ...READINGS.urineStrip, observations: [{ code: '25428-4', display: 'Glucose [Presence] in Urine by Test strip', value: quantity(5, 'mg/dL') }] };
    const issues = await issuesOf(render(r, { patient: { mrn: ' ' }, controlId: 'lower-case' }));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('a number under a Ord code'),
        expect.stringContaining('PID-3'),
        expect.stringContaining('MSH-10 control id "lower-case"'),
      ]),
    );
  });

  it('rejects an MDC code that does not belong to the LOINC', async () => {
    const r: Reading = { ...READINGS.spo2AndPulse, observations: [{ code: '59408-5', display: 'SpO2', mdc: 150457, value: quantity(97, '%') }] };
    expect(await issuesOf(render(r, {}, 'pcd-01'))).toEqual(expect.arrayContaining([expect.stringContaining('MDC 150457')]));
  });
});

describe('printed precision', () => {
  it('writes NM values with the decimals the device printed (SG 1.020, pH 6.0), in both profiles', () => {
    for (const profile of ['oru-r01-2.5.1', 'pcd-01'] as const) {
      const text = buildOru(exportItem(PRINTED_STRIP), target(profile), NOW);
      const nm = text.split('\r').filter((l) => l.startsWith('OBX|') && l.split('|')[2] === 'NM').map((l) => l.split('|')[5]);
      expect(nm, profile).toEqual(['1.020', '6.0', '0.2']);
    }
  });

  it('writes a HI/LO bound with its printed decimals too (SN)', () => {
    const hi = { ...READINGS.glucose, observations: [observe('glucoseMolarMeter', quantity(33.3, 'mmol/L', '>', 1))] };
    const lo = { ...READINGS.glucose, observations: [observe('glucoseMolarMeter', quantity(1, 'mmol/L', '<', 1))] };
    expect(buildOru(exportItem(hi), target('oru-r01-2.5.1'), NOW)).toMatch(/\|SN\|14743-9\^[^|]*\|[^|]*\|>\^33\.3\|/);
    expect(buildOru(exportItem(lo), target('oru-r01-2.5.1'), NOW)).toMatch(/\|<\^1\.0\|/);
  });
});
