/**
 * The monitoring examples of docs/monitoring.md stay true: the alert rules pass `promtool check
 * rules`, the Grafana dashboard is valid JSON, and every metric they (and the doc's table) name is
 * one the hub exposes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHubMetrics } from '../main/api/metrics.ts';
import { MEMORY, openStore } from '../main/store/index.ts';
import { MetricsQueries } from '../main/store/metrics-queries.ts';
import { ROOT } from './helpers/cli.ts';

const DIR = join(ROOT, 'docs', 'monitoring');
const store = openStore(MEMORY);
afterAll(() => store.close());

/** Every sample name the hub can expose (histograms add _bucket, _sum and _count). */
async function exposedNames(): Promise<Set<string>> {
  const registry = createHubMetrics({ queries: new MetricsQueries(store.db), storeFile: undefined, listDevices: () => [], listPorts: () => [], qcLockOf: () => undefined, verifyAudit: () => ({ ok: true, rows: 0 }), now: Date.now });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
}

/** The `pochub_*` identifiers in a PromQL expression or a text. */
function namesIn(text: string): string[] {
  return [...text.matchAll(/\bpochub_[a-z0-9_]+/g)].map((m) => m[0]);
}

describe('docs/monitoring', () => {
  it('the alert rules pass promtool check rules and name exposed metrics', async () => {
    const r = spawnSync('promtool', ['check', 'rules', join(DIR, 'alerts.yml')], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toMatch(/SUCCESS: 5 rules found/);
    expect(r.status).toBe(0);
    const exposed = await exposedNames();
    const named = namesIn(readFileSync(join(DIR, 'alerts.yml'), 'utf8'));
    expect(named).toEqual(expect.arrayContaining(['pochub_outbox_dead_rows', 'pochub_outbox_oldest_waiting_age_seconds', 'pochub_port_last_reading_age_seconds']));
    for (const n of named) expect(exposed.has(n), n).toBe(true);
  });

  it('the Grafana dashboard is valid JSON whose queries name exposed metrics', async () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exposed = await exposedNames();
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets) {
        const named = namesIn(t.expr);
        expect(named.length, t.expr).toBeGreaterThan(0);
        for (const n of named) expect(exposed.has(n), `${panel.title}: ${n}`).toBe(true);
      }
    }
  });

  it('every metric docs/monitoring.md lists exists', async () => {
    const exposed = await exposedNames();
    const named = namesIn(readFileSync(join(ROOT, 'docs', 'monitoring.md'), 'utf8'));
    expect(named.length).toBeGreaterThan(10);
    // `pochub_process_*` names a family of prefixes: some exposed metric must start with it.
    for (const n of named) expect(n.endsWith('_') ? [...exposed].some((e) => e.startsWith(n)) : exposed.has(n), n).toBe(true);
  });
});
