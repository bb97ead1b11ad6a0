import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../shared/api/model.ts';
import { storeFile } from '../main/paths.ts';
import { openStore } from '../main/store/open-store.ts';
import { HubWorkflow } from '../main/workflow/hub-workflow.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';
import { hubApi, type HubApi } from './helpers/hub-api.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { bpReading, putPatientsOnFile } from './helpers/store-fixtures.ts';

/**
 * Positive patient identification end to end (docs/architecture.md §8 rule 2), against a real
 * `pochub serve` (not demo) on its own data folder: first the rules at the HTTP API, then the
 * same steps as the assistant takes them in Chromium — a date of birth in 2099 refused, an MRN
 * not on file only through the explicit new-local-patient step ("not verified"), the add-name
 * step, a 64-character MRN that leaves the page width alone, and the banner on screen while the
 * page scrolls.
 */
const BADGE = '1001';
const PIN = '1234';
/** On file from an older visit with a date of birth and no name. */
const NAMELESS = { mrn: 'D-4410', birthDate: '1950-05-05' };
const NAMELESS_UI = { mrn: 'D-5520', birthDate: '1948-11-02' };
/** The longest MRN the contract takes. */
const LONG = { mrn: `MRN-${'7'.repeat(60)}`, name: 'Longfellow, Henrietta Wadsworth', birthDate: '1972-09-30' };
const VIEWPORT = { width: 1366, height: 768 };
/** Screenshots go to a temp folder unless POCHUB_SCREENSHOTS names one. */
const shots = screenshotFolder();

let data = '';
let hub: CliProcess;
let browser: Browser;
let page: Page;
let url = '';
/** The API tests' own session (it keeps the hub's session cookie, as a browser does). */
let api: HubApi;

/** `pochub operators add`, the PIN on standard input as a person pipes it in. */
function addOperator(dir: string): Promise<void> {
  return addOperatorByCli(dir, { name: 'Alex Assistant', badge: BADGE, role: 'assistant', pin: PIN });
}

/**
 * What earlier visits left in the store: two patients on file and 30 readings waiting unassigned
 * (enough for the review list and the page to scroll).
 */
function seedStore(dir: string): void {
  const store = openStore(storeFile(dir));
  try {
    putPatientsOnFile(store, NAMELESS, NAMELESS_UI, LONG);
    const wf = new HubWorkflow(store, 'ROOM-7');
    for (let i = 0; i < 30; i++) {
      const reading = bpReading({ context: { sequence: String(i + 1) } });
      const { id } = store.readings.ingest(reading, []);
      wf.readingArrived(id, reading, { key: 'acme-bp100:SN123', label: 'Acme BP-100' });
    }
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-identity-'));
  await addOperator(data);
  seedStore(data);
  hub = startCli(['serve', '--port', '0', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  api = hubApi(url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });

interface Answer {
  status: number;
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

async function call(method: string, input: unknown = {}): Promise<Answer> {
  const { status, body } = await api.raw(method, input);
  return { status, ...(body as Omit<Answer, 'status'>) };
}

const byTest = (id: string) => page.getByTestId(id);
/** Page width beyond the viewport: 0 when nothing widens the page. */
const overflowX = async (): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

describe('identification at the HTTP API', () => {
  it('refuses a date of birth in the future or over 130 years ago, in plain words', async () => {
    expect((await call('signIn', { badgeId: BADGE, pin: PIN })).ok).toBe(true);
    const future = await call('selectPatient', { mrn: 'H-1', birthDate: '2099-01-01', name: 'Hana Ito', createLocal: true });
    expect(future).toMatchObject({ status: 400, error: { code: 'INPUT_INVALID', message: 'The date of birth 2099-01-01 is in the future: check the wristband.' } });
    const old = await call('selectPatient', { mrn: 'H-1', birthDate: '1850-01-01', name: 'Hana Ito', createLocal: true });
    expect(old.error?.message).toMatch(/more than 130 years ago/);
  });

  it('an MRN not on file is NOT_FOUND until created as a local patient, which is unverified and audited', async () => {
    const unknown = await call('selectPatient', { mrn: 'H-1', birthDate: '1990-01-01' });
    expect(unknown).toMatchObject({
      status: 404,
      error: { code: 'NOT_FOUND', message: 'No patient with MRN H-1 on file on this workstation. Check the wristband, or add a new local patient.', details: { unknown: true } },
    });
    const created = await call('selectPatient', { mrn: 'H-1', birthDate: '1990-01-01', name: 'Hana Ito', createLocal: true });
    expect(created).toMatchObject({ status: 200, value: { mrn: 'H-1', name: 'Hana Ito', birthDate: '1990-01-01', verified: false } });
    expect((await call('getState')).value).toMatchObject({ patient: { mrn: 'H-1', verified: false } });
  });

  it('a name for a patient on file without one is a CONFLICT until the add-name step, which is audited', async () => {
    const refused = await call('selectPatient', { ...NAMELESS, name: 'Rosa Ortiz' });
    expect(refused).toMatchObject({ status: 409, error: { code: 'CONFLICT', details: { nameMissing: true } } });
    expect(refused.error?.message).toMatch(/^MRN D-4410 has no name on file: add it with "Add name to this patient"/);
    expect((await call('selectPatient', { ...NAMELESS, name: 'Rosa Ortiz', addName: true })).value).toMatchObject({ name: 'Rosa Ortiz' });
    const differs = await call('selectPatient', { mrn: NAMELESS.mrn, name: 'Rosa Ortega' });
    expect(differs).toMatchObject({ status: 409, error: { code: 'CONFLICT', details: { differs: ['name'] } } });
    const actions = ((await call('listAudit', { limit: 50 })).value as AuditEntry[]).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['patient.create-local', 'patient.add-name']));
  });

  it('input the schema refuses comes back as a sentence naming the field, never the schema message', async () => {
    const long = await call('selectPatient', { mrn: 'M'.repeat(65), birthDate: '1990-01-01' });
    expect(long).toMatchObject({ status: 400, error: { code: 'INPUT_INVALID', message: 'MRN is too long (at most 64 characters).' } });
    const badge = await call('signIn', { badgeId: 'B'.repeat(101), pin: PIN });
    expect(badge.error?.message).toBe('Badge ID is too long (at most 100 characters).');
    expect(JSON.stringify([long, badge])).not.toMatch(/Too big|expected string/);
    expect((await call('clearPatient', {})).ok).toBe(true);
    expect((await call('signOut', {})).ok).toBe(true);
  });
});

describe('identification in Chromium', () => {
  it('signs in; the badge field states its limit and refuses more with a message', async () => {
    await page.goto(url);
    await byTest('signin-badge').waitFor();
    expect(await byTest('signin-badge-limit').textContent()).toBe('At most 100 characters.');
    await byTest('signin-badge').fill('B'.repeat(101));
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-submit').click();
    await expect.poll(() => byTest('signin-error').textContent()).toBe('Badge: at most 100 characters.');
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-submit').click();
    await byTest('patient-mrn-input').waitFor();
  });

  it('refuses a date of birth in 2099', async () => {
    await byTest('patient-mrn-input').fill('P-7781');
    await byTest('patient-dob-input').fill('2099-01-01');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toBe('The date of birth 2099-01-01 is in the future: check the wristband.');
    expect(await byTest('patient-banner').getAttribute('data-state')).toBe('none');
  });

  it('an MRN not on file needs the explicit new-local-patient step, which says "not verified"', async () => {
    await byTest('patient-dob-input').fill('1990-01-01');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(/^No patient with MRN P-7781 on file on this workstation/);
    expect(await byTest('patient-banner').getAttribute('data-state')).toBe('none');
    await byTest('patient-create-local-start').click();
    expect(await byTest('patient-create-local-note').textContent()).toContain('not verified against the EHR');
    await byTest('patient-name-input').fill('Max Mustermann');
    await byTest('patient-create-local').click();
    await expect.poll(() => byTest('patient-banner').getAttribute('data-state')).toBe('selected');
    expect(await byTest('patient-mrn').textContent()).toBe('P-7781');
    expect(await byTest('patient-local').textContent()).toBe('Local — not verified against the EHR');
    await shot('identity-local-patient');
  });

  it('a name different from the one on file is refused, naming both', async () => {
    await byTest('patient-mrn-input').fill(LONG.mrn);
    await byTest('patient-dob-input').fill(LONG.birthDate);
    await byTest('patient-name-input').fill('Someone Else');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(/on file named Longfellow, Henrietta Wadsworth, not Someone Else/);
    expect(await byTest('patient-mrn').textContent()).toBe('P-7781'); // nothing changed
    await byTest('patient-name-input').fill('');
  });

  it('a name for a patient on file without one is added only by "Add name to this patient"', async () => {
    await byTest('patient-mrn-input').fill(NAMELESS_UI.mrn);
    await byTest('patient-dob-input').fill(NAMELESS_UI.birthDate);
    await byTest('patient-name-input').fill('Ines Duarte');
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-error').textContent()).toMatch(/^MRN D-5520 has no name on file/);
    expect(await byTest('patient-mrn').textContent()).toBe('P-7781'); // not selected yet
    await byTest('patient-add-name').click();
    await expect.poll(() => byTest('patient-name').textContent()).toBe('Ines Duarte');
    expect(await byTest('patient-mrn').textContent()).toBe(NAMELESS_UI.mrn);
  });

  it('a 64-character MRN leaves the page width unchanged and "Done with patient" on screen; rows and Confirm name the patient', async () => {
    expect(await overflowX()).toBe(0);
    await byTest('patient-name-input').fill('');
    await byTest('patient-mrn-input').fill(LONG.mrn);
    expect(await byTest('patient-mrn-limit').textContent()).toBe('At most 64 characters.');
    await byTest('patient-dob-input').fill(LONG.birthDate);
    await byTest('patient-select').click();
    await expect.poll(() => byTest('patient-mrn').getAttribute('title')).toBe(LONG.mrn);
    expect(await overflowX()).toBe(0);
    const done = await byTest('patient-clear').boundingBox();
    expect(done).not.toBeNull();
    expect((done?.x ?? 0) + (done?.width ?? 0)).toBeLessThanOrEqual(VIEWPORT.width);
    expect(await byTest('patient-clear').isVisible()).toBe(true);

    // Assign the first waiting reading: its row names the patient, and so does Confirm.
    const first = page.locator('[data-testid^="reading-"][data-assigned="false"]').first();
    const id = ((await first.getAttribute('data-testid')) ?? '').slice('reading-'.length);
    await byTest(`assign-${id}`).click();
    await expect.poll(() => byTest(`patient-of-${id}`).getAttribute('title')).toBe(`${LONG.name} (${LONG.mrn})`);
    expect(await byTest(`confirm-${id}`).textContent()).toContain(`Confirm for ${LONG.name}`);
    expect(await overflowX()).toBe(0);
    await shot('identity-long-mrn');

    // A 65th character is refused with a message, not cut.
    await byTest('patient-mrn-input').fill(`${LONG.mrn}8`);
    expect(await byTest('patient-mrn-input').inputValue()).toBe(`${LONG.mrn}8`);
    expect(await byTest('patient-mrn-limit').textContent()).toBe('MRN: at most 64 characters. Now 65.');
    await byTest('patient-mrn-input').fill('');

    // Every screen keeps the width.
    for (const screen of ['history', 'audit', 'review']) {
      await byTest(`nav-${screen}`).click();
      await expect.poll(() => page.evaluate('location.hash')).toBe(`#/${screen}`);
      expect([screen, await overflowX()]).toEqual([screen, 0]);
      expect(await byTest('patient-clear').isVisible()).toBe(true);
    }
  });

  it('the patient banner stays on screen while the page and the review list scroll', async () => {
    /** The banner wholly inside the window, its MRN and "Done with patient" visible. */
    const bannerOnScreen = async (where: string): Promise<void> => {
      const box = await byTest('patient-banner').boundingBox();
      expect(box, where).not.toBeNull();
      expect(box?.y ?? -1, where).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 0) + (box?.height ?? 0), where).toBeLessThanOrEqual(VIEWPORT.height);
      expect(await byTest('patient-mrn').isVisible(), where).toBe(true);
      expect(await byTest('patient-clear').isVisible(), where).toBe(true);
    };
    // The review screen fits the window (its list scrolls in its own box, docs/architecture.md §8
    // review-ui), so the page itself scrolls on a long screen: the audit trail.
    await byTest('nav-audit').click();
    await page.locator('[data-testid^="audit-sentence-"]').first().waitFor();
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await expect.poll(() => page.evaluate('window.scrollY')).toBeGreaterThan(0);
    await bannerOnScreen('audit, page scrolled');

    await byTest('nav-review').click();
    const list = byTest('review-list');
    await list.waitFor();
    // The 29 readings still waiting are under "Unassigned" (a section that may be closed): open it.
    const unassigned = byTest('section-unassigned');
    await unassigned.waitFor();
    if ((await unassigned.getAttribute('aria-expanded')) === 'false') await unassigned.click();
    await expect.poll(() => unassigned.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => list.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(0);
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await bannerOnScreen('review, list scrolled');
    await shot('identity-scrolled');
  });
});
