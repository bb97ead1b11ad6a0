import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../main/paths.ts';
import { openStore } from '../main/store/open-store.ts';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { screenshotFolder } from './helpers/screenshots.ts';

/**
 * Today, end to end in Chromium against a real `pochub serve --demo` at 1366×768: visits and
 * patients a source vouched for are put in the data folder's store before the hub starts; the
 * assistant picks one from Today with the keyboard, the banner shows the patient and the visit, a
 * demo device's reading arrives for her and is confirmed, and the store files it under that visit.
 */
const shots = screenshotFolder();
const data = mkdtempSync(join(tmpdir(), 'pochub-today-'));
const MIN = 60_000;
let ui: HubPage | undefined;
let page: Page;

// `serve` runs with TZ=UTC (test/helpers/cli.ts): its local day is the UTC day.
const now = Date.now();
const dayStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
// Around now, but always inside today (a run just after midnight or before it too).
const base = Math.min(Math.max(now - 90 * MIN, dayStart), dayStart + 20 * 60 * MIN);
const TODAY = [
  { mrn: 'MRN-7001', name: 'Nguyen, Thi Lan', birthDate: '1958-09-30', sex: 'female', room: '3', visit: 'V-26-0412', at: 0 },
  { mrn: 'MRN-7002', name: 'Haddad, Omar', birthDate: '1983-01-12', sex: 'male', room: '5', visit: 'V-26-0413', at: 20 },
  { mrn: 'MRN-7003', name: 'Kowalski, Ewa', birthDate: '1947-06-05', sex: 'female', room: '2', visit: 'V-26-0414', at: 40 },
  { mrn: 'MRN-7004', name: 'Mensah, Kofi', birthDate: '1990-11-21', sex: 'male', room: '5', visit: 'V-26-0415', at: 60 },
] as const;

/** Seed the store as a patient source would have left it, then close it before serve opens it. */
function seed(): void {
  const store = openStore(storeFile(data));
  try {
    const at = new Date(now).toISOString();
    for (const p of TODAY) {
      store.patients.saveFromSource({ mrn: p.mrn, identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: p.mrn }], name: p.name, birthDate: p.birthDate, sex: p.sex, sourceId: 'clinic-adt', verifiedAt: at });
      store.visits.save({
        id: `clinic-adt:${p.visit}`,
        sourceId: 'clinic-adt',
        mrn: p.mrn,
        state: 'arrived',
        start: new Date(base + p.at * MIN).toISOString(),
        visitNumber: p.visit,
        room: p.room,
        updatedAt: at,
      });
    }
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  seed();
  ui = await openHubPage({ serve: ['--demo', '--data', data] });
  page = ui.page;
  await signIn(page, { badge: '1001', pin: '1234' });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });
const rows = (): Promise<string[]> => page.locator('[data-testid^="today-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));

describe('Today against pochub serve --demo', () => {
  it("lists today's patients in time order, with time, room, name, MRN and date of birth", async () => {
    await expect.poll(() => page.getByTestId('today-panel').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await rows()).toEqual(TODAY.map((p) => `today-row-${p.mrn}`));
    const first = await page.getByTestId('today-row-MRN-7001').textContent();
    expect(first).toContain('Nguyen, Thi Lan');
    expect(first).toContain('MRN-7001');
    expect(first).toMatch(/\d\d:\d\d/);
    expect(await page.getByTestId('today-updated').textContent()).toBe('from this workstation');
    // The review screen's rule holds with Today on it: the page itself never scrolls.
    expect(await page.evaluate('document.documentElement.scrollHeight > window.innerHeight')).toBe(false);
  }, 60_000);

  it('filters as she types and picks with ↓ and Enter: the banner shows the patient and the visit', async () => {
    const search = page.getByTestId('today-search');
    await search.click();
    await search.press('ArrowDown');
    await search.press('ArrowDown');
    await expect.poll(() => page.getByTestId('today-row-MRN-7003').getAttribute('aria-selected')).toBe('true');
    await shot('today-01-panel');
    await search.pressSequentially('room 5');
    await expect.poll(rows).toEqual(['today-row-MRN-7002', 'today-row-MRN-7004']);
    await search.press('ArrowDown');
    await expect.poll(() => page.getByTestId('today-row-MRN-7004').getAttribute('aria-selected')).toBe('true');
    await search.press('Enter');
    await expect.poll(() => page.getByTestId('patient-mrn').textContent(), { timeout: 15_000 }).toBe('MRN-7004');
    expect(await page.getByTestId('patient-name').textContent()).toBe('Mensah, Kofi');
    await expect.poll(() => page.getByTestId('patient-encounter').textContent()).toMatch(/^Visit\sV-26-0415 · Room\s5 · \d\d:\d\d$/);
    expect(await page.getByTestId('patient-encounter').getAttribute('data-visit')).toBe('clinic-adt:V-26-0415');
  }, 60_000);

  it("confirms a demo device's reading for her, filed under the visit, and her flowsheet shows it", async () => {
    // Readings measured from now on are hers (the demo devices send one every few seconds).
    await expect.poll(() => page.getByTestId('section-label-patient').textContent(), { timeout: 60_000 }).toMatch(/^MRN-7004( · .+)? \(\d+\)$/);
    // "Confirm all" buttons are offered for the selected patient's readings only.
    const button = page.locator('[data-testid^="confirm-device-"]').first();
    let confirmed = '';
    // A batch holding a critical value is refused as a whole; a later batch of the demo is not.
    for (let tries = 0; tries < 10 && !/^Confirmed \d+ readings? from /.test(confirmed); tries++) {
      await expect.poll(() => button.isVisible(), { timeout: 30_000 }).toBe(true);
      const before = await page.getByTestId('status-line').getAttribute('data-notice');
      await button.click();
      await expect.poll(() => page.getByTestId('status-line').getAttribute('data-notice'), { timeout: 15_000 }).not.toBe(before);
      confirmed = (await page.getByTestId('status-line').textContent()) ?? '';
    }
    expect(confirmed).toMatch(/^Confirmed \d+ readings? from /);
    // The store files what was confirmed under the visit picked from Today.
    const db = new Database(storeFile(data), { readonly: true, fileMustExist: true });
    try {
      const filed = db.prepare("SELECT count(*) AS n FROM reviews WHERE patient_mrn = 'MRN-7004' AND decision = 'confirmed' AND visit_id = 'clinic-adt:V-26-0415'").get() as { n: number };
      expect(filed.n).toBeGreaterThan(0);
      const elsewhere = db.prepare("SELECT count(*) AS n FROM reviews WHERE patient_mrn = 'MRN-7004' AND (visit_id IS NULL OR visit_id <> 'clinic-adt:V-26-0415')").get() as { n: number };
      expect(elsewhere.n).toBe(0);
    } finally {
      db.close();
    }
    await page.getByTestId('nav-history').click();
    await expect.poll(() => page.getByTestId('flowsheet').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('flowsheet').locator('[data-state="confirmed"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot('today-02-confirmed');
  }, 180_000);
});
