import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, type CliProcess, startCli } from './helpers/cli.ts';

/**
 * Sessions end to end: the real UI in two Chromium contexts (two browsers: their own cookies)
 * against `pochub serve --lock-after 0.1` (six seconds): signing in in one does not sign in the
 * other; an idle screen locks, the PIN opens it, another badge on the lock screen takes it over.
 */
const LOCK_AFTER_MINUTES = '0.1';
const ANA = { name: 'Ana Assistant', badge: '1001', pin: '1234' };
const BEN = { name: 'Ben Assistant', badge: '1002', pin: '5678' };
let data = '';
let hub: CliProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
let url = '';

/** `pochub operators add`, the PIN on standard input as a person pipes it in. */
function addOperator(dir: string, o: typeof ANA): Promise<void> {
  return addOperatorByCli(dir, { name: o.name, badge: o.badge, role: 'assistant', pin: o.pin });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'pochub-sessions-'));
  await addOperator(data, ANA);
  await addOperator(data, BEN);
  hub = startCli(['serve', '--port', '0', '--data', data, '--lock-after', LOCK_AFTER_MINUTES]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '';
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  hub?.child.kill('SIGTERM');
  await hub?.done;
  if (data) rmSync(data, { recursive: true, force: true });
});

/** A new browser (its own cookies) with the hub's page open. */
async function openBrowser(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function signIn(page: Page, o: typeof ANA): Promise<void> {
  await page.getByTestId('signin-badge').fill(o.badge);
  await page.getByTestId('signin-pin').fill(o.pin);
  await page.getByTestId('signin-pin').press('Enter');
}

describe('sessions in Chromium against pochub serve --lock-after', () => {
  let first: Page;

  it('a second browser opening the address is not signed in as the first', async () => {
    first = await openBrowser();
    await signIn(first, ANA);
    await expect.poll(() => first.getByTestId('operator-name').textContent()).toBe(ANA.name);
    const second = await openBrowser();
    await second.getByTestId('signin-badge').waitFor();
    expect(await second.getByTestId('signout').count()).toBe(0);
    expect(await second.getByTestId('operator-name').count()).toBe(0);
    // …and the first is still signed in.
    expect(await first.getByTestId('operator-name').textContent()).toBe(ANA.name);
  }, 60_000);

  it('an idle screen locks; a wrong PIN is refused and the right one unlocks', async () => {
    await first.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
    expect(await first.getByTestId('lock-title').textContent()).toBe(`Locked — ${ANA.name}`);
    expect(await first.getByTestId('operator-name').count()).toBe(0);
    await first.getByTestId('lock-pin').fill('0000');
    await first.getByTestId('lock-submit').click();
    await expect.poll(() => first.getByTestId('lock-error').textContent()).toMatch(/wrong PIN/);
    await first.getByTestId('lock-pin').fill(ANA.pin);
    await first.getByTestId('lock-submit').click();
    await expect.poll(() => first.getByTestId('operator-name').textContent()).toBe(ANA.name);
  }, 60_000);

  it('another badge on the lock screen switches the operator', async () => {
    await first.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
    await first.getByTestId('lock-badge').fill(BEN.badge);
    await first.getByTestId('lock-pin').fill(BEN.pin);
    await first.getByTestId('lock-submit').click();
    await expect.poll(() => first.getByTestId('operator-name').textContent()).toBe(BEN.name);
  }, 60_000);
});
