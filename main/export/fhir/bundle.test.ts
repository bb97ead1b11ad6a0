import type { Bundle, Device, Observation, Provenance } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { exportItem, PRINTED_STRIP, READINGS } from '../../../test/helpers/export-items.ts';
import { contentIssues } from '../exporter.ts';
import { Hl7TargetSchema } from '../../../shared/export/targets.ts';
import { buildOru } from '../hl7/build-oru.ts';
import { BODY_SITES } from '../../../shared/observation.ts';
import { buildFhirBundle } from './bundle.ts';
import { renderFhir } from './fhir-exporter.ts';
import { meterIdentifier } from './device.ts';
import { memberUuid, tokenQuery, uuidV5 } from './ids.ts';
import { flagText } from './notes.ts';

const opts = { patientIdentifierSystem: 'urn:oid:1.2.36.1' };
const observations = (b: ReturnType<typeof buildFhirBundle>): Observation[] =>
  (b.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' ? [e.resource] : []));

describe('ids', () => {
  it('makes RFC 9562 version-5 UUIDs (the RFC example: DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives member UUIDs deterministically and distinctly', () => {
    const r = '0b9a8f3e-1111-4222-8333-444455556666';
    expect(memberUuid(r, 1, '8867-4')).toBe(memberUuid(r.toUpperCase(), 1, '8867-4'));
    expect(memberUuid(r, 1, '8867-4')).not.toBe(memberUuid(r, 2, '8867-4'));
  });

  it('escapes token search values so delimiters in a serial cannot split the query', () => {
    expect(tokenQuery('identifier', 'urn:ietf:rfc:3986', 'urn:uuid:abc')).toBe('identifier=urn:ietf:rfc:3986|urn:uuid:abc');
    expect(tokenQuery('identifier', 'urn:x', 'A&B,C\\')).toBe('identifier=urn:x|A%26B%5C%2CC%5C%5C');
  });
});

describe('buildFhirBundle', () => {
  it('is a pure function of the item: the same reading gives the same bytes', () => {
    const item = exportItem(READINGS.urineStrip);
    expect(JSON.stringify(buildFhirBundle(item, opts))).toBe(JSON.stringify(buildFhirBundle({ ...item, outboxId: 99, controlId: 'OTHER' }, opts)));
  });

  it('uses the reading UUID for a single observation, and placeholders that differ from identifiers', () => {
    const item = exportItem(READINGS.temperature);
    const bundle = buildFhirBundle(item, opts);
    const [obs] = observations(bundle);
    expect(obs?.identifier).toEqual([
      { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${item.readingId}` },
      { system: 'urn:pochub:reading', value: item.readingId },
    ]);
    const entry = bundle.entry?.find((e) => e.resource === obs);
    expect(entry?.fullUrl).toMatch(/^urn:uuid:/);
    // A server rewrites every string equal to a fullUrl; the identifier must survive that.
    expect(entry?.fullUrl).not.toBe(obs?.identifier?.[0]?.value);
    expect(entry?.request).toEqual({ method: 'POST', url: 'Observation', ifNoneExist: `identifier=urn:ietf:rfc:3986|urn:uuid:${item.readingId}` });
    expect(obs?.subject).toEqual({ identifier: { system: opts.patientIdentifierSystem, value: 'MRN-20418' } });
    expect(obs).toMatchObject({ status: 'final', effectiveDateTime: item.reading.effectiveTime, issued: item.confirmedAt });
    expect(obs?.referenceRange?.[0]).toMatchObject({ low: { value: 36, code: 'Cel' }, high: { value: 37.5, code: 'Cel' } });
  });

  it('carries a body site the device named as bodySite (SNOMED CT), and none where it named none', () => {
    const withSite = { ...READINGS.temperature, observations: READINGS.temperature.observations.map((o) => ({ ...o, bodySite: BODY_SITES.axillary })) };
    const [obs] = observations(buildFhirBundle(exportItem(withSite), opts));
    expect(obs?.bodySite).toEqual({ coding: [{ system: 'http://snomed.info/sct', code: '422543003', display: 'Structure of axillary fossa' }], text: 'Structure of axillary fossa' });
    expect(observations(buildFhirBundle(exportItem(READINGS.temperature), opts))[0]?.bodySite).toBeUndefined();
  });

  it('gives every observation of a multi-observation reading its own identifier', () => {
    const bundle = buildFhirBundle(exportItem(READINGS.weightHeightBmi), opts);
    const ids = observations(bundle).map((o) => o.identifier?.[0]?.value);
    expect(new Set(ids).size).toBe(3);
  });

  it('adds meter and hub Devices as conditional creates, and a Provenance conditional on its first target', () => {
    const item = exportItem(READINGS.glucose);
    const bundle = buildFhirBundle(item, opts);
    const devices = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Device');
    expect(devices.map((d) => d.request?.ifNoneExist)).toEqual([
      'identifier=urn:pochub:device-serial:lifescan:onetouch-ultra-2|CGG0123AB',
      'identifier=urn:pochub:hub|ROOM-3',
    ]);
    const prov = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance');
    const obsUrl = bundle.entry?.find((e) => e.resource?.resourceType === 'Observation')?.fullUrl;
    expect(prov?.request?.ifNoneExist).toBe(`target=${obsUrl}`);
    expect((prov?.resource as Provenance).agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['performer', 'assembler', 'verifier']);
    expect((prov?.resource as Provenance).agent[2]?.who).toEqual({ identifier: { system: 'urn:pochub:operator', value: 'op-1' }, display: 'Dana Whitfield' });
  });

  it('has no meter Device or performer for a value entered by hand, and says so in a note', () => {
    const bundle = buildFhirBundle(exportItem(READINGS.temperature, { manual: true }), opts);
    const devices = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Device');
    expect(devices).toHaveLength(1);
    const [obs] = observations(bundle);
    expect(obs?.device).toBeUndefined();
    expect(obs?.note?.[0]?.text).toMatch(/Entered by hand/);
    const prov = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance')?.resource as Provenance;
    expect(prov.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['assembler', 'verifier']);
  });

  it('turns flags into notes', () => {
    const bundle = buildFhirBundle(exportItem({ ...READINGS.glucose, flags: ['meal:before', 'clock-skew', 'comment:mild-exercise'], clock: { source: 'device-corrected', skewSeconds: 125 } }), opts);
    expect(observations(bundle)[0]?.note?.map((n) => n.text)).toEqual([
      'Marked "before meal" on the device.',
      'The device clock was behind the workstation by 2 min.',
      'Device comment: mild exercise.',
    ]);
    expect(flagText('sensor-error')).toBe('Device flag: sensor error.');
  });

  it('identifies a meter without a serial by manufacturer and model', () => {
    expect(meterIdentifier({ manufacturer: 'Siemens', model: 'Clinitek Status / Status+' })).toEqual({ system: 'urn:pochub:device-model', value: 'siemens:clinitek-status-status' });
    expect(meterIdentifier({ manufacturer: 'Seca', model: '284', serial: 'A|B' }).value).toBe('A%7CB');
  });

  it('refuses a reading with nothing to export or a reading id that is not a UUID', () => {
    const errorOf = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(errorOf(() => buildFhirBundle(exportItem({ ...READINGS.glucose, observations: [] }), opts))).toMatchObject({ code: 'EXPORT_CONTENT' });
    const notUuid = errorOf(() => buildFhirBundle(exportItem(READINGS.glucose, { readingId: 'r-1' }), opts));
    expect(notUuid).toMatchObject({ code: 'EXPORT_CONTENT' });
    expect(contentIssues(notUuid)).toEqual(['r-1']);
  });
});

describe('precision and identity', () => {
  it('writes decimals as the device printed them, in a body that is still JSON and still validates', () => {
    const { body } = renderFhir(exportItem(PRINTED_STRIP), opts.patientIdentifierSystem);
    expect(body).toContain('"value":1.020,');
    expect(body).toContain('"value":6.0,');
    expect(body).toContain('"value":0.2,');
    const parsed = JSON.parse(body) as Bundle;
    const values = (parsed.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' && e.resource.valueQuantity ? [e.resource.valueQuantity.value] : []));
    expect(values).toEqual([1.02, 6, 0.2]);
  });

  it('names the reading on every Observation and on the Provenance, with the text HL7 OBR-3 carries', () => {
    for (const r of [PRINTED_STRIP, READINGS.spo2AndPulse, READINGS.weightHeightBmi]) {
      // An upper-case id (as another system might hand it over) is written in one canonical form.
      const item = exportItem(r, { readingId: '0B9A8F3E-1111-4222-8333-444455556666' });
      const bundle = buildFhirBundle(item, opts);
      const obr3 = buildOru(item, Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: '127.0.0.1', port: 2575 }), new Date('2026-11-27T09:20:00Z')).split('\r').find((l) => l.startsWith('OBR|'))?.split('|')[3]?.split('^')[0];
      expect(obr3).toBe('0b9a8f3e-1111-4222-8333-444455556666');
      for (const obs of observations(bundle)) expect(obs.identifier).toContainEqual({ system: 'urn:pochub:reading', value: obr3 });
      const prov = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance')?.resource as Provenance;
      expect(prov.entity).toEqual([{ role: 'source', what: { identifier: { system: 'urn:pochub:reading', value: obr3 }, display: `POC Hub reading ${obr3 ?? ''}` } }]);
    }
  });

  it('describes the meter by the model and serial it reported', () => {
    const reported = { ...READINGS.glucose, device: { manufacturer: 'Ascensia', model: 'Contour Next One', serial: 'SN-7800-41', firmware: '1.2' } };
    const bundle = buildFhirBundle(exportItem(reported, { deviceLabel: 'Ascensia Contour (USB)' }), opts);
    const meter = bundle.entry?.find((e) => e.resource?.resourceType === 'Device')?.resource as Device;
    expect(meter).toMatchObject({
      manufacturer: 'Ascensia',
      deviceName: [{ name: 'Contour Next One', type: 'model-name' }],
      modelNumber: 'Contour Next One',
      serialNumber: 'SN-7800-41',
      identifier: [{ system: 'urn:pochub:device-serial:ascensia:contour-next-one', value: 'SN-7800-41' }],
    });
  });
});
