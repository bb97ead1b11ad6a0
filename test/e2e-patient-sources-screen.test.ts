import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MRN_SYSTEM, seedClinic, type SeededClinic } from './helpers/clinic-seed.ts';
import { addOperatorByCli, runCli } from './helpers/cli.ts';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';

/**
 * The Patient sources screen end to end: an admin in Chromium adds a FHIR source pointing at the
 * FHIR peer with a bearer token, tests it against the peer, sees it listed with "Token stored"
 * (never the token), and `pochub patients sources` on the same data folder lists it.
 */
const BADGE = '9001';
const PIN = '4321';
const TOKEN = 'tok-sources-screen';
const shots = screenshotFolder();

let data = '';
let peer: FhirPeer;
let clinic: SeededClinic;
let ui: HubPage | undefined;
let page: Page;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-sources-screen-'));
  peer = await startFhirPeer({ bearerToken: TOKEN });
  clinic = await seedClinic(peer);
  await addOperatorByCli(data, { name: 'Ada Admin', badge: BADGE, role: 'admin', pin: PIN });
  ui = await openHubPage({ serve: ['--data', data] });
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await peer?.stop();
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const byTest = (id: string) => page.getByTestId(id);

describe('the Patient sources screen, in Chromium', () => {
  it('an admin adds a FHIR source with a token, tests it, sees "Token stored"; the CLI lists it', async () => {
    await signIn(page, { badge: BADGE, pin: PIN }, 'click');
    await byTest('nav-patient-sources').click();
    await byTest('source-add-fhir').click();
    await byTest('source-field-id').fill('clinic-ehr');
    await byTest('source-field-name').fill('Clinic EHR');
    // A location that is not a reference: refused on its field by the shared schema, nothing sent.
    await byTest('source-field-baseUrl').fill(peer.baseUrl);
    await byTest('source-field-location').fill('Ward 3');
    await byTest('source-save').click();
    await expect.poll(() => byTest('source-field-location-error').textContent(), { timeout: 30_000 }).toContain('Location/123');
    // The refused field takes the keyboard, so the person hears what is wrong at once.
    expect(await page.evaluate("document.activeElement?.getAttribute('data-testid') ?? ''")).toBe('source-field-location');
    await page.screenshot({ path: join(shots.dir, 'patient-sources-form.png') });
    await byTest('source-field-location').fill(clinic.location);
    await byTest('source-field-identifierSystem').fill(MRN_SYSTEM);
    await byTest('source-field-authType').selectOption('bearer');
    await byTest('target-secret').fill(TOKEN);
    await byTest('source-save').click();

    const row = byTest('source-clinic-ehr');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Token stored');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(peer.baseUrl);
    expect(text).toContain(clinic.location);
    expect(await page.content()).not.toContain(TOKEN);

    await byTest('source-test-clinic-ehr').click();
    const result = byTest('source-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 60_000 }).toBe('true');
    expect(await result.textContent()).toContain('Connection OK (Clinic EHR)');
    await page.screenshot({ path: join(shots.dir, 'patient-sources.png') });

    const list = await runCli(['patients', 'sources', '--data', data]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`clinic-ehr\tfhir\tenabled\t${peer.baseUrl} (${clinic.location})\tClinic EHR\t(token stored)`);
    expect(list.stdout).not.toContain(TOKEN);
  }, 120_000);
});
