/**
 * A meter's folder added on the Devices screen in Chromium against a real `pochub serve` (not
 * demo: the demo plays this meter too): the add-port form with its folder path, the driver
 * chosen, the report read, the readings on the Review screen as the meter's memory and imported
 * for a patient; the folder gone, the card says so (docs/architecture.md §6).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_ROWS, reportText } from '../drivers/devices/roche-accu-chek-mobile/simulated-device.ts';
import { addOperatorByCli } from './helpers/cli.ts';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';

const OPERATOR = { badge: '5001', pin: '5678' };
const PATIENT = { mrn: 'UI-FOLDER-1', birthDate: '1966-09-12', name: 'Reports, Rhea' };
const root = mkdtempSync(join(tmpdir(), 'pochub-folder-ui-'));
const volume = join(root, 'media', 'ACCU-CHEK');
const portId = `folder:${volume}`;
let hp: HubPage;

beforeAll(async () => {
  mkdirSync(join(volume, 'Reports'), { recursive: true });
  // Made four hours ahead of now: its newest result (5 h 11 min before that) is a recent one, the rest older.
  writeFileSync(join(volume, 'Reports', 'report.csv'), reportText(Date.now() + 4 * 3_600_000, MEMORY_ROWS));
  const data = join(root, 'data');
  await addOperatorByCli(data, { name: 'Folder UI Admin', badge: OPERATOR.badge, role: 'admin', pin: OPERATOR.pin });
  hp = await openHubPage({ serve: ['--data', data] });
  await signIn(hp.page, OPERATOR);
}, 90_000);

afterAll(async () => {
  await hp?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("a meter's folder in Chromium", () => {
  it('is added through the form, read, and its readings are on the Review screen as the meter memory, imported for a patient', async () => {
    const { page } = hp;
    const byTest = (id: string) => page.getByTestId(id);
    await byTest('nav-devices').click();
    await byTest('port-add-transport').selectOption('folder');
    // A relative path is refused in the form, before the hub is asked.
    await byTest('port-add-path').fill('media/ACCU-CHEK');
    await byTest('port-add-submit').click();
    await expect.poll(() => byTest('port-add-error').textContent()).toMatch(/not an absolute folder path/);
    await byTest('port-add-path').fill(volume);
    await byTest('port-add-submit').click();
    await expect.poll(() => byTest(`port-${portId}`).textContent(), { timeout: 30_000 }).toContain('Meter folder (report files on its disk) (added by hand)');

    await byTest(`port-open-${portId}`).click();
    await byTest(`port-driver-${portId}`).selectOption('roche-accu-chek-mobile');
    await byTest(`port-assign-${portId}`).click();
    await expect.poll(() => byTest(`port-${portId}`).getAttribute('data-state'), { timeout: 60_000 }).toBe('idle');
    await expect.poll(() => byTest(`port-state-${portId}`).textContent(), { timeout: 60_000 }).toBe('Connected (folder found)');
    expect(await byTest(`port-connect-${portId}`).textContent()).toBe('Read now');

    await byTest('nav-review').click();
    // Six patient results (the control test goes to the QC log, the row without a result is skipped).
    await expect.poll(() => page.locator('[data-testid^="memory-count-"]').first().textContent(), { timeout: 60_000 }).toBe('6');
    expect(await byTest('pending-count').textContent()).toBe('(0)');
    await page.locator('[data-testid^="memory-open-"]').first().click();
    await expect.poll(() => byTest('memory-needs-patient').isVisible()).toBe(true);
    await byTest('patient-mrn-input').fill(PATIENT.mrn);
    await byTest('patient-mrn-input').press('Enter');
    await byTest('patient-dob-input').fill(PATIENT.birthDate);
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(new RegExp(`^No patient with MRN ${PATIENT.mrn} on file`));
    await byTest('patient-create-local-start').click();
    await byTest('patient-name-input').fill(PATIENT.name);
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('memory-patient').textContent()).toContain(PATIENT.mrn);
    const recent = page.locator('[data-testid^="memory-result-"][data-recent="true"]');
    await expect.poll(() => recent.count()).toBe(1);
    expect(await recent.textContent()).toContain('5.8');
    await byTest('memory-import-submit').click();
    await expect.poll(() => byTest('pending-count').textContent(), { timeout: 30_000 }).toBe('(1)');
    await expect.poll(() => page.locator('[data-testid^="memory-count-"]').first().textContent()).toBe('5');
  }, 180_000);

  it('says on the card when the folder is gone (the meter unplugged)', async () => {
    const { page } = hp;
    rmSync(volume, { recursive: true, force: true });
    await page.getByTestId('nav-devices').click();
    // Each listing (every 2 s by default) looks at the folders again and announces the change.
    await expect.poll(() => page.getByTestId(`port-state-${portId}`).textContent(), { timeout: 30_000 }).toBe('Folder not found');
    expect(await page.getByTestId(`port-${portId}`).textContent()).toContain('is not there: is the meter connected');
  }, 60_000);
});
