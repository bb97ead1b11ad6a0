import type { ReviewItem } from '../../shared/api/model.ts';
import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import { limitsOf, type Range } from '../../shared/clinical-limits.ts';
import type { Observation } from '../../shared/observation.ts';
import { catalogKeyOf, flattenObservations, SHORT_NAMES, unitText } from '../format/observations.ts';

import { clipToHard, trendAxis, type Axis } from './trend-axis.ts';

interface TrendPoint {
  readonly t: number;
  /** The value as measured. */
  readonly value: number;
  /** The value as drawn: clipped to the hard limits (shared/clinical-limits.ts). */
  readonly shown: number;
  /** Outside the hard limits: drawn at the limit and marked as an impossible value. */
  readonly clipped: boolean;
  readonly readingId: string;
}
export interface TrendSeries {
  readonly name: string;
  readonly points: readonly TrendPoint[];
  /** The reference range drawn as a band behind the line, when the limits table has one. */
  readonly reference?: Range;
  readonly hard?: Range;
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
  const trends = new Map<string, { title: string; unit: string; series: Map<string, { points: TrendPoint[]; reference?: Range; hard?: Range }> }>();
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
      const limits = limitsOf(key, unit);
      const series = trend.series.get(name) ?? { points: [], ...(limits?.reference ? { reference: limits.reference } : {}), ...(limits ? { hard: limits.hard } : {}) };
      series.points.push({ t, value: obs.value.value, ...clipToHard(obs.value.value, limits?.hard), readingId: item.id });
      trend.series.set(name, series);
    }
  }
  return [...trends.entries()].map(([id, tr]) => ({
    id,
    title: tr.title,
    unit: tr.unit,
    series: [...tr.series.entries()].map(([name, s]) => ({ ...s, name, points: [...s.points].sort((a, b) => a.t - b.t) })),
  }));
}

/**
 * The value axis of a trend: its drawn values and reference bands, within the widest hard
 * limits of its series (systolic and diastolic differ), see {@link trendAxis}.
 */
export function axisOf(trend: Trend): Axis {
  const lows = trend.series.map((s) => s.hard?.low);
  const highs = trend.series.map((s) => s.hard?.high);
  const hard: Range = {
    ...(lows.every((v): v is number => v !== undefined) ? { low: Math.min(...lows) } : {}),
    ...(highs.every((v): v is number => v !== undefined) ? { high: Math.max(...highs) } : {}),
  };
  const bands = trend.series.flatMap((s) => (s.reference ? [s.reference] : []));
  return trendAxis(trend.series.flatMap((s) => s.points.map((p) => p.shown)), bands, hard);
}
