import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFLATION_MS } from '../drivers/devices/ge-dinamap/simulator.ts';
import type { DeviceStatus, ReviewItem } from '../shared/api/model.ts';
import { CATALOG } from '../shared/catalog.ts';
import type { Observation } from '../shared/observation.ts';
import { launchChromium } from './helpers/browser.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { pageValue } from './helpers/hub-page.ts';

/**
 * Blood pressure at the cart, end to end: Debian's Chromium on the built UI against a real
 * `pochub serve --demo` (its own data folder), whose simulated GE DINAMAP sits at the bedside.
 * The assistant selects her patient, presses Start BP on the monitor's live card, sees the
 * monitor's answer, then the BP reading for her as one `systolic/diastolic (mean)` line, confirms
 * it and finds it in the History flowsheet. The numbers are checked against the bytes the
 * simulated monitor sent (the NA reply stored with the reading), not against guesses. Cancel BP
 * during the cuff's inflation gives no reading.
 */
const VIEWPORT = { width: 1366, height: 768 };
const PATIENT = { mrn: 'MRN-20418', birthDate: '1961-04-23' };
const DRIVER = 'ge-dinamap';
const shots = screenshotFolder();
const data = mkdtempSync(join(tmpdir(), 'pochub-bp-e2e-'));
let hub: CliProcess;
let browser: Browser;
let page: Page;
let storeFile = '';
/** The DINAMAP's device key on this hub (its live card, its buttons). */
let dinamap = '';

beforeAll(async () => {
  hub = startCli(['serve', '--port', '0', '--demo', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  await hub.waitForStderr(/store: \S+/);
  storeFile = /store: (\S+)/.exec(hub.stderr())?.[1] ?? '';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(url);
  await page.getByTestId('signin-badge').fill('1001');
  await page.getByTestId('signin-pin').fill('1234');
  await page.getByTestId('signin-pin').press('Enter');
  await page.getByTestId('signout').waitFor({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const byTest = (id: string) => page.getByTestId(id);
const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });
const shotOf = (testId: string, name: string): Promise<Buffer> => byTest(testId).screenshot({ path: join(shots.dir, `${name}.png`) });

/** Call the API through the page's own session (its operator and selected patient), failing on an error answer. */
const api = <T>(method: string, input: unknown = {}): Promise<T> => pageValue<T>(page, method, input);

const isBpPanel = (o: Observation): boolean => o.code === CATALOG.bpPanel.loinc;
/** The DINAMAP's BP readings the hub holds for review or in her history (any state). */
async function dinamapBps(): Promise<ReviewItem[]> {
  const all = [...(await api<ReviewItem[]>('listReview')), ...(await api<ReviewItem[]>('getHistory', { mrn: PATIENT.mrn }))];
  const byId = new Map(all.filter((i) => i.reading.driver === DRIVER && i.reading.observations.some(isBpPanel)).map((i) => [i.id, i]));
  return [...byId.values()];
}

/** A component's number in a BP panel, by its catalog key. */
function component(item: ReviewItem, key: 'bpSystolic' | 'bpDiastolic' | 'bpMean'): number | undefined {
  const panel = item.reading.observations.find(isBpPanel);
  const value = panel?.components?.find((c) => c.code === CATALOG[key].loinc)?.value;
  return value?.kind === 'quantity' ? value.value : undefined;
}

/**
 * The NIBP result as the simulated monitor sent it: the NA reply among the raw frames stored
 * with the reading, read through a read-only connection of the test's own and decoded by the
 * field positions of drivers/devices/ge-dinamap/PROTOCOL.md §3.1 (0-based: 3 status, 6–9
 * seconds since, 10–12 systolic, 13–15 diastolic, 16–18 mean).
 */
function nibpOnWire(readingId: string): { status: string; secondsSince: number; sys: number; dia: number; map: number } {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const frames = db
      .prepare<[string], { bytes: Buffer }>('SELECT f.bytes FROM reading_frames rf JOIN raw_frames f ON f.id = rf.frame_id WHERE rf.reading_id = ? ORDER BY rf.ordinal')
      .all(readingId)
      .map((f) => Buffer.from(f.bytes).toString('latin1'));
    const na = frames.find((t) => t.startsWith(' NA'));
    if (!na) throw new Error(`no NA reply stored with reading ${readingId}; frames: ${JSON.stringify(frames)}`);
    return { status: na.slice(3, 4), secondsSince: Number(na.slice(6, 10)), sys: Number(na.slice(10, 13)), dia: Number(na.slice(13, 16)), map: Number(na.slice(16, 19)) };
  } finally {
    db.close();
  }
}

/** The page's own rendering of a minute column's time, `HH:MM` in its local time (as formatInstant does). */
const localMinute = (iso: string): Promise<string> =>
  page.evaluate(`(() => { const d = new Date(${JSON.stringify(iso)}); const p = (n) => String(n).padStart(2, '0'); return p(d.getHours()) + ':' + p(d.getMinutes()); })()`) as Promise<string>;

/**
 * Press a command button on the DINAMAP card and wait for the monitor's answer to it on the card:
 * a NEW answer (the card numbers them; a second Start BP is answered with the same words).
 */
async function press(command: 'start-bp' | 'cancel-bp', label: string): Promise<void> {
  const answer = byTest(`command-answer-${dinamap}`);
  const before = (await answer.count()) === 0 ? 0 : Number(await answer.getAttribute('data-answer'));
  await byTest(`command-${command}-${dinamap}`).click();
  await expect.poll(async () => ((await answer.count()) === 0 ? 0 : Number(await answer.getAttribute('data-answer'))), { timeout: 30_000 }).toBeGreaterThan(before);
  expect(await answer.textContent()).toMatch(new RegExp(`^${label}: the device accepted it \\(`));
}

describe('Start BP on the live DINAMAP card (Chromium, pochub serve --demo)', () => {
  it('the patient selected, Start BP gives her a pending BP reading shown as systolic/diastolic (mean), the values the monitor sent', async () => {
    await byTest('patient-mrn-input').fill(PATIENT.mrn);
    await byTest('patient-mrn-input').press('Enter');
    await byTest('patient-dob-input').fill(PATIENT.birthDate);
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-banner').getAttribute('data-state')).toBe('selected');

    // The demo's DINAMAP is the cart's own monitor: bedside, the driver's default (a demo device has no port to set it on).
    await expect.poll(async () => (await api<DeviceStatus[]>('listDevices')).find((d) => d.driverId === DRIVER)?.connection, { timeout: 30_000 }).toBe('simulated');
    const device = (await api<DeviceStatus[]>('listDevices')).find((d) => d.driverId === DRIVER);
    expect(device).toMatchObject({ role: 'bedside', kind: 'continuous' });
    expect(device?.commands?.map((c) => c.id)).toEqual(['start-bp', 'cancel-bp']);
    dinamap = device?.key ?? '';
    const card = byTest(`live-${dinamap}`);
    await expect.poll(() => card.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await byTest(`command-start-bp-${dinamap}`).textContent()).toBe('Start BP');
    expect(await byTest(`command-cancel-bp-${dinamap}`).textContent()).toBe('Cancel BP');
    // The session is polling (its live values reach the card) before the command is sent.
    await expect.poll(() => card.locator('.live-status').textContent(), { timeout: 30_000 }).toMatch(/^Valid · /);

    // The monitor's SpO2 readings of her so far are decided, and the list shows this monitor's
    // only: the BP row then lands near the top of the (virtual) list, whatever arrived before.
    for (const pendingOfHers of (await api<ReviewItem[]>('listReview')).filter((i) => i.reading.driver === DRIVER && i.patient?.mrn === PATIENT.mrn)) {
      await api('confirmReading', { readingId: pendingOfHers.id, acknowledge: [...(pendingOfHers.checks?.critical.length ? (['critical'] as const) : []), ...(pendingOfHers.checks?.old ? (['old'] as const) : [])] });
    }
    await byTest('review-filter-device').selectOption(dinamap);

    const before = new Set((await dinamapBps()).map((i) => i.id));
    const pressedAt = Date.now();
    await press('start-bp', 'Start BP');
    await shotOf(`live-${dinamap}`, 'bp-01-start-bp-answer');

    // The cuff inflates and deflates (INFLATION_MS in the simulator); then one new BP reading.
    await expect.poll(async () => (await dinamapBps()).filter((i) => !before.has(i.id)).length, { timeout: 90_000 }).toBe(1);
    const item = (await dinamapBps()).find((i) => !before.has(i.id));
    if (!item) throw new Error('the BP reading went away');
    expect(item).toMatchObject({ state: 'pending', deviceRole: 'bedside', patient: { mrn: PATIENT.mrn } });
    expect(Date.parse(item.reading.effectiveTime)).toBeGreaterThanOrEqual(pressedAt - 1000);

    // The numbers are the ones on the wire: a complete determination (status 1), just made.
    const wire = nibpOnWire(item.id);
    expect(wire.status).toBe('1');
    expect(wire.secondsSince).toBeLessThan(60);
    expect({ sys: component(item, 'bpSystolic'), dia: component(item, 'bpDiastolic'), map: component(item, 'bpMean') }).toEqual({ sys: wire.sys, dia: wire.dia, map: wire.map });
    const shown = `${wire.sys}/${wire.dia} (${wire.map})`;

    // Her row: assigned, one "Blood pressure 124/78 (92) mmHg" line, no separate systolic/diastolic/mean lines.
    const row = byTest(`reading-${item.id}`);
    await expect.poll(() => row.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await row.getAttribute('data-assigned')).toBe('true');
    expect(await byTest(`patient-of-${item.id}`).textContent()).toContain(PATIENT.mrn);
    const lines = row.locator('.obs-list .obs');
    const names = await lines.locator('.obs-name').allTextContents();
    expect(names[0]).toBe('Blood pressure');
    expect(names.filter((n) => /systolic|diastolic|mean/i.test(n))).toEqual([]);
    expect(await lines.first().locator('.obs-value').textContent()).toBe(shown);
    expect(await lines.first().locator('.obs-unit').textContent()).toBe('mmHg');
    // …read as one value: "123/78 (92)" on one line, its unit beside it, not broken apart.
    const value = await lines.first().locator('.obs-value').boundingBox();
    const unit = await lines.first().locator('.obs-unit').boundingBox();
    const lineHeight = Number(await page.evaluate(`parseFloat(getComputedStyle(document.querySelector('[data-testid="reading-${item.id}"] .obs-value')).lineHeight)`));
    expect(lineHeight).toBeGreaterThan(0);
    expect(value?.height ?? Infinity).toBeLessThan(lineHeight * 1.5);
    expect(Math.abs((unit?.y ?? 0) + (unit?.height ?? 0) - ((value?.y ?? 0) + (value?.height ?? 0)))).toBeLessThan(lineHeight / 2);
    // The whole row in view under the live cards, for the picture.
    await page.evaluate(`document.querySelector('[data-testid="reading-${item.id}"]').scrollIntoView({ block: 'start' })`);
    await shot('bp-02-review-row');

    await byTest(`confirm-${item.id}`).click();
    await expect.poll(async () => (await dinamapBps()).find((i) => i.id === item.id)?.state, { timeout: 30_000 }).toBe('confirmed');

    // History: the BP row of the flowsheet shows it, systolic/diastolic (mean), in the column of its minute.
    await byTest('nav-history').click();
    const bpRow = byTest('flowsheet-row-bp|mm[Hg]');
    await expect.poll(() => bpRow.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await bpRow.getByRole('rowheader').textContent()).toBe('Blood pressure (mmHg)');
    const minute = new Date(Math.floor(Date.parse(item.reading.effectiveTime) / 60_000) * 60_000).toISOString();
    const entry = bpRow.locator(`td[data-col="${minute}"] [data-reading-id="${item.id}"]`);
    await expect.poll(() => entry.count(), { timeout: 30_000 }).toBe(1);
    expect(await entry.locator('strong').textContent()).toBe(shown);
    expect(await entry.getAttribute('data-state')).toBe('confirmed');
    expect(await byTest(`flowsheet-col-${minute}`).locator('.fs-time').textContent()).toBe(await localMinute(minute));
    // Only the joined value: the reading shows nowhere else in the grid (no systolic, diastolic or mean rows of its own).
    expect(await byTest('flowsheet').locator(`[data-reading-id="${item.id}"]`).count()).toBe(1);
    await shot('bp-03-flowsheet');
  }, 240_000);

  it('Cancel BP while the cuff inflates gives no reading', async () => {
    await byTest('nav-review').click();
    await expect.poll(() => byTest(`live-${dinamap}`).isVisible(), { timeout: 30_000 }).toBe(true);
    const before = new Set((await dinamapBps()).map((i) => i.id));
    await press('start-bp', 'Start BP');
    await press('cancel-bp', 'Cancel BP');
    const cancelledAt = Date.now();
    await shotOf(`live-${dinamap}`, 'bp-04-cancel-bp-answer');
    // Wait until the driver has polled the monitor past the moment the determination would have
    // ended (INFLATION_MS after Start BP, which went out before the cancel's answer): a result
    // then would already be stored, since a reading is stored before its cycle's live values go out.
    const dueBy = cancelledAt + INFLATION_MS + 1000;
    await expect
      .poll(async () => Date.parse((await api<DeviceStatus[]>('listDevices')).find((d) => d.key === dinamap)?.live?.at ?? '') || 0, { timeout: 90_000 })
      .toBeGreaterThan(dueBy);
    expect((await dinamapBps()).filter((i) => !before.has(i.id))).toEqual([]);
  }, 180_000);
});
