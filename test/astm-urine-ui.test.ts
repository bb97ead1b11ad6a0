import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationConfig } from '../shared/config/workstation-config.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';
import { freePort } from './helpers/free-port.ts';
import { pageValue } from './helpers/hub-page.ts';

/**
 * The test-code map of an ASTM urine analyzer's port, edited on the Devices screen in Chromium
 * against a real `pochub serve`: a port the hub listens on, the astm-urine driver chosen, a map
 * entry naming a code the catalog lacks refused (at once in the row, and by the hub on Save),
 * then corrected and saved; the saved map is what the configuration export carries.
 */
const BADGE = '2001';
const PIN = '2345';
const OPTION = 'driver-option-testCodes';
let data = '';
let hub: CliProcess;
let browser: Browser;
let page: Page;
let url = '';

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-astm-ui-'));
  await addOperatorByCli(data, { name: 'Blake Biomed', badge: BADGE, role: 'biomed', pin: PIN });
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
  if (data) rmSync(data, { recursive: true, force: true });
});

const byTest = (id: string) => page.getByTestId(id);

/** The configuration as the hub exports it, through the page's own session. */
const exportedConfig = (): Promise<WorkstationConfig> => pageValue<WorkstationConfig>(page, 'exportConfig');

describe('the test-code map on the Devices screen in Chromium', () => {
  it('edits a map entry, sees a code the catalog lacks refused, corrects it and saves it', async () => {
    await page.goto(url);
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-pin').press('Enter');
    await expect.poll(() => byTest('nav-devices').isVisible()).toBe(true);
    await byTest('nav-devices').click();

    const tcp = await freePort();
    const portId = `listen:127.0.0.1:${tcp}`;
    await byTest('port-add-transport').selectOption('listen');
    await byTest('port-add-path').fill(`127.0.0.1:${tcp}`);
    await byTest('port-add-submit').click();
    await expect.poll(() => byTest(`port-driver-${portId}`).count(), { timeout: 10_000 }).toBe(1);
    await byTest(`port-driver-${portId}`).selectOption('astm-urine');
    await byTest('port-autoconnect').uncheck();

    // The analyzer calls leukocytes WBC and sends an ascorbate pad the catalog has no code for.
    await byTest(`${OPTION}-add`).click();
    await byTest(`${OPTION}-code-0`).fill('WBC');
    await byTest(`${OPTION}-loinc-0`).fill('5799-2');
    await byTest(`${OPTION}-add`).click();
    await byTest(`${OPTION}-code-1`).fill('ASC');
    await byTest(`${OPTION}-loinc-1`).fill('99999-9');
    await expect.poll(() => byTest(`${OPTION}-row-problem-1`).textContent()).toContain('ASC: 99999-9 is not a code in the catalog');
    expect(await byTest(`${OPTION}-row-problem-0`).count()).toBe(0);

    // Saved anyway: the hub refuses it with the same words, and nothing is assigned.
    await byTest(`port-assign-${portId}`).click();
    await expect.poll(() => byTest('port-setup-error').textContent(), { timeout: 10_000 }).toMatch(/ASC: 99999-9 is not a code in the catalog/);
    expect((await exportedConfig()).ports.find((p) => p.path === `127.0.0.1:${tcp}`)?.driverId).toBeUndefined();

    // Corrected: ascorbate is left unmapped (row removed); WBC is saved.
    await byTest(`${OPTION}-remove-1`).click();
    await byTest(`port-assign-${portId}`).click();
    await expect.poll(() => byTest(`port-driver-name-${portId}`).textContent(), { timeout: 10_000 }).toContain('ASTM');
    const saved = (await exportedConfig()).ports.find((p) => p.path === `127.0.0.1:${tcp}`);
    expect(saved).toMatchObject({ transport: 'listen', driverId: 'astm-urine', options: { testCodes: 'WBC=5799-2' } });
  }, 90_000);
});
