import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../shared/api/model.ts';
import { launchChromium } from './helpers/browser.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';
import { hubApi, type HubApi } from './helpers/hub-api.ts';
import { screenshotFolder } from './helpers/screenshots.ts';

/**
 * History as a flowsheet, and demo mode kept apart from real data, end to end: a real
 * `pochub serve --demo` WITHOUT --data, its HOME pointed at a temp folder so the test can see
 * exactly which folders it writes; Debian's Chromium on the built UI (npm run build:ui).
 */
const shots = screenshotFolder();
const home = mkdtempSync(join(tmpdir(), 'pochub-flowsheet-home-'));
const dataHome = join(home, 'share');
/** Not among the demo's patients: added as a new local patient (MRN, date of birth and name). */
const PATIENT = { mrn: 'MRN-55120', birthDate: '1958-02-11' };
const PATIENT_NAME = 'Greta Lindqvist';
let hub: CliProcess;
let browser: Browser;
let page: Page;
let url = '';

/** The test's own API session (a cookie of its own, as a second browser would have). */
let api: HubApi;
const call = <T>(method: string, input: unknown = {}): Promise<T> => api.call<T>(method, input);

/** A value typed by hand for the selected patient, confirmed (a second step when the hub asks for one). */
async function manual(code: string, value: number, unit: string): Promise<ReviewItem> {
  const item = await call<ReviewItem>('enterManual', { code, value, unit });
  return item.state === 'pending' ? call<ReviewItem>('confirmReading', { readingId: item.id }) : item;
}

beforeAll(async () => {
  // POCHUB_DATA would override the per-user folder: cleared, so the default paths are used.
  hub = startCli(['serve', '--port', '0', '--demo'], { HOME: home, XDG_DATA_HOME: dataHome, POCHUB_DATA: '' });
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  api = hubApi(url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  rmSync(home, { recursive: true, force: true });
  shots.cleanup();
});

describe('demo mode in its own folder', () => {
  it('serve --demo without --data writes only to the demo folder, never the real store path', async () => {
    await hub.waitForStderr('store: ');
    expect(hub.stderr()).toContain(`store: ${join(dataHome, 'pochub-demo', 'pochub.db')}`);
    expect(existsSync(join(dataHome, 'pochub-demo', 'pochub.db'))).toBe(true);
    expect(existsSync(join(dataHome, 'pochub'))).toBe(false);
  });
});

describe('History as a flowsheet (Chromium)', () => {
  it('shows DEMO in the header and the tab title on the sign-in screen and on every screen', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('demo-badge').isVisible()).toBe(true);
    expect(await page.title()).toMatch(/^DEMO · /);
    if (await page.getByTestId('signin-badge').isVisible()) {
      await page.getByTestId('signin-badge').fill('9001');
      await page.getByTestId('signin-pin').fill('9999');
      await page.getByTestId('signin-pin').press('Enter');
    }
    await expect.poll(() => page.getByTestId('signout').isVisible()).toBe(true);
    const routes = await page.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((a) => a.getAttribute('data-testid') ?? ''));
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const nav of routes) {
      await page.getByTestId(nav).click();
      await expect.poll(() => page.getByTestId(nav).getAttribute('aria-current')).toBe('page');
      expect(await page.getByTestId('demo-badge').isVisible(), nav).toBe(true);
      expect(await page.title(), nav).toMatch(/^DEMO · .+ · POC Hub$/);
    }
  });

  it('shows a grid with a row per vital sign, marks in words, rejected values only on request, and a reference band on a trend', async () => {
    // The test's own session sets the scene; the page signs in on its own below.
    await call('signIn', { badgeId: '9001', pin: '9999' });
    await call('selectPatient', { ...PATIENT, name: PATIENT_NAME, createLocal: true });
    await manual('spo2', 97, '%');
    await manual('spo2', 92, '%');
    await manual('heartRate', 72, '/min');
    await manual('bodyTemperature', 38.2, 'Cel');
    // A device reading of hers, rejected: kept out of the grid unless asked for.
    const waiting = await pollFor(async () => (await call<ReviewItem[]>('listReview')).find((i) => i.reading.kind === 'patient' && (i.patient === undefined || i.patient.mrn === PATIENT.mrn)));
    if (waiting.patient === undefined) await call('assignReadings', { readingIds: [waiting.id] });
    await call('rejectReading', { readingId: waiting.id, reason: 'measurement-error' });
    // Her device readings keep arriving: confirm them until her history spans two minutes (two
    // columns), the newest left pending.
    await pollFor(async () => {
      const mine = (await call<ReviewItem[]>('listReview')).filter((i) => i.reading.kind === 'patient' && i.patient?.mrn === PATIENT.mrn);
      for (const item of mine.slice(0, -1)) await call('confirmReading', { readingId: item.id }).catch(() => undefined);
      const history = await call<ReviewItem[]>('getHistory', { mrn: PATIENT.mrn });
      const minutes = new Set(history.filter((i) => i.state !== 'rejected').map((i) => i.reading.effectiveTime.slice(0, 16)));
      return minutes.size >= 2 ? true : undefined;
    }, 90_000);

    await page.reload();
    // Wait until the page knows whether its session is signed in, then sign in if it is not.
    await page.getByTestId('signin-badge').or(page.getByTestId('signout')).first().waitFor();
    if (await page.getByTestId('signin-badge').isVisible()) {
      await page.getByTestId('signin-badge').fill('9001');
      await page.getByTestId('signin-pin').fill('9999');
      await page.getByTestId('signin-pin').press('Enter');
    }
    // The page has a session of its own: the assistant selects her patient there too (on Review).
    await page.getByTestId('nav-review').click();
    await page.getByTestId('patient-mrn-input').fill(PATIENT.mrn);
    await page.getByTestId('patient-mrn-input').press('Enter');
    await page.getByTestId('patient-dob-input').fill(PATIENT.birthDate);
    await page.getByTestId('patient-select').click();
    await expect.poll(() => page.getByTestId('patient-banner').getAttribute('data-state')).toBe('selected');
    await page.getByTestId('nav-history').click();
    const grid = page.getByTestId('flowsheet');
    await expect
      .poll(() => grid.isVisible())
      .toBe(true)
      .catch(async (e: unknown) => {
        throw new Error(`no flowsheet; the page says: ${await page.locator('main').textContent()}`, { cause: e });
      });
    await expect.poll(() => page.getByTestId('flowsheet-row-spo2|%').isVisible()).toBe(true);
    expect(await grid.getByRole('rowheader').allTextContents()).toEqual(expect.arrayContaining(['SpO₂ (%)', 'Pulse (/min)', 'Temperature (°C)']));
    expect(await grid.locator('.fs-group').first().textContent()).toBe('Vital signs');
    // 92 % is below the reference range: marked Low, in words, not only by colour.
    const low = page.getByTestId('flowsheet-row-spo2|%').locator('[data-mark="low"]');
    await expect.poll(() => low.count()).toBeGreaterThanOrEqual(1);
    expect(await low.first().textContent()).toContain('Low');
    expect(await page.getByTestId('flowsheet-row-bodyTemperature|Cel').locator('[data-mark="high"]').first().textContent()).toContain('High');
    expect(await page.getByTestId('flowsheet-legend').textContent()).toContain('Critically high');

    // Rejected: hidden, then shown struck through when asked for.
    expect(await grid.locator('[data-state="rejected"]').count()).toBe(0);
    await page.getByTestId('flowsheet-show-rejected').check();
    await expect.poll(() => grid.locator('[data-state="rejected"] del').count()).toBeGreaterThanOrEqual(1);
    expect(await grid.locator('[data-state="rejected"]').first().textContent()).toContain('rejected');
    await page.getByTestId('flowsheet-show-rejected').uncheck();

    // The SpO₂ trend draws its reference band (95–100 %) and an axis within 0–100.
    const trend = page.getByTestId('trend-59408-5|%');
    await expect.poll(() => trend.locator('[data-testid="trend-band"]').count()).toBe(1);
    expect(await trend.textContent()).toContain('reference range 95–100');
    const ticks = (await trend.locator('[data-testid="trend-tick"]').allTextContents()).map(Number);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(100);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(80);
    expect(await grid.locator('thead th').count()).toBeGreaterThanOrEqual(3);
    // The page never grows sideways: the grid scrolls in its own box.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: join(shots.dir, 'history-flowsheet.png'), fullPage: true });
  }, 150_000);
});

/** Ask again every 200 ms until `check` gives a value (demo readings arrive on their own time). */
async function pollFor<T>(check: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('timed out waiting for a demo reading');
    await new Promise((r) => setTimeout(r, 200));
  }
}
