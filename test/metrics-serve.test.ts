/**
 * `pochub serve --metrics` end to end: a real hub in demo mode, scraped over HTTP, its exposition
 * checked by Debian's `promtool check metrics`, and the outbox gauges followed while a reading is
 * confirmed, fails to export (its folder is missing) and is then sent (docs/monitoring.md).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../shared/api/model.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pochub-metrics-'));
const exportDir = join(dataDir, 'ehr-drop');
const PATIENT = { mrn: 'MRN-40021', birthDate: '1961-07-14' };
let cli: CliProcess;
let apiPort = 0;
let token = '';
let metricsUrl = '';

/** One browser session (its cookie): the admin and the assistant each have their own. */
class Session {
  private cookie?: string;
  async call<T>(method: string, input: unknown = {}): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }> {
    const res = await fetch(`http://127.0.0.1:${apiPort}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  }
  async value<T>(method: string, input: unknown = {}): Promise<T> {
    const r = await this.call<T>(method, input);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }
}

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, e.g. `pochub_outbox_rows{target="x",state="done"}`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** `promtool check metrics` reads the exposition on stdin; lint findings make it fail. */
function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

beforeAll(async () => {
  cli = startCli(['serve', '--data', dataDir, '--demo', '--port', '0', '--metrics', '0']);
  await cli.waitForStdout(/Prometheus metrics: http:\/\/\S+/);
  const url = new URL(/open (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '');
  apiPort = Number(url.port);
  token = url.searchParams.get('token') ?? '';
  metricsUrl = /Prometheus metrics: (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  cli?.child.kill('SIGTERM');
  await cli?.done;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pochub serve --metrics', () => {
  it('listens on loopback and answers only GET /metrics', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
  });

  it('exposes a valid exposition that promtool accepts, with every documented family', async () => {
    const text = await scrape();
    const checked = await promtool(text);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
    for (const name of ['pochub_outbox_dead_rows', 'pochub_readings_total', 'pochub_audit_chain_ok', 'pochub_store_size_bytes', 'pochub_process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'pochub_audit_chain_ok')).toBe(1);
    expect(sample(text, 'pochub_store_size_bytes')).toBeGreaterThan(0);
    // Demo mode plays every driver's simulator: devices show as connected.
    expect(sample(text, 'pochub_device_connected')).toBe(1);
  });

  it('follows the outbox: a confirmed reading waits while its target fails, then is sent', async () => {
    const admin = new Session();
    await admin.value('signIn', { badgeId: '9001', pin: '9999' });
    // The export folder does not exist yet: every attempt fails until it does.
    await admin.value('saveExportTarget', { target: { id: 'metrics-drop', name: 'Metrics drop', kind: 'file', directory: exportDir, retry: { baseMs: 100, maxMs: 1000 } } });

    const assistant = new Session();
    await assistant.value('signIn', { badgeId: '1001', pin: '1234' });
    await assistant.value('selectPatient', PATIENT);
    let confirmed: ReviewItem | undefined;
    await expect
      .poll(
        async () => {
          const items = await assistant.value<ReviewItem[]>('listReview');
          for (const item of items) {
            if (item.state !== 'pending' || item.reading.kind !== 'patient' || item.checks?.impossible.length !== 0) continue;
            const acknowledge = [...(item.checks.critical.length ? ['critical'] : []), ...(item.checks.old ? ['old'] : [])];
            const r = await assistant.call<ReviewItem>('confirmReading', { readingId: item.id, acknowledge });
            if (r.ok) return (confirmed = r.value);
          }
          return undefined;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBeDefined();
    expect(confirmed?.state).toBe('confirmed');

    // Waiting and failing: not done, an attempt that failed, the oldest row ageing.
    await expect.poll(async () => sample(await scrape(), 'pochub_export_failures_total', { target: 'metrics-drop' }) ?? 0, { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
    let text = await scrape();
    expect(sample(text, 'pochub_outbox_rows', { target: 'metrics-drop', state: 'done' })).toBe(0);
    expect(sample(text, 'pochub_readings_total', { state: 'confirmed' })).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => sample(await scrape(), 'pochub_outbox_oldest_waiting_age_seconds', { target: 'metrics-drop' }), { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);

    // The folder appears: the retry sends the row, and the gauges follow.
    mkdirSync(exportDir);
    await expect.poll(async () => sample(await scrape(), 'pochub_outbox_rows', { target: 'metrics-drop', state: 'done' }), { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => sample(await scrape(), 'pochub_outbox_oldest_waiting_age_seconds', { target: 'metrics-drop' }), { timeout: 60_000, interval: 200 }).toBe(0);
    text = await scrape();
    expect(sample(text, 'pochub_export_attempts_total', { target: 'metrics-drop', outcome: 'done' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pochub_outbox_dead_rows')).toBe(0);
    expect((await promtool(text)).code).toBe(0);
  }, 180_000);
});
