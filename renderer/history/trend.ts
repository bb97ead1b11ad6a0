import type { ReviewItem } from '../../shared/api/model.ts';
import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import type { Observation } from '../../shared/observation.ts';
import { catalogKeyOf, flattenObservations, SHORT_NAMES, unitText } from '../format/observations.ts';

interface TrendPoint {
  readonly t: number;
  readonly value: number;
  readonly readingId: string;
}
export interface TrendSeries {
  readonly name: string;
  readonly points: readonly TrendPoint[];
}
export interface Trend {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly TrendSeries[];
}

/** History charts the vital signs and glucose by meter together. */
const CHARTED_LAB: ReadonlySet<CatalogKey> = new Set(['glucoseMassMeter', 'glucoseMolarMeter']);
/** Systolic and diastolic share one chart, as clinicians read them. */
const BP: ReadonlySet<CatalogKey> = new Set(['bpSystolic', 'bpDiastolic']);

function charted(key: CatalogKey): boolean {
  return CATALOG[key].category === 'vital-signs' || CHARTED_LAB.has(key);
}

/**
 * Trend charts from a patient's history: confirmed quantities only (pending and rejected values
 * are not the patient's record), one chart per code and unit, systolic with diastolic.
 */
export function buildTrends(history: readonly ReviewItem[]): Trend[] {
  const trends = new Map<string, { title: string; unit: string; series: Map<string, TrendPoint[]> }>();
  for (const item of history) {
    if (item.state !== 'confirmed') continue;
    const t = Date.parse(item.reading.effectiveTime);
    if (Number.isNaN(t)) continue;
    for (const obs of flattenObservations(item.reading.observations) as Observation[]) {
      const key = catalogKeyOf(obs.code);
      if (!key || !charted(key) || obs.value?.kind !== 'quantity') continue;
      const unit = obs.value.unit;
      const isBp = BP.has(key);
      const id = `${isBp ? 'bp' : CATALOG[key].loinc}|${unit}`;
      let trend = trends.get(id);
      if (!trend) trends.set(id, (trend = { title: isBp ? 'Blood pressure' : SHORT_NAMES[key], unit: unitText(unit) || unit, series: new Map() }));
      const name = isBp ? SHORT_NAMES[key] : trend.title;
      const points = trend.series.get(name) ?? [];
      points.push({ t, value: obs.value.value, readingId: item.id });
      trend.series.set(name, points);
    }
  }
  return [...trends.entries()].map(([id, tr]) => ({
    id,
    title: tr.title,
    unit: tr.unit,
    series: [...tr.series.entries()].map(([name, points]) => ({ name, points: [...points].sort((a, b) => a.t - b.t) })),
  }));
}

/** Nice y-axis bounds with a little room, so a flat series is not drawn on the frame. */
export function yBounds(values: readonly number[]): { min: number; max: number } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.max(1, Math.abs(hi) * 0.1) : (hi - lo) * 0.15;
  return { min: lo - pad, max: hi + pad };
}
