import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adtMessage, sendWithNodeHl7 } from './helpers/adt-senders.ts';
import { launchChromium } from './helpers/browser.ts';
import { MRN_SYSTEM, seedClinic, type SeededClinic } from './helpers/clinic-seed.ts';
import { ROOT, addOperatorByCli, startCli, type CliProcess } from './helpers/cli.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';
import { startNodeHl7Peer, type Hl7Peer } from './peers/hl7-peers.ts';
import { freePort } from './helpers/free-port.ts';

/**
 * Patient context end to end, every part real: a FHIR EHR (the Medplum peer seeded with patients,
 * appointments and encounters) set as a patient source with `pochub patients set-source`, an HL7
 * ADT feed (a node-hl7-client sender registering a patient over MLLP to the hub's listener), and
 * the export targets (the same FHIR server; a node-hl7-server MLLP receiver). In Chromium the
 * assistant scans an MRN and sees it verified, picks patients from Today, enters and confirms a
 * result for each — and the EHR holds an Observation whose subject and encounter are the seeded
 * Patient and Encounter, and the HL7 receiver's PID and PV1 are those of the ADT registration.
 */
const BADGE = '1001';
const PIN = '1234';
const TOKEN = 'tok-context';
// Registration systems often send names in capitals: the hub keeps them as the EHR wrote them.
const ADT_PATIENT = { mrn: 'MRN-2001', hl7Name: 'ADEYEMI^TOLA', shown: 'ADEYEMI, TOLA', dob: '19720304', visit: 'V-555' };
const shots = screenshotFolder();

let data = '';
let fhir: FhirPeer;
let hl7: Hl7Peer;
let clinic: SeededClinic;
let hub: CliProcess;
let browser: Browser;
let page: Page;
let adtPort = 0;

/** Run `pochub …` to its end (a clinic IT person at the command line); stdin gives a token. */
function pochub(args: string[], input = ''): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pochub.mjs'), ...args, '--data', data], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`pochub ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-context-'));
  fhir = await startFhirPeer({ bearerToken: TOKEN });
  clinic = await seedClinic(fhir);
  hl7 = await startNodeHl7Peer();
  adtPort = await freePort();
  await addOperatorByCli(data, { name: 'Alex Assistant', badge: BADGE, role: 'assistant', pin: PIN });
  pochub(['patients', 'set-source', 'clinic-ehr', '--kind', 'fhir', '--name', 'Clinic EHR', '--url', fhir.baseUrl, '--identifier-system', MRN_SYSTEM, '--location', clinic.location, '--secret-stdin'], `${TOKEN}\n`);
  pochub(['patients', 'set-source', 'clinic-adt', '--kind', 'hl7-adt', '--name', 'Registration ADT', '--listen', `127.0.0.1:${adtPort}`]);
  const ehrTarget = join(data, 'ehr-target.json');
  writeFileSync(ehrTarget, JSON.stringify({ id: 'ehr', name: 'Clinic EHR', kind: 'fhir', baseUrl: fhir.baseUrl, patientIdentifierSystem: MRN_SYSTEM, auth: { type: 'bearer' } }));
  pochub(['export', 'set-target', '--file', ehrTarget, '--secret-stdin'], `${TOKEN}\n`);
  const lisTarget = join(data, 'lis-target.json');
  writeFileSync(lisTarget, JSON.stringify({ id: 'lis', name: 'Interface engine', kind: 'hl7', host: hl7.host, port: hl7.port, profile: 'oru-r01-2.5.1' }));
  pochub(['export', 'set-target', '--file', lisTarget]);

  hub = startCli(['serve', '--port', '0', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';

  // Registration sends the ADT as soon as the hub listens: retried until it is acknowledged.
  const admit = adtMessage({ event: 'A04', controlId: 'REG-1', mrn: ADT_PATIENT.mrn, name: ADT_PATIENT.hl7Name, dob: ADT_PATIENT.dob, sex: 'F', visitNumber: ADT_PATIENT.visit, location: 'CLINIC^7', admitTime: compactNow() });
  const end = Date.now() + 60_000;
  for (;;) {
    const acks = await sendWithNodeHl7(adtPort, [admit]).catch(() => []);
    if (acks[0]?.code === 'AA') break;
    if (Date.now() > end) throw new Error(`the ADT listener never acknowledged: ${JSON.stringify(acks)}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url);
  await page.getByTestId('signin-badge').fill(BADGE);
  await page.getByTestId('signin-pin').fill(PIN);
  await page.getByTestId('signin-pin').press('Enter');
  await page.getByTestId('signout').waitFor({ timeout: 15_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  await fhir?.stop();
  await hl7?.stop();
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

/** Now as HL7 DTM in UTC (serve runs with TZ=UTC), so the ADT visit falls in today's list. */
function compactNow(): string {
  return `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

const byTest = (id: string) => page.getByTestId(id);

/** Pick the patient's row on Today with the keyboard: type to filter, Enter. */
async function pickFromToday(query: string, mrn: string): Promise<void> {
  const search = byTest('today-search');
  await search.fill('');
  await search.pressSequentially(query);
  await expect.poll(() => page.locator('[data-testid^="today-row-"]').count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => byTest(`today-row-${mrn}`).isVisible()).toBe(true);
  await search.press('ArrowDown');
  await search.press('Enter');
  await expect.poll(() => byTest('patient-mrn').textContent(), { timeout: 30_000 }).toBe(mrn);
}

/** Type a temperature by hand for the selected patient and confirm it on its row. */
async function enterAndConfirm(celsius: string): Promise<string> {
  await byTest('manual-code').selectOption('bodyTemperature');
  await byTest('manual-value').fill(celsius);
  const unit = byTest('manual-unit');
  if (await unit.isEnabled()) await unit.selectOption('Cel');
  await byTest('manual-submit').click();
  const row = page.locator('[data-testid^="reading-"][data-state="pending"][data-assigned="true"]').first();
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  const id = ((await row.getAttribute('data-testid')) ?? '').slice('reading-'.length);
  await byTest(`confirm-${id}`).click();
  await expect.poll(() => page.locator(`[data-testid="reading-${id}"]`).count(), { timeout: 15_000 }).toBe(0);
  return id;
}

describe('patient context from the EHR, in Chromium against pochub serve', () => {
  it('a scanned MRN is verified with the FHIR source: the banner names it and the time', async () => {
    await byTest('patient-mrn-input').fill('MRN-1001');
    await byTest('patient-mrn-input').press('Enter');
    await byTest('patient-dob-input').fill('1980-01-15');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-verified').textContent(), { timeout: 30_000 }).toMatch(/^Verified with Clinic EHR at \d{2}:\d{2}$/);
    expect(await byTest('patient-name').textContent()).toBe('Doe, Jane Q');
  }, 60_000);

  it("Today lists the EHR's schedule and the patient the ADT feed registered", async () => {
    await expect.poll(() => byTest('today-panel').isVisible(), { timeout: 30_000 }).toBe(true);
    // The FHIR schedule arrives on the first refresh; the ADT visit is in the cache already.
    await expect
      .poll(async () => (await page.locator('[data-testid^="today-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).sort(), { timeout: 30_000 })
      .toEqual(expect.arrayContaining(['today-row-MRN-1002', 'today-row-MRN-1006', `today-row-${ADT_PATIENT.mrn}`]));
    expect(await byTest(`today-row-${ADT_PATIENT.mrn}`).textContent()).toContain(ADT_PATIENT.shown);
    await page.screenshot({ path: join(shots.dir, 'context-01-today.png') });
  }, 60_000);

  it('picked from Today with its encounter, a confirmed result reaches the EHR pointing at the seeded Patient and Encounter', async () => {
    // MRN-1006's Encounter is in progress in Room 4 (its only visit today).
    await pickFromToday('MRN-1006', 'MRN-1006');
    await expect.poll(() => byTest('patient-encounter').textContent(), { timeout: 15_000 }).toMatch(/Encounter|Visit/);
    const visit = (await byTest('patient-encounter').getAttribute('data-visit')) ?? '';
    expect(visit).toMatch(/^clinic-ehr:Encounter\//);
    const encounterId = visit.slice('clinic-ehr:Encounter/'.length);
    const readingId = await enterAndConfirm('37.2');

    const stored = await pollFor(async () => {
      const found = await fhir.search<Observation>('Observation', { identifier: `urn:pochub:reading|${readingId}` });
      return found[0];
    });
    expect(stored.subject?.reference).toBe(`Patient/${clinic.patientIds.get('MRN-1006') ?? ''}`);
    expect(stored.encounter?.reference).toBe(`Encounter/${encounterId}`);
    expect(stored.valueQuantity).toMatchObject({ value: 37.2, code: 'Cel' });
  }, 120_000);

  it('a patient registered by ADT, picked from Today: the HL7 result carries the PID and visit number of the registration', async () => {
    await pickFromToday(ADT_PATIENT.mrn, ADT_PATIENT.mrn);
    await expect.poll(() => byTest('patient-encounter').textContent(), { timeout: 15_000 }).toContain(`Visit\u00a0${ADT_PATIENT.visit}`);
    expect(await byTest('patient-verified').textContent()).toMatch(/^Verified with Registration ADT/);
    const readingId = await enterAndConfirm('36.9');
    const message = await pollFor(async () => hl7.accepted().find((m) => m.field('OBR', 3) === `urn:pochub:reading|${readingId}` || m.raw.includes(readingId)));
    expect(message.field('PID', 3, 1)).toBe(ADT_PATIENT.mrn);
    expect(message.field('PID', 5, 1)).toBe('ADEYEMI');
    expect(message.field('PID', 5, 2)).toBe('TOLA');
    expect(message.field('PID', 7)).toBe(ADT_PATIENT.dob);
    expect(message.field('PID', 8)).toBe('F');
    expect(message.field('PV1', 19)).toBe(ADT_PATIENT.visit);
    await page.screenshot({ path: join(shots.dir, 'context-02-adt-patient.png') });
  }, 120_000);
});

async function pollFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  let found: T | undefined;
  await expect.poll(async () => (found = await check()) !== undefined, { timeout: timeoutMs, interval: 250 }).toBe(true);
  if (found === undefined) throw new Error('not found');
  return found;
}
