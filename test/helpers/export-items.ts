import { randomUUID } from 'node:crypto';
import type { Exporter, ExportItem, SendOutcome } from '../../main/export/exporter.ts';
import { observe, quantity, unmapped, type Observation } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * Confirmed readings of every kind the exporters must carry (docs/export.md §5–7), as the
 * outbox hands them over. Built from the catalog with `observe`, the way drivers build them,
 * so a catalog change shows up here too.
 */

let seq = 0;

function reading(driver: string, device: Reading['device'], observations: Observation[], extra: Partial<Reading> = {}): Reading {
  return {
    driver,
    device,
    kind: 'patient',
    deviceTime: '2026-11-27T09:15:00',
    receivedAt: '2026-11-27T09:15:02+00:00',
    effectiveTime: '2026-11-27T09:15:00+00:00',
    clock: { source: 'device' },
    observations,
    flags: [],
    ...extra,
  };
}

/** An outbox item for `r`, with fresh ids (pass `readingId` to make a replay of the same reading). */
export function exportItem(r: Reading, over: Partial<ExportItem> = {}): ExportItem {
  seq += 1;
  return {
    outboxId: seq,
    readingId: randomUUID(),
    controlId: `PH${String(seq).padStart(6, '0')}${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    reading: r,
    patient: { mrn: 'MRN-20418', name: "Ruiz, Ana María O'Neil", birthDate: '1961-04-23' },
    confirmedBy: { id: 'op-1', name: 'Dana Whitfield' },
    confirmedAt: '2026-11-27T09:16:30.000Z',
    manual: false,
    deviceLabel: r.device.serial === undefined ? r.device.model : `${r.device.model} (SN ${r.device.serial})`,
    workstation: 'ROOM-3',
    ...over,
  };
}

const monitor = { manufacturer: 'Welch Allyn', model: 'Connex Spot Monitor', serial: '100012345678' };

export const READINGS = {
  bloodPressure: reading('example-monitor', monitor, [
    {
      ...observe('bpPanel', { kind: 'text', text: 'panel' }), // value dropped below; a quantity here throws (bpPanel has no units)
      value: undefined,
      components: [observe('bpSystolic', quantity(128, 'mm[Hg]')), observe('bpDiastolic', quantity(84, 'mm[Hg]')), observe('bpMean', quantity(99, 'mm[Hg]'))],
    },
    observe('pulseRateNibp', quantity(72, '/min')),
  ]),
  spo2AndPulse: reading('masimo-rad8', { manufacturer: 'Masimo', model: 'Rad-8 / Radical-7 / Rad-87', serial: '0000056661' }, [
    observe('spo2', quantity(97, '%')),
    observe('pulseRateOximeter', quantity(73, '/min')),
    unmapped('PI', '05.09%'),
  ]),
  temperature: reading('example-monitor', monitor, [observe('bodyTemperature', quantity(38.4, 'Cel'), { interpretation: 'H', referenceRange: { low: 36, high: 37.5 } })]),
  weightHeightBmi: reading('example-scale', { manufacturer: 'Seca', model: '284', serial: 'S-77|^&~\\' }, [
    observe('bodyWeight', quantity(72.4, 'kg')),
    observe('bodyHeight', quantity(176, 'cm')),
    observe('bmi', quantity(23.4, 'kg/m2')),
  ]),
  glucose: reading('lifescan-onetouch-ultra2', { manufacturer: 'LifeScan', model: 'OneTouch Ultra 2', serial: 'CGG0123AB' }, [observe('glucoseMassMeter', quantity(112, 'mg/dL'))], {
    flags: ['before-meal'],
  }),
  glucoseHigh: reading('ascensia-contour-next', { manufacturer: 'Ascensia', model: 'Contour Next One', serial: '7412345' }, [
    observe('glucoseMassMeter', quantity(600, 'mg/dL', '>'), { interpretation: 'HH' }),
  ]),
  glucoseMolar: reading('abbott-freestyle-neo', { manufacturer: 'Abbott', model: 'FreeStyle Precision Neo', serial: 'JGGN123-4567' }, [
    observe('glucoseMolarMeter', quantity(6.2, 'mmol/L')),
  ]),
  ketone: reading('abbott-freestyle-neo', { manufacturer: 'Abbott', model: 'FreeStyle Precision Neo', serial: 'JGGN123-4567' }, [
    observe('bloodKetoneMeter', quantity(0.6, 'mmol/L')),
  ]),
  urineStrip: reading('siemens-clinitek-status', { manufacturer: 'Siemens', model: 'Clinitek Status / Status+' }, [
    observe('urineGlucosePresence', { kind: 'ordinal', code: 'neg', text: 'Negative' }),
    observe('urineBilirubinPresence', { kind: 'ordinal', code: 'neg', text: 'Negative' }),
    observe('urineKetonesPresence', { kind: 'ordinal', code: 'trace', text: 'Trace' }),
    observe('urineSpecificGravity', quantity(1.02, '1')),
    observe('urineBloodPresence', { kind: 'ordinal', code: 'trace', text: 'Trace-intact' }, { interpretation: 'A' }),
    observe('urinePh', quantity(7, '[pH]')),
    observe('urineProteinPresence', { kind: 'ordinal', code: '1+', text: '30 mg/dL (1+)' }, { interpretation: 'A' }),
    observe('urineUrobilinogenMass', quantity(0.2, 'mg/dL')),
    observe('urineNitritePresence', { kind: 'ordinal', code: 'pos', text: 'Positive' }, { interpretation: 'A' }),
    observe('urineLeukocytesPresence', { kind: 'ordinal', code: '2+', text: 'Moderate' }, { interpretation: 'A' }),
    observe('urineColor', { kind: 'text', text: 'Yellow' }),
    observe('urineClarity', { kind: 'text', text: 'Clear' }),
  ], { context: { sampleId: '2756', method: 'Multistix 10 SG' } }),
} satisfies Record<string, Reading>;

export type ReadingExample = keyof typeof READINGS;

/**
 * A Clinitek strip as its driver reads a printed `SG 1.020` and `pH 6.0`: the values carry the
 * printed decimals, which every output must keep (docs/export.md §4). Not in READINGS, so the
 * every-kind tests stay as they are.
 */
export const PRINTED_STRIP: Reading = reading('siemens-clinitek-status', { manufacturer: 'Siemens', model: 'Clinitek Status / Status+' }, [
  observe('urineGlucosePresence', { kind: 'ordinal', code: 'neg', text: 'Negative' }),
  observe('urineSpecificGravity', quantity(1.02, '1', undefined, 3)),
  observe('urinePh', quantity(6, '[pH]', undefined, 1)),
  observe('urineUrobilinogenMass', quantity(0.2, 'mg/dL', undefined, 1)),
  observe('urineColor', { kind: 'text', text: 'Yellow' }),
], { context: { sampleId: '2757', method: 'Multistix 10 SG' } });

/** One export item per example reading, for "every kind of reading reaches the peer". */
export function everyKind(): Array<{ name: ReadingExample; item: ExportItem }> {
  return (Object.keys(READINGS) as ReadingExample[]).map((name) => ({ name, item: exportItem(READINGS[name]) }));
}

/** Render and send one item as the outbox worker would: what every export test against a peer does. */
export async function deliver(exporter: Exporter, item: ExportItem, signal: AbortSignal = new AbortController().signal): Promise<SendOutcome> {
  const payload = await exporter.render(item);
  return exporter.send(payload, { controlId: item.controlId, readingId: item.readingId, signal });
}
