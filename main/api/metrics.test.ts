import { afterEach, describe, expect, it } from 'vitest';
import { MEMORY, openStore, type HubDatabase } from '../store/index.ts';
import { MetricsQueries } from '../store/metrics-queries.ts';
import { createHubMetrics } from './metrics.ts';
import { MetricsAddressSchema, isLoopback } from './metrics-server.ts';

describe('--metrics address', () => {
  it('a port alone listens on loopback; another host only when written out', () => {
    expect(MetricsAddressSchema.parse('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(MetricsAddressSchema.parse('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(MetricsAddressSchema.parse('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(MetricsAddressSchema.parse('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
  });

  it('tells loopback from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'ws-1.clinic.example']) expect(isLoopback(h), h).toBe(false);
  });

  it('refuses what is not [host:]port, with the form to use', () => {
    for (const bad of ['', 'abc', '9464x', 'host:', ':9464', '70000', 'http://127.0.0.1:9464']) {
      const r = MetricsAddressSchema.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/--metrics takes <port> or <host>:<port>/);
    }
  });
});

describe('hub metrics over a fresh store', () => {
  let store: HubDatabase | undefined;
  afterEach(() => store?.close());

  it('reports zeros, an intact chain, and no device families without devices', async () => {
    store = openStore(MEMORY);
    let verified = 0;
    const registry = createHubMetrics({
      queries: new MetricsQueries(store.db),
      storeFile: undefined,
      listDevices: () => [],
      listPorts: () => [],
      qcLockOf: () => undefined,
      verifyAudit: () => ({ ok: true, rows: ++verified }),
      now: () => 0,
    });
    const text = await registry.metrics();
    expect(text).toMatch(/^pochub_outbox_dead_rows 0$/m);
    expect(text).toMatch(/^pochub_readings_total\{state="arrived"\} 0$/m);
    expect(text).toMatch(/^pochub_audit_chain_ok 1$/m);
    expect(text).not.toMatch(/pochub_nodejs_active_handles_total/);
    // The chain is hashed once per check window, not once per family or scrape.
    await registry.metrics();
    expect(verified).toBe(1);
  });

  it('shows a broken audit chain at once and checks it again every 10 s until it verifies', async () => {
    store = openStore(MEMORY);
    const answers = [false, false, true];
    let calls = 0;
    let now = 0;
    const registry = createHubMetrics({
      queries: new MetricsQueries(store.db),
      storeFile: undefined,
      listDevices: () => [],
      listPorts: () => [],
      qcLockOf: () => undefined,
      verifyAudit: () => ({ ok: answers[calls++] ?? true, rows: 3 }),
      now: () => now,
    });
    expect(await registry.metrics()).toMatch(/^pochub_audit_chain_ok 0$/m);
    expect(await registry.metrics()).toMatch(/^pochub_audit_chain_ok 0$/m);
    expect(calls).toBe(1);
    now += 10_000;
    expect(await registry.metrics()).toMatch(/^pochub_audit_chain_ok 0$/m);
    now += 10_000;
    expect(await registry.metrics()).toMatch(/^pochub_audit_chain_ok 1$/m);
    expect(calls).toBe(3);
  });
});
