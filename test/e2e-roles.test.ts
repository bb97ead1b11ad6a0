import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../shared/api/model.ts';
import type { Port } from '../shared/api/ports-model.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { pageValue } from './helpers/hub-page.ts';

/**
 * Device roles end to end (docs/architecture.md §8, "Device roles"): the real UI in Chromium
 * against `pochub serve` (not demo), three simulated devices on socat pty pairs — a Clinitek
 * urine analyzer (shared by default), a OneTouch Ultra 2 meter (memory) and a Masimo oximeter
 * (bedside). Shows the roles on the Devices screen, the meter's memory kept out of the review
 * list and imported for a chosen patient with a 2-hour window, the analyzer's sample id
 * proposing a patient (and not proposing one), and the bedside rule on both sides of the
 * patient's selection.
 */
const shots = screenshotFolder();
const BADGE = '3001';
const PIN = '3456';
/** Jane, not on file until she is added as a local patient at the meter import (MRN, date of birth and name). */
const PATIENT = { mrn: 'E2E-100', birthDate: '1961-04-23' };
const PATIENT_NAME = 'Jane Roles';
/** The Clinitek `results` scenario's second record carries sample id 2757. */
const SAMPLE_PATIENT = { mrn: '2757', name: 'Sam Sample' };
const SAMPLE_PATIENT_BIRTH_DATE = '1958-11-02';
let data = '';
let hub: CliProcess;
let browser: Browser;
let page: Page;
let url = '';
const pairs: Record<'analyzer' | 'meter' | 'oximeter', PtyPair | undefined> = { analyzer: undefined, meter: undefined, oximeter: undefined };
const portIds = { analyzer: '', meter: '', oximeter: '' };

function addOperator(dir: string): Promise<void> {
  return addOperatorByCli(dir, { name: 'Robin Roles', badge: BADGE, role: 'admin', pin: PIN });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-roles-'));
  await addOperator(data);
  pairs.analyzer = await createPtyPair();
  pairs.meter = await createPtyPair();
  pairs.oximeter = await createPtyPair();
  hub = startCli(['serve', '--port', '0', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  for (const pair of Object.values(pairs)) await pair?.close();
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const byTest = (id: string) => page.getByTestId(id);
const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });
/** One part of the page (the import panel, a row), for the README. */
const shotOf = (testId: string, name: string): Promise<Buffer> => byTest(testId).screenshot({ path: join(shots.dir, `${name}.png`) });

/** Call the API through the page's own session (as the page does), failing on an error answer. */
const api = <T>(method: string, input: unknown): Promise<T> => pageValue<T>(page, method, input);
const pending = (): Promise<ReviewItem[]> => api<ReviewItem[]>('listReview', {});
const fromDriver = (items: ReviewItem[], driver: string): ReviewItem[] => items.filter((i) => i.reading.driver === driver);
/** Confirm as the person would after the page's second question: acknowledging a critical value or an old result it flags. */
const confirm = (item: ReviewItem): Promise<ReviewItem> =>
  api<ReviewItem>('confirmReading', {
    readingId: item.id,
    acknowledge: [...(item.checks?.critical.length ? (['critical'] as const) : []), ...(item.checks?.old ? (['old'] as const) : [])],
  });

/** Add the pty end by path and assign the driver (options as given); answers with the port id. */
async function setUpPort(pair: PtyPair, driverId: string, autoConnect: boolean, options?: Record<string, number | boolean | string>): Promise<string> {
  const port = await api<Port>('addPort', { transport: 'serial', path: pair.b });
  await api<Port>('assignPort', { portId: port.id, driverId, autoConnect, ...(options ? { options } : {}) });
  return port.id;
}

describe('device roles in Chromium against pochub serve', () => {
  it('the Devices screen shows each device’s role: the driver’s default until biomed staff choose', async () => {
    await page.goto(url);
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-pin').press('Enter');
    await expect.poll(() => byTest('nav-devices').isVisible()).toBe(true);
    portIds.analyzer = await setUpPort(pairs.analyzer as PtyPair, 'siemens-clinitek-status', true);
    portIds.oximeter = await setUpPort(pairs.oximeter as PtyPair, 'masimo-rad8', true, { stabilityWindowSeconds: 2 });
    // The meter answers only while its simulator plays: connected later, once it does.
    portIds.meter = await setUpPort(pairs.meter as PtyPair, 'lifescan-onetouch-ultra2', false);
    await byTest('nav-devices').click();
    for (const [device, role] of [['analyzer', 'shared'], ['meter', 'memory'], ['oximeter', 'bedside']] as const) {
      await expect.poll(() => byTest(`port-role-name-${portIds[device]}`).getAttribute('data-role')).toBe(role);
    }
    expect(await byTest(`port-role-name-${portIds.analyzer}`).textContent()).toContain('Shared — used for several patients');
    expect(await byTest(`port-role-name-${portIds.meter}`).textContent()).toContain('Memory — results downloaded from the device’s memory');
    expect(await byTest(`port-role-name-${portIds.oximeter}`).textContent()).toContain('Bedside — the cart’s own device');
    await shot('roles-01-devices');
  });

  it('a meter’s memory stays out of the review list; the import needs the patient first, pre-selects the last 2 hours and asks before an old result', async () => {
    await api('startSimulator', { driverId: 'lifescan-onetouch-ultra2', path: (pairs.meter as PtyPair).a, scenario: 'mixed-ages' });
    await api('connectPort', { portId: portIds.meter });
    await byTest('nav-review').click();
    await expect.poll(() => page.locator('[data-testid^="memory-count-"]').first().textContent(), { timeout: 60_000 }).toBe('6');
    expect(await byTest('pending-count').textContent()).toBe('(0)');
    expect(await pending()).toEqual([]);

    await page.locator('[data-testid^="memory-open-"]').first().click();
    await expect.poll(() => byTest('memory-needs-patient').isVisible()).toBe(true);

    await byTest('patient-mrn-input').fill(PATIENT.mrn);
    await byTest('patient-mrn-input').press('Enter');
    await byTest('patient-dob-input').fill(PATIENT.birthDate);
    await byTest('patient-select').click();
    // Jane is not on file on this workstation: added as a local patient, a step of its own.
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(new RegExp(`^No patient with MRN ${PATIENT.mrn} on file`));
    await byTest('patient-create-local-start').click();
    await byTest('patient-name-input').fill(PATIENT_NAME);
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('memory-patient').textContent()).toContain(PATIENT.mrn);
    const recent = page.locator('[data-testid^="memory-result-"][data-recent="true"]');
    await expect.poll(() => recent.count()).toBe(3);
    for (const box of await recent.locator('input[type="checkbox"]').all()) expect(await box.isChecked()).toBe(true);
    const older = byTest('memory-older');
    expect(await older.locator('summary').textContent()).toBe('3 older results');
    expect(await older.getAttribute('open')).toBeNull();
    expect(await older.textContent()).toContain('15 days ago');
    await shotOf('memory-import', 'roles-02-memory-import');
    await byTest('memory-import-submit').click();
    await expect.poll(() => byTest('pending-count').textContent()).toBe('(3)');
    const imported = await pending();
    expect(imported.map((i) => i.patient?.mrn)).toEqual([PATIENT.mrn, PATIENT.mrn, PATIENT.mrn]);

    // The 15-day-old one: only with the acknowledgement.
    await expect.poll(() => page.locator('[data-testid^="memory-count-"]').first().textContent()).toBe('3');
    await page.locator('[data-testid^="memory-open-"]').first().click();
    await byTest('memory-older').locator('summary').click();
    const fifteenDays = page.locator('[data-testid^="memory-result-"]', { hasText: '15 days ago' });
    await fifteenDays.locator('input[type="checkbox"]').check();
    await expect.poll(() => byTest('memory-ack').isVisible()).toBe(true);
    expect(await byTest('memory-import-submit').isDisabled()).toBe(true);
    await byTest('memory-ack').check();
    await byTest('memory-import-submit').click();
    await expect.poll(() => byTest('pending-count').textContent()).toBe('(4)');
    await expect.poll(() => page.locator('[data-testid^="memory-count-"]').first().textContent()).toBe('2');
    // Imported results are confirmed like any other (the two older ones stay in the meter's memory, kept).
    for (const item of await pending()) await confirm(item);
    await expect.poll(() => byTest('pending-count').textContent()).toBe('(0)');
  }, 120_000);

  it('a shared analyzer’s results are never assigned on arrival; a matching sample id proposes its patient, accepted once selected', async () => {
    // Sam is on file (identified once before, added as a local patient); then Jane is selected again.
    await api('selectPatient', { ...SAMPLE_PATIENT, birthDate: SAMPLE_PATIENT_BIRTH_DATE, createLocal: true });
    await api('selectPatient', PATIENT);
    await expect.poll(() => byTest('patient-mrn').textContent()).toContain(PATIENT.mrn);
    await api('startSimulator', { driverId: 'siemens-clinitek-status', path: (pairs.analyzer as PtyPair).a, scenario: 'results' });
    await expect.poll(async () => fromDriver(await pending(), 'siemens-clinitek-status').length, { timeout: 30_000 }).toBe(3);
    const strips = fromDriver(await pending(), 'siemens-clinitek-status');
    expect(strips.map((i) => i.patient)).toEqual([undefined, undefined, undefined]);
    const proposed = strips.find((i) => i.reading.context?.sampleId === '2757');
    const unmatched = strips.find((i) => i.reading.context?.sampleId === '2756');
    if (!proposed || !unmatched) throw new Error('the Clinitek results lack their sample ids');
    expect(proposed.proposedPatient?.mrn).toBe('2757');
    expect(unmatched.proposedPatient).toBeUndefined();

    await expect.poll(() => byTest(`proposal-${proposed.id}`).getAttribute('data-proposed')).toBe('2757');
    expect(await byTest(`proposal-${unmatched.id}`).getAttribute('data-proposed')).toBe('');
    expect(await byTest(`sample-id-${unmatched.id}`).textContent()).toBe('2756');
    expect(await byTest(`proposal-${unmatched.id}`).textContent()).toContain('No patient on file with this ID');
    // Jane is selected: the proposal for Sam cannot be accepted for her.
    expect(await byTest(`accept-proposal-${proposed.id}`).isDisabled()).toBe(true);
    await shotOf(`reading-${proposed.id}`, 'roles-03-shared-proposal');

    await api('selectPatient', SAMPLE_PATIENT);
    await expect.poll(() => byTest(`accept-proposal-${proposed.id}`).isDisabled()).toBe(false);
    await byTest(`accept-proposal-${proposed.id}`).click();
    await expect.poll(() => byTest(`reading-${proposed.id}`).getAttribute('data-assigned')).toBe('true');
    expect(await byTest(`reading-${unmatched.id}`).getAttribute('data-assigned')).toBe('false');
    // Decided, so the next part starts from an empty list: Sam's confirmed, the other two set aside.
    await confirm((await pending()).find((i) => i.id === proposed.id) ?? proposed);
    for (const item of fromDriver(await pending(), 'siemens-clinitek-status')) await api('rejectReading', { readingId: item.id, reason: 'test-or-training' });
    await expect.poll(() => byTest('pending-count').textContent()).toBe('(0)');
  }, 90_000);

  it('bedside: a result measured before the patient was selected waits unassigned; one measured after is proposed for them', async () => {
    // Biomed staff make the analyzer a bedside device on the Devices screen.
    await byTest('nav-devices').click();
    await byTest(`port-open-${portIds.analyzer}`).click();
    await byTest(`port-role-${portIds.analyzer}`).selectOption('bedside');
    await expect.poll(() => byTest(`port-role-name-${portIds.analyzer}`).getAttribute('data-role')).toBe('bedside');
    for (const sim of await api<{ id: string; driverId: string }[]>('listSimulators', {})) {
      if (sim.driverId === 'siemens-clinitek-status') await api('stopSimulator', { id: sim.id });
    }
    await byTest('nav-review').click();
    // The analyzer stamps results to the minute: one printed in the minute Jane is selected may
    // have been measured before her selection, so it must wait unassigned. Select her a few
    // seconds into a minute, then let the analyzer send its first strip (2 s later, same minute).
    await expect.poll(() => new Date().getUTCSeconds(), { timeout: 60_000, interval: 250 }).toSatisfy((sec: number) => sec >= 3 && sec <= 30);
    await api('selectPatient', PATIENT);
    const selectedAt = Date.now();
    await api('startSimulator', { driverId: 'siemens-clinitek-status', path: (pairs.analyzer as PtyPair).a, scenario: 'stream' });
    await expect.poll(async () => fromDriver(await pending(), 'siemens-clinitek-status').length, { timeout: 30_000 }).toBeGreaterThan(0);
    const before = fromDriver(await pending(), 'siemens-clinitek-status')[0];
    expect(Date.parse(before?.reading.effectiveTime ?? '')).toBeLessThan(selectedAt);
    expect(before).toMatchObject({ deviceRole: 'bedside' });
    expect(before?.patient).toBeUndefined();
    await expect.poll(() => byTest(`reading-${before?.id ?? ''}`).getAttribute('data-assigned')).toBe('false');
    for (const sim of await api<{ id: string; driverId: string }[]>('listSimulators', {})) {
      if (sim.driverId === 'siemens-clinitek-status') await api('stopSimulator', { id: sim.id });
    }

    // The cart's oximeter measures now, with Jane selected: proposed for her.
    await api('startSimulator', { driverId: 'masimo-rad8', path: (pairs.oximeter as PtyPair).a, scenario: 'spot-check' });
    await expect.poll(async () => fromDriver(await pending(), 'masimo-rad8').length, { timeout: 60_000 }).toBeGreaterThan(0);
    const after = fromDriver(await pending(), 'masimo-rad8')[0];
    expect(after).toMatchObject({ deviceRole: 'bedside', patient: { mrn: PATIENT.mrn } });
    expect(Date.parse(after?.reading.effectiveTime ?? '')).toBeGreaterThanOrEqual(selectedAt - 1000);
    await expect.poll(() => byTest(`reading-${after?.id ?? ''}`).getAttribute('data-assigned')).toBe('true');
    await shot('roles-04-bedside');
  }, 150_000);
});
