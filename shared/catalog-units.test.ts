import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.ts';
import { UNITS } from './units.ts';

// ucum-lhc is CommonJS without types: imported by a name typed as string (so TypeScript asks for
// no declarations), its module.exports arrives as the default export. No Node API in shared/.
const UCUM_PACKAGE: string = '@lhncbc/ucum-lhc';
const ucum = ((await import(UCUM_PACKAGE)) as {
  default: { UcumLhcUtils: { getInstance(): { validateUnitString(unit: string, suggest?: boolean): { status: string } } } };
}).default;
const utils = ucum.UcumLhcUtils.getInstance();

describe('the catalog of units and codes', () => {
  it.each(Object.keys(UNITS))('UCUM code %s is valid according to ucum-lhc', (code) => {
    expect(utils.validateUnitString(code, true).status).toBe('valid');
  });

  it('rejects the look-alikes the catalog must never contain', () => {
    for (const wrong of ['mmHg', 'bpm', 'degC', 'lbs']) expect(utils.validateUnitString(wrong, true).status).not.toBe('valid');
  });

  it('uses only catalog units on every quantitative code, and none on ordinal or nominal codes', () => {
    for (const [key, entry] of Object.entries(CATALOG)) {
      for (const unit of entry.units) expect(Object.keys(UNITS), `${key} unit ${unit}`).toContain(unit);
      if (entry.scale !== 'Qn') expect(entry.units, key).toEqual([]);
    }
  });

  it('carries the vital-signs codes of the R4 profile, and SpO2 with 2708-6 as well', () => {
    expect(CATALOG.bpSystolic.loinc).toBe('8480-6');
    expect(CATALOG.bpDiastolic.loinc).toBe('8462-4');
    expect(CATALOG.heartRate.loinc).toBe('8867-4');
    expect(CATALOG.bodyTemperature.units).toEqual(['Cel', '[degF]']);
    expect(CATALOG.spo2.alsoLoinc).toContain('2708-6');
    expect(CATALOG.pulseRateOximeter.mdc?.code).toBe(149530);
  });

  it('picks glucose codes by unit: mg/dL → 41653-7, mmol/L → 14743-9', () => {
    expect(CATALOG.glucoseMassMeter).toMatchObject({ loinc: '41653-7', units: ['mg/dL'] });
    expect(CATALOG.glucoseMolarMeter).toMatchObject({ loinc: '14743-9', units: ['mmol/L'] });
  });
});
