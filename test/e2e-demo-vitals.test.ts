import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { screenshotFolder } from './helpers/screenshots.ts';

/**
 * Rooming a patient in demo mode, end to end: a real `pochub serve --demo` (its own data folder)
 * and Debian's Chromium at 1366×768. The assistant signs in and selects a demo patient; the cart's
 * demo devices — BP monitors, oximeters, thermometer, scales — measure after the selection, so
 * their results are hers (bedside role), and her History flowsheet fills with a whole set of
 * vitals: blood pressure, pulse, SpO₂, temperature, weight, height and BMI. A weight and a
 * temperature show the device's value and unit, with the other unit beside it, marked as converted.
 */
const shots = screenshotFolder();
const data = mkdtempSync(join(tmpdir(), 'pochub-demo-vitals-'));
/** A demo patient (main/demo-patients.ts): on file, so selecting her needs no patient source. */
const PATIENT = { mrn: 'MRN-40021', birthDate: '1961-07-14' };
/** The devices play on the real clock (a weighing every 15 s, a BP every 20 s): minutes, on a busy machine. */
const FILL_TIMEOUT_MS = 240_000;
let ui: HubPage | undefined;
let page: Page;

beforeAll(async () => {
  ui = await openHubPage({ serve: ['--demo', '--data', data] });
  page = ui.page;
  await signIn(page, { badge: '1001', pin: '1234' });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

/** A row of the flowsheet by its measurement (catalog key), whatever the device's unit. */
const rowOf = (key: string): Locator => page.locator(`[data-testid^="flowsheet-row-${key}|"]`);

/** The device's value and the converted one beside it, in every cell of the rows of `key`. */
async function valuesWithConverted(key: string): Promise<{ unit: string; value: number; converted: string }[]> {
  const out: { unit: string; value: number; converted: string }[] = [];
  for (const row of await rowOf(key).all()) {
    const unit = ((await row.getAttribute('data-testid')) ?? '').split('|')[1] ?? '';
    for (const entry of await row.locator('.fs-value').all()) {
      const value = Number(await entry.locator('strong').textContent());
      const converted = (await entry.locator('[data-testid="converted"]').textContent()) ?? '';
      out.push({ unit, value, converted });
    }
  }
  return out;
}

describe('demo mode fills the flowsheet with a whole set of vitals (Chromium)', () => {
  it('BP, pulse, SpO₂, temperature, weight, height and BMI from the demo devices, each weight and temperature with the other unit beside it', async () => {
    await page.getByTestId('patient-mrn-input').fill(PATIENT.mrn);
    await page.getByTestId('patient-mrn-input').press('Enter');
    await page.getByTestId('patient-dob-input').fill(PATIENT.birthDate);
    await page.getByTestId('patient-select').click();
    await expect.poll(() => page.getByTestId('patient-banner').getAttribute('data-state'), { timeout: 30_000 }).toBe('selected');

    await page.getByTestId('nav-history').click();
    // Every measurement of a rooming set has its row (pending values count: they are hers).
    const wanted = ['bp', 'heartRate', 'spo2', 'bodyTemperature', 'bodyWeight', 'bodyHeight', 'bmi'];
    const missing = async (): Promise<string[]> => {
      const found: string[] = [];
      for (const key of wanted) if ((await rowOf(key).count()) === 0) found.push(key);
      return found;
    };
    await expect
      .poll(missing, { timeout: FILL_TIMEOUT_MS, interval: 1000 })
      .toEqual([])
      .catch(async (e: unknown) => {
        throw new Error(`the flowsheet still lacks ${(await missing()).join(', ')}; the page says: ${await page.locator('main').textContent()}`, { cause: e });
      });
    const headers = await page.getByTestId('flowsheet').getByRole('rowheader').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Blood pressure (mmHg)', 'Pulse (/min)', 'SpO₂ (%)', 'BMI (kg/m²)']));
    expect(headers.some((h) => /^Weight \((lb|kg)\)$/.test(h)), headers.join(' · ')).toBe(true);
    expect(headers.some((h) => /^Temperature \((°C|°F)\)$/.test(h)), headers.join(' · ')).toBe(true);
    expect(headers.some((h) => /^Height \((in|cm)\)$/.test(h)), headers.join(' · ')).toBe(true);
    expect(await page.getByTestId('flowsheet-row-bp|mm[Hg]').locator('strong').first().textContent()).toMatch(/^\d+\/\d+( \(\d+\))?$/);

    // Weight: the scale's own value and unit head the row; the other unit, converted with the
    // exact factor (1 lb = 0.45359237 kg) to one decimal, is beside each value, marked so.
    const weights = await valuesWithConverted('bodyWeight');
    expect(weights.length).toBeGreaterThanOrEqual(1);
    for (const w of weights) {
      const [, number, unit] = /^ \((-?\d+\.\d) (kg|lb), converted\)$/.exec(w.converted) ?? [];
      expect(unit, JSON.stringify(w)).toBe(w.unit === '[lb_av]' ? 'kg' : 'lb');
      const expected = w.unit === '[lb_av]' ? w.value * 0.45359237 : w.value / 0.45359237;
      expect(Math.abs(Number(number) - expected), JSON.stringify(w)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    const temperatures = await valuesWithConverted('bodyTemperature');
    for (const t of temperatures) {
      const [, number, unit] = /^ \((-?\d+\.\d) (°C|°F), converted\)$/.exec(t.converted) ?? [];
      expect(unit, JSON.stringify(t)).toBe(t.unit === 'Cel' ? '°F' : '°C');
      const expected = t.unit === 'Cel' ? (t.value * 9) / 5 + 32 : ((t.value - 32) * 5) / 9;
      expect(Math.abs(Number(number) - expected), JSON.stringify(t)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    // Marked as converted where a person sees it too (a tooltip), not only for a screen reader.
    expect(await rowOf('bodyWeight').first().locator('[data-testid="converted"]').first().getAttribute('title')).toMatch(/^Converted by POC Hub/);
    // The page never grows sideways: the grid scrolls in its own box.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: join(shots.dir, 'demo-vitals-flowsheet.png'), fullPage: true });

    // The review screen: a pending weight reads "Weight 120.0 lb (54.4 kg)", the device's first.
    await page.getByTestId('nav-review').click();
    // Only one scale's readings (the device filter), so a weight's row is on screen; each scale
    // in turn until one has a weight waiting (the first may have none pending yet).
    const filter = page.getByTestId('review-filter-device');
    const scales = /^(healthometer-professional|detecto-solo|rice-lake-physician)[@:]/;
    const options = await filter.locator('option').evaluateAll((els: { value: string }[]) => els.map((e) => e.value));
    const scaleKeys = options.filter((v) => scales.test(v));
    expect(scaleKeys.length, options.join(' · ')).toBeGreaterThan(0);
    const weight = page.locator('[data-testid^="reading-"] li.obs', { hasText: 'Weight' }).first();
    let turn = 0;
    await expect
      .poll(
        async () => {
          if ((await weight.count()) > 0) return true;
          await filter.selectOption(scaleKeys[turn++ % scaleKeys.length] ?? '');
          return false;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(true);
    const seen = await weight.evaluate((el: { cloneNode(deep: boolean): unknown }) => {
      // What a person sees: the screen-reader words left out.
      const copy = el.cloneNode(true) as { textContent: string | null; querySelectorAll(s: string): Iterable<{ remove(): void }> };
      for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
      return copy.textContent ?? '';
    });
    expect(seen).toMatch(/^Weight\d+\.\d(lb \(\d+\.\d kg\)|kg \(\d+\.\d lb\))/);
    await weight.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots.dir, 'demo-vitals-review.png') });
  }, FILL_TIMEOUT_MS + 60_000);
});
