import { describe, expect, it } from 'vitest';
import { CATALOG, type CatalogKey } from './catalog.ts';
import { classifyValue, limitsOf, type Range } from './clinical-limits.ts';

/** Every quantitative vital sign and meter result must be judged: a missing unit would go unchecked. */
const judged = (Object.keys(CATALOG) as CatalogKey[]).filter((k) => {
  const e = CATALOG[k];
  return e.scale === 'Qn' && e.units.length > 0 && (e.category === 'vital-signs' || k.endsWith('Meter'));
});

const inside = (inner: Range | undefined, outer: Range): boolean =>
  inner === undefined || ((inner.low ?? outer.low ?? -Infinity) >= (outer.low ?? -Infinity) && (inner.high ?? outer.high ?? Infinity) <= (outer.high ?? Infinity));

describe('clinical limits', () => {
  it.each(judged)('%s has limits for every unit it allows', (key) => {
    for (const unit of CATALOG[key].units) expect(limitsOf(key, unit), `${key} in ${unit}`).toBeDefined();
  });

  it('nest: reference inside critical inside hard, for every code and unit', () => {
    for (const key of Object.keys(CATALOG) as CatalogKey[]) {
      for (const unit of CATALOG[key].units) {
        const l = limitsOf(key, unit);
        if (l === undefined) continue;
        expect(inside(l.critical, l.hard), `${key} ${unit} critical`).toBe(true);
        expect(inside(l.reference, l.critical ?? l.hard), `${key} ${unit} reference`).toBe(true);
      }
    }
  });

  it('classify the issue’s examples', () => {
    expect(classifyValue(250, limitsOf('spo2', '%'))).toBe('impossible');
    expect(classifyValue(45, limitsOf('spo2', '%'))).toBe('critical-low');
    expect(classifyValue(97, limitsOf('spo2', '%'))).toBe('normal');
    expect(classifyValue(1e39, limitsOf('bodyWeight', 'kg'))).toBe('impossible');
    expect(classifyValue(37, limitsOf('bodyTemperature', 'mg/dL' as never))).toBe('unchecked');
  });
});
