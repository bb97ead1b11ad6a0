import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../shared/api/client.ts';
import type { ReviewItem } from '../shared/api/model.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';
import { pageAnswer, pageValue } from './helpers/hub-page.ts';

/**
 * Plausibility and age of results end to end (docs/architecture.md §8): the real UI in Chromium
 * against `pochub serve` (not demo) with its own data folder. A value typed in outside what can
 * be measured is refused in the form; a critical one waits pending and is confirmed only after
 * the second question; a urine result (a Clinitek simulator on a socat pty pair) older than the
 * workstation's age limit (set to one minute by a configuration file) asks once more before it
 * is confirmed. The same rules answer over HTTP.
 */
const BADGE = '3001';
const PIN = '3456';
const DRIVER = 'siemens-clinitek-status';
const PATIENT = { mrn: 'LIM-0001', birthDate: '1975-06-30', name: 'Lena Limits' };
let data = '';
let hub: CliProcess;
let pair: PtyPair;
let browser: Browser;
let page: Page;
let url = '';

/** `pochub operators add` (admin: reviews results and may set up the analyzer's port), PIN on standard input. */
function addOperator(dir: string): Promise<void> {
  return addOperatorByCli(dir, { name: 'Lee Limits', badge: BADGE, role: 'admin', pin: PIN });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-limits-'));
  await addOperator(data);
  pair = await createPtyPair();
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
  await pair?.close();
  if (data) rmSync(data, { recursive: true, force: true });
});

const byTest = (id: string) => page.getByTestId(id);

/** Call the hub's HTTP API as the page does (its token, its signed-in operator). */
const api = <T>(method: string, input: unknown = {}): Promise<ApiResult<T>> => pageAnswer<T>(page, method, input);
const value = <T>(method: string, input: unknown = {}): Promise<T> => pageValue<T>(page, method, input);
const stateOf = async (id: string): Promise<string | undefined> => (await value<ReviewItem[]>('getHistory', { mrn: PATIENT.mrn })).find((i) => i.id === id)?.state;

/** Type a value by hand and submit it. */
async function enterByHand(code: string, text: string): Promise<void> {
  await byTest('manual-code').selectOption(code);
  await byTest('manual-value').fill(text);
  await byTest('manual-submit').click();
}

describe('plausibility and age of results in Chromium against pochub serve', () => {
  it('signs in and selects the patient', async () => {
    await page.goto(url);
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-pin').press('Enter');
    await expect.poll(() => byTest('signout').isVisible()).toBe(true);
    await byTest('patient-mrn-input').fill(PATIENT.mrn);
    await byTest('patient-mrn-input').press('Enter');
    await byTest('patient-dob-input').fill(PATIENT.birthDate);
    await byTest('patient-select').click();
    // A fresh workstation has nobody on file: she is added as a local patient, as the page offers.
    await byTest('patient-create-local-start').click();
    await byTest('patient-name-input').fill(PATIENT.name);
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('patient-banner').getAttribute('data-state')).toBe('selected');
    expect(await byTest('patient-mrn').textContent()).toBe(PATIENT.mrn);
  });

  it('refuses SpO₂ 250 % typed in, in the form, with the limits; over HTTP too', async () => {
    await enterByHand('spo2', '250');
    await expect.poll(() => page.locator('.form--manual .form-error').textContent()).toContain('SpO₂ 250 % is outside what can be measured (0–100 %)');
    expect(await page.locator('[data-testid^="reading-"]').count()).toBe(0);
    const answer = await api<ReviewItem>('enterManual', { code: 'spo2', value: 250, unit: '%' });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error).toMatchObject({ code: 'INPUT_INVALID', message: 'SpO₂ 250 % is outside what can be measured (0–100 %). Check the value and type it again.' });
    // A 40-digit number is refused before it is sent.
    await enterByHand('bodyWeight', '1234567890123456789012345678901234567890');
    await expect.poll(() => page.locator('.form--manual .form-error').textContent()).toMatch(/more than 7 digits/);
    const huge = await api<ReviewItem>('enterManual', { code: 'bodyWeight', value: 1234567890123456789012345678901234567890, unit: 'kg' });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.error).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/more digits than any measurement/) });
  });

  it('shows what will be saved, stores SpO₂ 45 % pending, and confirms it only after the critical question', async () => {
    await byTest('manual-code').selectOption('spo2');
    await byTest('manual-value').fill('45');
    expect(await byTest('manual-preview').textContent()).toBe(`Will be saved for MRN ${PATIENT.mrn} · ${PATIENT.name}: SpO₂ 45 %, pending until you confirm it.`);
    await byTest('manual-submit').click();
    const row = page.locator('[data-testid^="reading-"][data-state="pending"]').first();
    await expect.poll(() => row.count()).toBe(1);
    const id = ((await row.getAttribute('data-testid')) ?? '').slice('reading-'.length);
    expect(await byTest(`check-critical-${id}`).textContent()).toBe('Critical: SpO₂ 45 % is critically low (below 88 %)');
    expect(await stateOf(id)).toBe('pending'); // not confirmed, not exported, until a person confirms it

    // Without the answer the hub refuses it, whatever the page does.
    const bare = await api<ReviewItem>('confirmReading', { readingId: id });
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.error.code).toBe('CONFLICT');

    await byTest(`confirm-${id}`).click();
    await expect.poll(() => byTest('second-confirm').isVisible()).toBe(true);
    expect(await byTest('second-confirm-critical').textContent()).toContain('SpO₂ 45 % is critically low (below 88 %).');
    expect(await byTest('second-confirm-question').textContent()).toBe(`Confirm it for ${PATIENT.name} (MRN ${PATIENT.mrn})?`);
    await byTest('second-confirm-cancel').click();
    await expect.poll(() => byTest('second-confirm').count()).toBe(0);
    expect(await stateOf(id)).toBe('pending');

    await byTest(`confirm-${id}`).click();
    await byTest('second-confirm-submit').click();
    await expect.poll(() => stateOf(id)).toBe('confirmed');
    await expect.poll(() => byTest(`reading-${id}`).count()).toBe(0);
    const audit = await value<Array<{ action: string; subject?: string; details: Record<string, unknown> }>>('listAudit', { limit: 20 });
    expect(audit.find((r) => r.action === 'reading.confirm' && r.subject === id)?.details).toMatchObject({ acknowledged: ['critical'] });
  });

  it('a result older than the workstation’s limit shows its age and asks once more before it is confirmed', { timeout: 240_000 }, async () => {
    // The limit comes from the workstation configuration; one minute, so a result from the
    // analyzer becomes old while the test waits (a live result is dated by its receipt).
    await value('importConfig', { config: { format: 'pochub-workstation-config', version: 1, review: { resultAgeMinutes: 1 } } });
    expect((await value<{ review: { resultAgeMinutes: number } }>('exportConfig')).review).toEqual({ resultAgeMinutes: 1 });
    const port = await value<{ id: string }>('addPort', { transport: 'serial', path: pair.b });
    await value('assignPort', { portId: port.id, driverId: DRIVER, autoConnect: false });
    await value('connectPort', { portId: port.id });
    const portState = async (): Promise<string | undefined> => (await value<Array<{ id: string; state: string }>>('listPorts')).find((p) => p.id === port.id)?.state;
    await expect.poll(portState, { timeout: 10_000 }).toBe('connected');
    await value('startSimulator', { driverId: DRIVER, path: pair.a, scenario: 'results' });
    const rows = page.locator('[data-testid^="reading-"][data-state="pending"]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const id = ((await rows.first().getAttribute('data-testid')) ?? '').slice('reading-'.length);
    // Assigned on arrival or waiting unassigned, depending on the analyzer's role: either way it is hers once assigned.
    if ((await byTest(`reading-${id}`).getAttribute('data-assigned')) === 'false') {
      await byTest(`assign-${id}`).click();
      await expect.poll(() => byTest(`reading-${id}`).getAttribute('data-assigned')).toBe('true');
    }
    const pendingItem = async (): Promise<ReviewItem | undefined> => (await value<ReviewItem[]>('listReview')).find((i) => i.id === id);
    await expect.poll(async () => (await pendingItem())?.checks?.old?.age, { timeout: 180_000, interval: 5_000 }).toMatch(/^\d+ minutes?$/);

    const bare = await api<ReviewItem>('confirmReading', { readingId: id });
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.error.message).toMatch(/^This result was measured \d+ minutes? ago: confirm that it belongs to this visit\.$/);

    // The page learns of the age when it reads the list again.
    await page.reload();
    await expect.poll(() => byTest(`check-old-${id}`).textContent(), { timeout: 20_000 }).toMatch(/^Measured \d+ minutes? ago$/);
    await byTest(`confirm-${id}`).click();
    await expect.poll(() => byTest('second-confirm').isVisible()).toBe(true);
    expect(await byTest('second-confirm-old').textContent()).toMatch(/^This result is \d+ minutes? old\.$/);
    expect(await byTest('second-confirm-question').textContent()).toBe(`Confirm it for ${PATIENT.name} (MRN ${PATIENT.mrn})?`);
    await byTest('second-confirm-submit').click();
    await expect.poll(() => stateOf(id)).toBe('confirmed');
    const audit = await value<Array<{ action: string; subject?: string; details: Record<string, unknown> }>>('listAudit', { limit: 50 });
    expect(audit.find((r) => r.action === 'reading.confirm' && r.subject === id)?.details['acknowledged']).toContain('old');
  });
});
