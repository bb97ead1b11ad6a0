import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../shared/api/model.ts';
import type { Observation } from '../shared/observation.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';
import { screenshotFolder } from './helpers/screenshots.ts';
import { pageValue } from './helpers/hub-page.ts';

/**
 * The biomed console end to end: the real UI in Chromium against `pochub serve` (not demo), a
 * socat pty pair standing in for the cable. A Clinitek simulator, started from the console,
 * plays the analyzer on one end; the other end is added by path, set up, tested, connected,
 * traced and recorded, and the recording replayed gives the readings the hub stored.
 */
/** Screenshots go to a temp folder unless `npm run screenshots` asks for docs/screenshots/. */
const shots = screenshotFolder();
const DRIVER = 'siemens-clinitek-status';
const BADGE = '2001';
const PIN = '2345';
let data = '';
let hub: CliProcess;
let pair: PtyPair;
let browser: Browser;
let page: Page;
let url = '';
/** The port under test, as the hub names it (`serial:<path>`). */
let portId = '';
/** Where the downloaded trace file was saved. */
let savedTrace = '';

/** `pochub operators add`, the PIN on standard input as a person pipes it in. */
function addOperator(dir: string): Promise<void> {
  return addOperatorByCli(dir, { name: 'Blake Biomed', badge: BADGE, role: 'biomed', pin: PIN });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-biomed-'));
  await addOperator(data);
  pair = await createPtyPair();
  hub = startCli(['serve', '--port', '0', '--data', data]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  await pair?.close();
  if (data) rmSync(data, { recursive: true, force: true });
  shots.cleanup();
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots.dir, `${name}.png`) });
const byTest = (id: string) => page.getByTestId(id);
const healthOf = async (label: string): Promise<number> => {
  const text = await byTest(`port-health-${portId}`).locator('div', { hasText: label }).locator('dd').textContent();
  return Number(text ?? Number.NaN);
};

/** An observation's value as the console prints it (the `data-value` of a replayed value). */
function valueText(obs: Observation): string {
  const v = obs.value;
  if (!v) return '—';
  return v.kind === 'quantity' ? `${v.comparator ?? ''}${v.value}` : v.text;
}
function flatten(observations: readonly Observation[]): Observation[] {
  return observations.flatMap((o) => [...(o.value ? [o] : []), ...flatten(o.components ?? [])]);
}
/**
 * A replayed value as a number the stored one compares with: the console prints a code's
 * precision (SG 1.020, pH 6.0) where the stored number has dropped the zeros (1.02, 6).
 */
function shownValue(text: string): string {
  const m = /^([<>]=?)?(-?\d+(?:\.\d+)?)$/.exec(text);
  return m ? `${m[1] ?? ''}${Number(m[2])}` : text;
}
/** One reading's values as one comparable line: `code=value` pairs in order. */
const signature = (pairs: ReadonlyArray<readonly [string, string]>): string => pairs.map(([c, v]) => `${c}=${v}`).join(' ');

/** What the hub stored: the pending readings, asked through the page's own session. */
const storedReadings = (): Promise<ReviewItem[]> => pageValue<ReviewItem[]>(page, 'listReview');

describe('the biomed console in Chromium against pochub serve', () => {
  it('signs in as biomed and opens the device console', async () => {
    await page.goto(url);
    await byTest('signin-badge').fill(BADGE);
    await byTest('signin-pin').fill(PIN);
    await byTest('signin-pin').press('Enter');
    await expect.poll(() => byTest('nav-devices').isVisible()).toBe(true);
    await byTest('nav-devices').click();
    await expect.poll(() => page.getByRole('heading', { name: 'Ports and devices' }).isVisible()).toBe(true);
    // Scan now runs the real listers (serialport with udevadm, node-hid) and answers at once.
    await byTest('scan-ports').click();
    await expect.poll(() => byTest('status-line').textContent()).toMatch(/^Listed the ports/);
  });

  it('adds the pty by path, assigns the Clinitek driver with its defaults, and tests the connection against a simulator', async () => {
    await byTest('port-add-path').fill(pair.b);
    await byTest('port-add-submit').click();
    const driverSelect = byTest('port-detail').locator('[data-testid^="port-driver-"]').first();
    await expect.poll(() => driverSelect.count(), { timeout: 10_000 }).toBe(1);
    portId = ((await driverSelect.getAttribute('data-testid')) ?? '').slice('port-driver-'.length);
    expect(portId).toMatch(/^serial:/);
    expect(await byTest(`port-match-${portId}`).getAttribute('data-kind')).toBe('none');

    await driverSelect.selectOption(DRIVER);
    // The driver's defaults (manifest: 9600 8-N-1, XON/XOFF) fill the form.
    expect(await byTest('port-setting-baudRate').inputValue()).toBe('9600');
    expect(await byTest('port-setting-dataBits').inputValue()).toBe('8');
    expect(await byTest('port-setting-parity').inputValue()).toBe('none');
    expect(await byTest('port-setting-stopBits').inputValue()).toBe('1');
    expect(await byTest('port-setting-flowControl').inputValue()).toBe('xonxoff');
    // Connect by hand: Test connection needs the port free.
    await byTest('port-autoconnect').uncheck();
    await byTest(`port-assign-${portId}`).click();
    await expect.poll(() => byTest(`port-driver-name-${portId}`).textContent()).toContain('Clinitek');
    expect(await byTest(`port-${portId}`).getAttribute('data-state')).toBe('idle');

    // The analyzer only speaks after a strip is read: start testing, then play three results on the other end.
    await byTest('sim-driver').selectOption(DRIVER);
    await byTest('sim-scenario').selectOption('results');
    await byTest('sim-path').fill(pair.a);
    await byTest(`port-test-${portId}`).click();
    await byTest('sim-start').click();
    await expect.poll(() => byTest('port-test-result').getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
    expect(await byTest('port-test-result').textContent()).toMatch(/Clinitek/i);
    // Stop it before its next result: the recording below starts from a quiet line.
    await page.locator('[data-testid^="sim-stop-"]').first().click();
    await expect.poll(() => page.locator('[data-testid^="sim-row-"]').count(), { timeout: 10_000 }).toBe(0);
  }, 60_000);

  it('connects, shows the framed bytes live, records them unmasked and offers the trace file', async () => {
    await byTest(`port-connect-${portId}`).click();
    await expect.poll(() => byTest(`port-${portId}`).getAttribute('data-state'), { timeout: 10_000 }).toMatch(/connect/);
    await byTest('trace-record-mask').uncheck();
    await byTest('trace-record-start').click();
    await expect.poll(() => byTest('trace-recording').textContent()).toBe('Recording now…');

    // Four results, two seconds apart.
    await byTest('sim-scenario').selectOption('twelve-hour');
    await byTest('sim-start').click();
    await expect.poll(() => healthOf('Readings'), { timeout: 40_000 }).toBeGreaterThanOrEqual(4);
    expect(await byTest(`port-${portId}`).getAttribute('data-state')).toBe('connected');
    const framed = page.locator('[data-testid="trace-row"][data-direction="in"][data-frame="line"]');
    await expect.poll(() => framed.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(await framed.last().getAttribute('data-checksum')).toBe('none');
    expect(await framed.last().textContent()).toContain('TH-4');

    await page.evaluate('window.scrollTo(0, 0)');
    await shot('11-biomed-ports');
    await byTest('trace-view').scrollIntoViewIfNeeded();
    // Scrolled up a little, as a person reading: two rows show, and the view stops following.
    await page.evaluate("document.querySelector('.trace-scroll').scrollTop -= 260");
    await expect.poll(() => byTest('trace-follow').isVisible()).toBe(true);
    await shot('12-biomed-trace');

    await byTest('trace-record-stop').click();
    await expect.poll(() => byTest('trace-download').isVisible(), { timeout: 10_000 }).toBe(true);
    const frames = Number((await byTest('trace-frames').textContent())?.replace(/\D+/g, '') ?? 0);
    expect(frames).toBeGreaterThanOrEqual(1);
    const fileName = (await byTest('trace-download').getAttribute('download')) ?? '';
    expect(fileName).toMatch(/^siemens-clinitek-status-.*\.trace$/);
    const [download] = await Promise.all([page.waitForEvent('download'), byTest('trace-download').click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    savedTrace = join(data, fileName);
    await download.saveAs(savedTrace);
    const text = readFileSync(savedTrace, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain(DRIVER);
  }, 90_000);

  it('replays the downloaded trace: the readings are those the hub stored', async () => {
    await byTest('trace-load-file').setInputFiles(savedTrace);
    await byTest('trace-load-driver').selectOption(DRIVER);
    await byTest('trace-load-submit').click();
    await expect.poll(() => byTest('replay-reading').count(), { timeout: 20_000 }).toBe(4);

    const replayed: string[] = [];
    for (const row of await byTest('replay-reading').all()) {
      const values = await row.getByTestId('replay-value').evaluateAll((els) => els.map((el) => [el.getAttribute('data-code') ?? '', el.getAttribute('data-value') ?? ''] as const));
      replayed.push(signature(values.map(([code, text]) => [code, shownValue(text)] as const)));
    }
    const stored = (await storedReadings()).filter((i) => i.reading.driver === DRIVER).map((i) => signature(flatten(i.reading.observations).map((o) => [o.code ?? '', valueText(o)] as const)));
    // Every replayed reading is one the hub stored from the live port (it may hold more: the
    // results that came before the recording started).
    for (const line of replayed) expect(stored).toContain(line);
    expect(new Set(replayed).size).toBeGreaterThanOrEqual(3);
    await byTest('replay-result').scrollIntoViewIfNeeded();
  }, 60_000);
});
