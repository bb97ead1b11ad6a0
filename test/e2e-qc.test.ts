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
import { screenshotFolder } from './helpers/screenshots.ts';
import { pageAnswer, pageValue } from './helpers/hub-page.ts';

/**
 * QC end to end (docs/architecture.md §8 rule 11): the real UI in Chromium against `pochub serve`
 * (not demo). An admin adds a control lot; a OneTouch Ultra 2 simulator on one end of a socat pty
 * pair holds two control results and three patient results; the hub downloads it on the other
 * end. Failing the first control locks the meter (the result measured after it cannot be
 * confirmed, in the page and at the API); passing the second unlocks it for later results.
 */
const shots = screenshotFolder();
const DRIVER = 'lifescan-onetouch-ultra2';
const BADGE = '3001';
const PIN = '3456';
let data = '';
let hub: CliProcess;
let meter: CliProcess | undefined;
let pair: PtyPair;
let browser: Browser;
let page: Page;
let url = '';

/** `pochub operators add`, the PIN on standard input as a person pipes it in. */
function addAdmin(dir: string): Promise<void> {
  return addOperatorByCli(dir, { name: 'Quinn Coordinator', badge: BADGE, role: 'admin', pin: PIN });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-qc-'));
  await addAdmin(data);
  pair = await createPtyPair();
  hub = startCli(['serve', '--port', '0', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  meter?.child.kill('SIGTERM');
  hub?.child.kill('SIGTERM');
  await hub?.done;
  await pair?.close();
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const byTest = (id: string) => page.getByTestId(id);

/** Call the hub's API through the page's own session, as the page does. */
const api = <T>(method: string, input: unknown): Promise<ApiResult<T>> => pageAnswer<T>(page, method, input);
const value = <T>(method: string, input: unknown): Promise<T> => pageValue<T>(page, method, input);
const glucose = (item: ReviewItem): number | undefined => {
  const v = item.reading.observations[0]?.value;
  return v?.kind === 'quantity' ? v.value : undefined;
};
const meterResult = async (method: 'listReview' | 'listQc', mgdl: number): Promise<ReviewItem> => {
  const found = (await value<ReviewItem[]>(method, {})).find((i) => i.reading.driver === DRIVER && glucose(i) === mgdl);
  if (!found) throw new Error(`no ${mgdl} mg/dL result in ${method}`);
  return found;
};

describe('QC in Chromium against pochub serve', () => {
  it('an admin adds a control lot with its level range on the QC lots screen', async () => {
    await page.goto(url);
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-pin').press('Enter');
    await byTest('nav-qc-lots').click();
    await byTest('qc-lot-add').click();
    await byTest('qc-lot-number').fill('L123');
    await byTest('qc-lot-analyte').selectOption('glucoseMassMeter');
    await byTest('qc-lot-expires').fill('2099-12-31');
    await byTest('qc-level-name-0').fill('1');
    await byTest('qc-level-low-0').fill('30');
    await byTest('qc-level-high-0').fill('60');
    await byTest('qc-level-add').click();
    await byTest('qc-level-name-1').fill('2');
    await byTest('qc-level-low-1').fill('250');
    await byTest('qc-level-high-1').fill('300');
    await byTest('qc-lot-save').click();
    await byTest('qc-lot-L123').waitFor();
    expect(await byTest('qc-lot-L123').textContent()).toContain('Level 2: 250–300 mg/dL');
    // A lot already expired is refused in words.
    await byTest('qc-lot-add').click();
    await byTest('qc-lot-number').fill('OLD1');
    await byTest('qc-lot-expires').fill('2020-01-31');
    await byTest('qc-level-low-0').fill('30');
    await byTest('qc-level-high-0').fill('60');
    await byTest('qc-lot-save').click();
    await expect.poll(() => byTest('qc-lot-error').textContent()).toContain('Lot OLD1 expired on 2020-01-31: an expired lot cannot be added.');
  }, 60_000);

  it('downloads a meter holding two controls; a failed control locks it and its later patient result cannot be confirmed', async () => {
    meter = startCli(['simulate', '--driver', DRIVER, '--port', pair.a, '--scenario', 'qc-check']);
    await meter.waitForStderr('simulating');
    const port = await value<{ id: string }>('addPort', { transport: 'serial', path: pair.b });
    await value('assignPort', { portId: port.id, driverId: DRIVER, autoConnect: true });
    await byTest('nav-qc').click();
    await expect.poll(async () => (await value<ReviewItem[]>('listQc', {})).length, { timeout: 30_000 }).toBe(2);

    const failing = await meterResult('listQc', 320);
    await expect.poll(() => byTest(`qc-verdict-${failing.id}`).textContent(), { timeout: 10_000 }).toBe('Not evaluated');
    await byTest(`qc-lot-${failing.id}`).selectOption({ label: 'L123 (expires 2099-12-31)' });
    await byTest(`qc-level-${failing.id}`).selectOption('2');
    await byTest(`qc-evaluate-${failing.id}`).click();
    await expect.poll(() => byTest(`qc-verdict-${failing.id}`).textContent()).toBe('Fail: out of range');
    expect(await byTest(`qc-${failing.id}`).textContent()).toContain('250–300 mg/dL');
    const lock = byTest(`qc-lock-${failing.deviceKey}`);
    await expect.poll(() => lock.textContent()).toMatch(/The QC of the LifeScan OneTouch Ultra 2 \(SN \w+\) failed at \d\d:\d\d \(lot L123 level 2: 320 mg\/dL, expected 250–300\)/);
    await page.screenshot({ path: join(shots.dir, 'qc-log-locked.png') });

    // The meter's patient results wait in its memory: the patient (not on file: added as a new
    // local one) is selected, then the recent results are imported for them.
    await byTest('nav-review').click();
    await byTest('patient-mrn-input').fill('MRN-QC-1');
    await byTest('patient-dob-input').fill('1970-05-06');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(/^No patient with MRN MRN-QC-1 on file/);
    await byTest('patient-create-local-start').click();
    await byTest('patient-name-input').fill('Casey Control');
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('patient-banner').getAttribute('data-state')).toBe('selected');
    const memoryCount = page.locator('[data-testid^="memory-count-"]').first();
    await expect.poll(() => memoryCount.textContent(), { timeout: 10_000 }).toBe('3');
    await page.locator('[data-testid^="memory-open-"]').first().click();
    await expect.poll(() => byTest('memory-patient').textContent()).toContain('MRN-QC-1');
    await expect.poll(() => page.locator('[data-testid^="memory-result-"][data-recent="true"]').count()).toBe(3);
    await byTest('memory-import-submit').click();
    await expect.poll(() => byTest('memory-import').count()).toBe(0);

    // The patient result measured after the failed control: assigned, but not confirmable.
    const held = await meterResult('listReview', 120);
    expect(held.patient?.mrn).toBe('MRN-QC-1');
    await expect.poll(() => byTest(`blocked-${held.id}`).textContent(), { timeout: 10_000 }).toMatch(/QC of the .* failed at .* Run a passing control, then confirm\./);
    expect(await byTest(`confirm-${held.id}`).isDisabled()).toBe(true);
    // The rule holds at the hub, not only in the page.
    const refused = await api('confirmReading', { readingId: held.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('failed at') });
  }, 90_000);

  it('a passing control unlocks the meter: a result measured after it is confirmed; the one measured under the failed QC stays held', async () => {
    await byTest('nav-qc').click();
    const passing = await meterResult('listQc', 280);
    await byTest(`qc-lot-${passing.id}`).selectOption({ label: 'L123 (expires 2099-12-31)' });
    await byTest(`qc-level-${passing.id}`).selectOption('2');
    await byTest(`qc-evaluate-${passing.id}`).click();
    await expect.poll(() => byTest(`qc-verdict-${passing.id}`).textContent()).toBe('Pass');
    await expect.poll(() => page.locator('[data-testid^="qc-lock-"]').count()).toBe(0);

    await byTest('nav-review').click();
    const after = await meterResult('listReview', 110);
    expect(after.patient?.mrn).toBe('MRN-QC-1');
    await expect.poll(() => byTest(`confirm-${after.id}`).isEnabled(), { timeout: 10_000 }).toBe(true);
    await byTest(`confirm-${after.id}`).click();
    await expect.poll(async () => (await value<ReviewItem[]>('getHistory', { mrn: 'MRN-QC-1' })).find((i) => i.id === after.id)?.state).toBe('confirmed');

    const held = await meterResult('listReview', 120);
    await expect.poll(() => byTest(`blocked-${held.id}`).textContent()).toMatch(/measured before the passing control: reject it and measure again\./);

    // The lot screen with the meter among the devices whose QC interval an admin sets.
    await byTest('nav-qc-lots').click();
    await byTest('qc-lot-L123').waitFor();
    await page.getByRole('cell', { name: /OneTouch/ }).first().waitFor();
    await page.screenshot({ path: join(shots.dir, 'qc-lots.png') });
  }, 60_000);
});
