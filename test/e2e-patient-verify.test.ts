import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MRN_SYSTEM, seedClinic, type SeededClinic } from './helpers/clinic-seed.ts';
import { ROOT, addOperatorByCli } from './helpers/cli.ts';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';

/**
 * Verification at selection end to end: a FHIR patient source set with `pochub patients
 * set-source`, a real `pochub serve`, the assistant in Chromium — a scanned MRN with its date of
 * birth is verified against the EHR (banner), a name that differs from the EHR is refused naming
 * it, and with the EHR down the banner says plainly that nothing was verified.
 */
const BADGE = '1001';
const PIN = '1234';
const shots = screenshotFolder();

let data = '';
let peer: FhirPeer;
let clinic: SeededClinic;
let ui: HubPage | undefined;
let page: Page;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-verify-'));
  peer = await startFhirPeer({ bearerToken: 'tok-e2e' });
  clinic = await seedClinic(peer);
  await addOperatorByCli(data, { name: 'Alex Assistant', badge: BADGE, role: 'assistant', pin: PIN });
  const set = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'pochub.mjs'), 'patients', 'set-source', 'clinic-ehr', '--kind', 'fhir', '--name', 'Clinic EHR', '--url', peer.baseUrl, '--identifier-system', MRN_SYSTEM, '--location', clinic.location, '--secret-stdin', '--data', data],
    { cwd: ROOT, input: 'tok-e2e\n', encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
  );
  if (set.status !== 0) throw new Error(`set-source failed: ${set.stderr}`);
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

async function select(mrn: string, ids: { birthDate?: string; name?: string }): Promise<void> {
  await byTest('patient-mrn-input').fill(mrn);
  await byTest('patient-dob-input').fill(ids.birthDate ?? '');
  await byTest('patient-name-input').fill(ids.name ?? '');
  await byTest('patient-select').click();
}

describe('verification at selection, in Chromium', () => {
  it('a scanned MRN with its date of birth is verified with the EHR: the banner names the source and the time', async () => {
    await signIn(page, { badge: BADGE, pin: PIN }, 'click');
    await byTest('patient-mrn-input').waitFor();
    await select('MRN-1001', { birthDate: '1980-01-15' });
    await expect.poll(() => byTest('patient-verified').textContent(), { timeout: 30_000 }).toMatch(/^Verified with Clinic EHR at \d{2}:\d{2}$/);
    // The name as the EHR has it, though only the date of birth was typed.
    expect(await byTest('patient-name').textContent()).toBe('Doe, Jane Q');
    expect(await byTest('patient-local').count()).toBe(0);
    await page.screenshot({ path: join(shots.dir, 'patient-verified.png') });
  }, 60_000);

  it('a name that differs from the EHR record is refused, naming both, and the selection stays', async () => {
    await select('MRN-1002', { name: 'Okafor, David' });
    await expect.poll(() => byTest('patient-error').textContent(), { timeout: 30_000 }).toContain('MRN MRN-1002 is in the EHR (Clinic EHR) named Okafor, Daniel, not Okafor, David');
    expect(await byTest('patient-mrn').textContent()).toBe('MRN-1001');
  }, 60_000);

  it('an MRN the EHR does not know: "not in the EHR"; the explicit local-patient step creates one, marked so', async () => {
    await select('MRN-7777', { birthDate: '1999-01-01' });
    await expect.poll(() => byTest('patient-error').textContent(), { timeout: 30_000 }).toBe('MRN MRN-7777 is not in the EHR (Clinic EHR). Check the wristband, or add a new local patient.');
    await byTest('patient-create-local-start').click();
    await byTest('patient-name-input').fill('Local, Lou');
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('patient-local').textContent(), { timeout: 30_000 }).toBe('Not in the EHR — local patient');
    expect(await byTest('patient-mrn').textContent()).toBe('MRN-7777');
  }, 60_000);

  it('with the EHR down, a patient on file is selected and the banner says "Not verified — EHR unreachable"', async () => {
    peer.setBehaviour({ down: true });
    try {
      await select('MRN-1001', { birthDate: '1980-01-15' });
      await expect.poll(() => byTest('patient-local').textContent(), { timeout: 30_000 }).toBe('Not verified — EHR unreachable');
      expect(await byTest('patient-verified').count()).toBe(0);
      await page.screenshot({ path: join(shots.dir, 'patient-unreachable.png') });
    } finally {
      peer.setBehaviour({});
    }
  }, 60_000);
});
