import type { Browser, Page } from 'playwright-core';
import type { ApiResult } from '../../shared/api/client.ts';
import { launchChromium } from './browser.ts';
import { startCli, type CliProcess } from './cli.ts';

/** The page size the Chromium tests check the screens at: a clinic's 1366×768 laptop. */
export const LAPTOP = { width: 1366, height: 768 } as const;

/** The address `pochub serve` prints, with the token the page needs. */
const OPEN_LINE = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

/** A real `pochub serve` and Debian's Chromium with one page open on it. */
export interface HubPage {
  readonly hub: CliProcess;
  readonly browser: Browser;
  readonly page: Page;
  /** The address the page was opened at (with its token). */
  readonly url: string;
  /** Close the browser, stop the hub and wait until it has exited. */
  close(): Promise<void>;
}

export interface HubPageOptions {
  /** `serve`'s arguments after `serve --port 0`: `--demo`, `--data <dir>`, … */
  readonly serve: readonly string[];
  /** Extra environment of the hub process. */
  readonly env?: NodeJS.ProcessEnv;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * Start `pochub serve --port 0 …` (from the build: `npm run build:cli` and `npm run build:ui`
 * first), wait for its address, and open it in a new Chromium page. The caller closes it in its
 * `afterAll`, before removing the folders the hub writes to.
 */
export async function openHubPage(opts: HubPageOptions): Promise<HubPage> {
  const hub = startCli(['serve', '--port', '0', ...opts.serve], opts.env);
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    hub.child.kill('SIGTERM');
    await hub.done;
  };
  try {
    await hub.waitForStdout(OPEN_LINE);
    const url = OPEN_LINE.exec(hub.stdout())?.[1] ?? '';
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: opts.viewport ?? LAPTOP });
    await page.goto(url);
    return { hub, browser, page, url, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Sign in on the page with a badge and PIN, sent with Enter in the PIN field (the keyboard way)
 * or a click on Sign in, and wait until the page shows Sign out.
 */
export async function signIn(page: Page, who: { badge: string; pin: string }, send: 'enter' | 'click' = 'enter'): Promise<void> {
  await page.getByTestId('signin-badge').fill(who.badge);
  await page.getByTestId('signin-pin').fill(who.pin);
  if (send === 'enter') await page.getByTestId('signin-pin').press('Enter');
  else await page.getByTestId('signin-submit').click();
  await page.getByTestId('signout').waitFor({ timeout: 15_000 });
}

/**
 * Call the hub's HTTP API through the page's own session (its token, its signed-in operator and
 * selected patient), as the page does: the answer, refusals included. The script is a string
 * because the test project has no DOM types.
 */
export async function pageAnswer<T>(page: Page, method: string, input: unknown = {}): Promise<ApiResult<T>> {
  return (await page.evaluate(`(async () => {
    const token = sessionStorage.getItem('pochub.token') || '';
    const r = await fetch('/api/${method}', { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(input))} });
    return r.json();
  })()`)) as ApiResult<T>;
}

/** {@link pageAnswer}'s value; an error answer throws with the method and the hub's message. */
export async function pageValue<T>(page: Page, method: string, input: unknown = {}): Promise<T> {
  const answer = await pageAnswer<T>(page, method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
  return answer.value;
}
