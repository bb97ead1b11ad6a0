import type { ReviewItem } from '../../shared/api/model.ts';
import type { QcLot } from '../../shared/api/qc-model.ts';
import { CATALOG } from '../../shared/catalog.ts';
import { flattenObservations, valueParts } from '../format/observations.ts';

/** Pass / Fail / Not evaluated, as the QC log shows a control's verdict. */
export function verdictText(item: ReviewItem): { text: string; tone: 'ok' | 'bad' | 'open' } {
  if (item.qc === undefined) return { text: 'Not evaluated', tone: 'open' };
  return item.qc.verdict === 'pass' ? { text: 'Pass', tone: 'ok' } : { text: `Fail: ${item.qc.reason ?? 'out of range'}`, tone: 'bad' };
}

/** The control's numeric values as the device reported them, e.g. `Glucose 320 mg/dL`. */
export function resultText(item: ReviewItem): string {
  return (
    flattenObservations(item.reading.observations)
      .filter((o) => o.value !== undefined)
      .map((o) => {
        const v = valueParts(o.value ?? { kind: 'text', text: '—' });
        return `${v.value}${v.unit ? ` ${v.unit}` : ''}`;
      })
      .join(', ') || '—'
  );
}

/** `250–300 mg/dL`: a range without stray zeros. */
export function rangeText(low: number, high: number, unit: string): string {
  return `${String(Number(low.toPrecision(6)))}–${String(Number(high.toPrecision(6)))} ${unit}`;
}

/** Lots that can judge this control: in use, for an analyte the control carries, in its unit. */
export function lotsFor(item: ReviewItem, lots: readonly QcLot[]): QcLot[] {
  const carried = flattenObservations(item.reading.observations).flatMap((o) => (o.value?.kind === 'quantity' && o.code ? [`${o.code} ${o.value.unit}`] : []));
  return lots.filter((l) => !l.retired && carried.includes(`${CATALOG[l.analyte].loinc} ${l.unit}`));
}
