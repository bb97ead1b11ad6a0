import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openStore } from '../main/store/index.ts';
import { storeFile } from '../main/paths.ts';
import { HubWorkflow } from '../main/workflow/hub-workflow.ts';
import { bpReading } from '../test/helpers/store-fixtures.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startCli } from '../test/helpers/cli.ts';
import { median } from './stats.ts';

export interface UiRenderResult {
  /** Page load → the capture screen (review + live devices) drawn, with a Capture button. */
  captureScreenMs: number[];
  /** Page load → the review list of 1,000+ pending readings drawn (first row visible). */
  pendingListMs: number[];
  pending: number;
  /** Scrolling the list from top to bottom in steps, two animation frames per step. */
  scrollSteps: number;
  scrollMs: number;
  rowsInDom: number;
}

/** 1,000 unassigned readings waiting in a store, as after a long day of downloads. */
function seedPending(dataDir: string, count: number): void {
  const store = openStore(storeFile(dataDir));
  const workflow = new HubWorkflow(store, 'bench');
  const base = Date.parse('2026-01-15T08:00:00Z');
  for (let i = 0; i < count; i++) {
    const at = new Date(base + i * 60_000).toISOString();
    const reading = bpReading({ context: { sequence: String(i) }, deviceTime: at.slice(0, 19), receivedAt: at, effectiveTime: at });
    const { id } = store.readings.ingest(reading, []);
    workflow.readingArrived(id, reading, { key: 'acme-bp100:SN123', label: 'Acme BP-100' });
  }
  store.close();
}

const visible = (page: Page, selector: string): Promise<unknown> => page.locator(selector).first().waitFor({ state: 'visible', timeout: 30_000 });

/**
 * Time to first render of the capture screen in Chromium, and time to render and scroll 1,000
 * pending readings, against `pochub serve --demo` (the real UI in renderer/dist).
 */
export async function measureUiRender(runs: number): Promise<UiRenderResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pochub-bench-ui-'));
  seedPending(dataDir, 1000);
  const hub = startCli(['serve', '--port', '0', '--demo', '--data', dataDir]);
  const browser = await launchChromium();
  try {
    await hub.waitForStdout(/open (http:\/\/\S+)/);
    const url = /open (http:\/\/\S+)/.exec(hub.stdout())?.[1] ?? '';
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(url);
    await page.getByTestId('signin-badge').fill('1001');
    await page.getByTestId('signin-pin').fill('1234');
    await page.getByTestId('signin-pin').press('Enter');
    await visible(page, '[data-testid^="capture-"]');
    const origin = new URL(page.url()).origin;

    const captureScreenMs: number[] = [];
    const pendingListMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh load of the page: the hub still knows who is signed in.
      const t0 = performance.now();
      await page.goto(`${origin}/`);
      await visible(page, '[data-testid^="capture-"]');
      captureScreenMs.push(performance.now() - t0);
      const t1 = performance.now();
      await page.goto(`${origin}/`);
      await visible(page, '[data-testid^="reading-"]');
      pendingListMs.push(performance.now() - t1);
    }
    // "(1,000)": the count as the page prints it, thousands separator and all.
    const pending = Number(((await page.getByTestId('pending-count').textContent()) ?? '').replace(/\D/g, ''));
    const rowsInDom = await page.locator('[data-testid^="reading-"]').count();
    const steps = 40;
    const scrollMs = Number(
      await page.evaluate(`(async () => {
        const list = document.querySelector('[data-testid="review-list"]');
        const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
        const t0 = performance.now();
        for (let i = 1; i <= ${steps}; i++) {
          list.scrollTop = (list.scrollHeight - list.clientHeight) * i / ${steps};
          await frame(); await frame();
        }
        return performance.now() - t0;
      })()`),
    );
    return { captureScreenMs, pendingListMs, pending, scrollSteps: steps, scrollMs, rowsInDom };
  } finally {
    await browser.close();
    hub.child.kill('SIGTERM');
    await hub.done;
  }
}

export function describeUiRender(r: UiRenderResult): string[] {
  return [
    `  capture screen, first render after load: median ${median(r.captureScreenMs).toFixed(0)} ms (runs ${r.captureScreenMs.map((m) => m.toFixed(0)).join(' / ')})`,
    `  ${r.pending} pending readings, list drawn after load: median ${median(r.pendingListMs).toFixed(0)} ms (runs ${r.pendingListMs.map((m) => m.toFixed(0)).join(' / ')}); ${r.rowsInDom} rows in the DOM`,
    `  scrolling top → bottom in ${r.scrollSteps} steps of 2 frames: ${r.scrollMs.toFixed(0)} ms (${(r.scrollMs / r.scrollSteps).toFixed(1)} ms a step; 33 ms a step is 2 frames at 60 Hz)`,
  ];
}
