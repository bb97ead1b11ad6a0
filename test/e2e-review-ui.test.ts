import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP as VIEWPORT, openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { screenshotFolder } from './helpers/screenshots.ts';

/**
 * The review screen as the assistant sees it on a 1366×768 laptop, in Chromium against a real
 * `pochub serve --demo` (its devices play readings and live values; a temp data folder of its
 * own): sections with counts, "Confirm all N" never 0, Capture revealing its reading, the
 * wording pass, the audit log in sentences, and the review list and live values both on screen.
 */
const shots = screenshotFolder();
const data = mkdtempSync(join(tmpdir(), 'pochub-review-ui-'));
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

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });

/** True when the element's box lies wholly inside the 1366×768 viewport. */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;
}

/**
 * True when the row's head and first line of values show inside the review list's box (the list
 * scrolls on its own, so a tall row may run on below its bottom edge).
 */
async function showsInList(row: Locator): Promise<boolean> {
  const box = await row.boundingBox();
  const list = await page.getByTestId('review-list').boundingBox();
  return box !== null && list !== null && box.y >= list.y - 1 && box.y + 80 <= list.y + list.height && box.y + 80 <= VIEWPORT.height;
}

/** Every "Confirm all" button on screen: its words and the count it carries. */
async function confirmButtons(): Promise<{ text: string; count: number }[]> {
  const buttons = page.locator('[data-testid^="confirm-device-"]');
  const out: { text: string; count: number }[] = [];
  for (const b of await buttons.all()) out.push({ text: (await b.textContent()) ?? '', count: Number(await b.getAttribute('data-count')) });
  return out;
}

/** The page's text as a person sees it: screen-reader-only labels left out. */
const bodyText = async (): Promise<string> =>
  String(await page.evaluate("(() => { const c = document.body.cloneNode(true); c.querySelectorAll('.visually-hidden').forEach((e) => e.remove()); return c.textContent; })()"));

describe('review screen at 1366×768 against pochub serve --demo', () => {
  it('groups unassigned readings with their count, and offers no "Confirm all 0"', async () => {
    await expect.poll(() => page.getByTestId('section-label-unassigned').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('section-label-unassigned').textContent()).toMatch(/^Unassigned \(\d+\)$/);
    expect(await confirmButtons()).toEqual([]);
    expect(await bodyText()).not.toMatch(/Confirm all 0/);
    await shot('review-ui-01-no-patient');
  });

  it('puts the selected patient first, with "Confirm all N" counting what it confirms', async () => {
    await page.getByTestId('patient-mrn-input').fill('MRN-20418');
    await page.getByTestId('patient-mrn-input').press('Enter');
    await page.getByTestId('patient-dob-input').fill('1961-04-23');
    await page.getByTestId('patient-select').click();
    await expect.poll(() => page.getByTestId('patient-banner').getAttribute('data-state')).toBe('selected');
    // Readings arriving now are hers (the demo devices send one every few seconds).
    await expect.poll(() => page.getByTestId('section-label-patient').textContent(), { timeout: 60_000 }).toMatch(/^MRN-20418( · .+)? \(\d+\)$/);
    await expect.poll(async () => (await confirmButtons()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    for (const b of await confirmButtons()) {
      expect(b.count).toBeGreaterThan(0);
      expect(b.text).toBe(b.count === 1 ? 'Confirm 1 from this device' : `Confirm all ${b.count} from this device`);
    }
    // The first section on screen is hers; the unassigned ones follow in their own.
    const sections = await page.locator('[data-testid^="section-label-"]').allTextContents();
    expect(sections[0]).toMatch(/^MRN-20418/);
    expect(sections.slice(1).some((s) => /^Unassigned \(\d+\)$/.test(s))).toBe(true);
  }, 120_000);

  it('shows her pending readings and the live values together, without page scrolling', async () => {
    const live = page.locator('[data-testid^="live-"]').first();
    await expect.poll(() => live.isVisible(), { timeout: 30_000 }).toBe(true);
    const firstOfHers = page.locator('[data-testid^="reading-"][data-assigned="true"]').first();
    await expect.poll(() => firstOfHers.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await inViewport(page.getByTestId('review-list'))).toBe(true);
    expect(await inViewport(live)).toBe(true);
    expect(await showsInList(firstOfHers)).toBe(true);
    expect(await inViewport(page.getByTestId('section-patient'))).toBe(true);
    const scrolls = await page.evaluate('document.documentElement.scrollHeight > window.innerHeight');
    expect(scrolls).toBe(false);
    // The layout settles: the list's box is the same over ten frames (a script that measured and
    // resized the screen once fed back on itself and the page never held still to be clicked).
    const boxes = await page.evaluate(`new Promise((done) => {
      const seen = [];
      const step = () => {
        const r = document.querySelector('[data-testid="review-list"]').getBoundingClientRect();
        seen.push([r.top, r.height, r.width].join(','));
        if (seen.length < 10) requestAnimationFrame(step); else done(seen);
      };
      requestAnimationFrame(step);
    })`);
    expect(new Set(boxes as string[]).size).toBe(1);
    await shot('review-ui-02-patient-1366x768');
  }, 60_000);

  it('words values once: no doubled MRN label or unit, no stray zeros', async () => {
    const text = await bodyText();
    expect(text).not.toMatch(/MRN\s*MRN/);
    expect(text).not.toMatch(/pH\s*[\d.]+\s*pH/);
    expect(text).not.toMatch(/(^|[^\d.])0\d+\.\d+\s*%/);
  });

  it('Capture focuses and shows the reading it made', async () => {
    const capture = page.locator('[data-testid^="capture-"]').first();
    await expect.poll(() => capture.isEnabled(), { timeout: 40_000 }).toBe(true);
    const status = page.getByTestId('status-line');
    // The sensor is off a few seconds in each demo cycle: press again until a reading is pending.
    let focused = '';
    for (let press = 1; press <= 10 && !focused.startsWith('reading-'); press++) {
      const before = await status.getAttribute('data-notice');
      await capture.click();
      await expect.poll(() => status.getAttribute('data-notice'), { timeout: 15_000 }).not.toBe(before);
      if (/pending list/.test((await status.textContent()) ?? '')) {
        await page.waitForFunction("(document.activeElement?.getAttribute('data-testid') ?? '').startsWith('reading-')", undefined, { timeout: 5_000 }).catch(() => undefined);
      }
      focused = String(await page.evaluate("document.activeElement?.getAttribute('data-testid') ?? ''"));
      if (!focused.startsWith('reading-')) await page.locator('[data-testid^="live-"] .live-status').first().waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    expect(focused).toMatch(/^reading-/);
    expect(await showsInList(page.getByTestId(focused))).toBe(true);
    await shot('review-ui-03-captured');
  }, 120_000);

  it('confirms a device batch and says so; the audit log tells it as sentences with the code kept', async () => {
    const button = page.locator('[data-testid^="confirm-device-"]').first();
    await expect.poll(() => button.isVisible(), { timeout: 30_000 }).toBe(true);
    await button.click();
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 10_000 }).toMatch(/^Confirmed \d+ readings? from /);
    await page.getByTestId('nav-audit').click();
    const sentences = page.locator('[data-testid^="audit-sentence-"]');
    await expect.poll(() => sentences.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const all = (await sentences.allTextContents()).join('\n');
    expect(all).toMatch(/confirmed .+ for MRN-20418( \([^)]+\))? \(all of .+\)\./);
    expect(all).toMatch(/selected (new )?patient MRN-20418/);
    expect(all).toMatch(/signed in as /);
    expect(all).not.toMatch(/reading\.confirm/);
    // The code is still on the row, for whoever checks the log.
    expect(await page.locator('[data-action="reading.confirm"] .audit-code').first().textContent()).toMatch(/^reading\.confirm/);
    await shot('review-ui-04-audit');
  }, 60_000);
});
