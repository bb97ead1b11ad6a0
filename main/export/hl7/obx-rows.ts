import { CATALOG, entriesForLoinc } from '../../../shared/catalog.ts';
import { ORDINAL_SNOMED } from '../../../shared/export/ordinal-codes.ts';
import type { BodySite, Observation, ObservationValue } from '../../../shared/observation.ts';
import type { Hl7Profile } from '../../../shared/export/targets.ts';
import { mdcUnitFor } from './mdc-units.ts';
import { formatNumber, type Component, type Field } from './segment.ts';

/**
 * One observation as the fields of its OBX row, before the row-level fields every OBX shares
 * (status, times, observer, device) are added. Kept apart from the segment text so the two
 * profiles differ only in how codes, units and sub-ids are written.
 */
export interface ObxRow {
  readonly valueType: 'NM' | 'SN' | 'CWE' | 'ST';
  /** OBX-3 */
  readonly identifier: readonly Component[];
  /** OBX-4 */
  readonly subId: string;
  /** OBX-5 */
  readonly value: Field;
  /** OBX-6 */
  readonly units?: readonly Component[];
  /** OBX-7 */
  readonly range?: string;
  /** OBX-8 (table 0078 uses the same letters as the reading's interpretation) */
  readonly interpretation?: string;
  /** OBX-20 observation site (CWE), when the device named where on the body it measured */
  readonly site?: readonly Component[];
}

/** The catalog's MDC reference id for `mdc` under `loinc`, when the catalog pairs them. */
function mdcRefId(loinc: string, mdc: number): string | undefined {
  return entriesForLoinc(loinc).find((e) => e.mdc?.code === mdc)?.mdc?.refId;
}

function displayFor(obs: Observation): string {
  if (obs.display !== undefined) return obs.display;
  return obs.code === undefined ? '' : (entriesForLoinc(obs.code)[0]?.display ?? '');
}

function identifier(obs: Observation, profile: Hl7Profile): readonly Component[] {
  const value = obs.value;
  if (value?.kind === 'unmapped') {
    // Unmapped results are never dropped: the device's own label goes out as a local code. Also
    // when the driver knew the analyte (urobilinogen printed in µmol/L keeps LOINC 20405-7 in the
    // model): text under that quantitative LOINC would be a wrong statement to a receiver.
    return [value.label, value.label, 'L'];
  }
  if (obs.code === undefined) return ['', '', 'L'];
  const loinc = [obs.code, displayFor(obs), 'LN'] as const;
  if (profile === 'pcd-01' && obs.mdc !== undefined) {
    // PCD-01 names the metric in MDC and carries LOINC as the alternate triplet of the same CWE.
    return [String(obs.mdc), mdcRefId(obs.code, obs.mdc) ?? '', 'MDC', ...loinc];
  }
  return loinc;
}

function units(obs: Observation, ucum: string, profile: Hl7Profile): readonly Component[] {
  const ucumTriplet = [ucum, ucum, 'UCUM'] as const;
  const mdc = profile === 'pcd-01' ? mdcUnitFor(ucum, obs.mdc) : undefined;
  return mdc === undefined ? ucumTriplet : [String(mdc.code), mdc.refId, 'MDC', ...ucumTriplet];
}

function range(obs: Observation): string | undefined {
  const r = obs.referenceRange;
  if (r === undefined) return undefined;
  if (r.low !== undefined && r.high !== undefined) return `${formatNumber(r.low)}-${formatNumber(r.high)}`;
  if (r.low !== undefined) return `>${formatNumber(r.low)}`;
  if (r.high !== undefined) return `<${formatNumber(r.high)}`;
  return r.text;
}

function valueFields(obs: Observation, value: ObservationValue, profile: Hl7Profile): Pick<ObxRow, 'valueType' | 'value' | 'units'> {
  switch (value.kind) {
    case 'quantity': {
      const u = units(obs, value.unit, profile);
      // A meter's "HI"/"LO" is a bound, not a value: SN keeps the comparator apart (`>^600`).
      if (value.comparator !== undefined) return { valueType: 'SN', value: [value.comparator, formatNumber(value.value, value.decimals)], units: u };
      return { valueType: 'NM', value: formatNumber(value.value, value.decimals), units: u };
    }
    case 'ordinal': {
      const sct = ORDINAL_SNOMED[value.code];
      // CWE-9 (original text) keeps what the strip reader printed next to the code.
      return { valueType: 'CWE', value: [sct.code, sct.display, 'SCT', '', '', '', '', '', value.text] };
    }
    case 'text':
    case 'unmapped':
      return { valueType: 'ST', value: value.text };
  }
}

const SNOMED = 'http://snomed.info/sct';

/**
 * OBX-20 for a body site: `code^text^SCT` (HL7 table 0396 names SNOMED CT `SCT`). A site coded
 * in another system goes out as original text only (CWE-9): a code under a system name we
 * cannot vouch for would be read as something it is not.
 */
export function siteField(site: BodySite): readonly Component[] {
  return site.system === SNOMED ? [site.code, site.display, 'SCT'] : ['', '', '', '', '', '', '', '', site.display];
}

function row(obs: Observation, value: ObservationValue, subId: string, profile: Hl7Profile, site: BodySite | undefined): ObxRow {
  const r = range(obs);
  return {
    ...valueFields(obs, value, profile),
    identifier: identifier(obs, profile),
    subId,
    ...(r === undefined ? {} : { range: r }),
    ...(obs.interpretation === undefined ? {} : { interpretation: obs.interpretation }),
    ...(site === undefined ? {} : { site: siteField(site) }),
  };
}

/**
 * The rows for a reading's observations in order. A panel (blood pressure) is named by OBR-4
 * and contributes its components; each top-level observation gets its own group number, so
 * OBX-4 tells repeated codes apart: `g` / `g.n` in the generic profile, and the PCD-01
 * containment path `1.g.1.n` (MDS 1, VMD g, channel 1, metric n).
 */
export function obxRows(observations: readonly Observation[], profile: Hl7Profile): ObxRow[] {
  const rows: ObxRow[] = [];
  observations.forEach((obs, index) => {
    const group = index + 1;
    const members: Array<{ obs: Observation; value: ObservationValue }> = [];
    if (obs.value !== undefined) members.push({ obs, value: obs.value });
    for (const c of obs.components ?? []) if (c.value !== undefined) members.push({ obs: c, value: c.value });
    members.forEach((m, i) => {
      const subId = profile === 'pcd-01' ? `1.${group}.1.${i + 1}` : obs.components?.length ? `${group}.${i + 1}` : String(group);
      // A panel's site (where the cuff was) holds for each of its components unless one names its own.
      rows.push(row(m.obs, m.value, subId, profile, m.obs.bodySite ?? obs.bodySite));
    });
  });
  return rows;
}

/** The urine strip members, by LOINC: a reading made only of these is reported under the strip panel. */
const URINE_CODES: ReadonlySet<string> = new Set(
  Object.entries(CATALOG)
    .filter(([key]) => key.startsWith('urine'))
    .map(([, e]) => e.loinc),
);

/**
 * LOINC 85353-1 "Vital signs, weight, height, head circumference, oxygen saturation and BMI
 * panel": OBR-4 for a vital-signs reading with several results and no panel of its own (the
 * catalog holds observation codes, not order codes, so it is named here).
 */
const VITAL_SIGNS_PANEL = ['85353-1', 'Vital signs, weight, height, head circumference, oxygen saturation and BMI panel', 'LN'] as const;

/** OBR-4 in the generic profile: the panel the reading forms, else its one observation's code. */
export function serviceFor(observations: readonly Observation[]): readonly Component[] {
  const panel = observations.find((o) => o.code !== undefined && (o.components?.length ?? 0) > 0);
  if (panel?.code !== undefined) return [panel.code, displayFor(panel), 'LN'];
  const coded = observations.filter((o) => o.code !== undefined);
  if (coded.length > 0 && coded.every((o) => URINE_CODES.has(o.code ?? ''))) {
    return [CATALOG.urinePanel.loinc, CATALOG.urinePanel.display, 'LN'];
  }
  const first = coded[0];
  if (first?.code !== undefined && coded.length === 1) return [first.code, displayFor(first), 'LN'];
  return VITAL_SIGNS_PANEL;
}
