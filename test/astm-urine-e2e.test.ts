import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The astm-urine driver end to end: over a socat pty pair with the real serialport, and over
 * real TCP sockets both ways — the hub connecting to the analyzer (`pochub simulate --tcp` ↔
 * `pochub read --tcp`) and analyzers connecting to the listening hub (`pochub read --listen` ↔
 * `pochub simulate --connect`) — including a NAKed frame sent again, an analyzer that sends ENQ
 * again in the middle of its message, and a connection cut mid-message (nothing half-stored).
 */
const scope = cliScope('pochub-astm-');
const start = scope.start;
const portOf = (text: string): string => /127\.0\.0\.1:(\d+)/.exec(text)?.[1] ?? '';

interface Obs {
  code?: string;
  value?: { kind: string; value?: number; unit?: string; text?: string; label?: string };
}
const summary = (reading: Record<string, unknown>): string[] =>
  (reading['observations'] as Obs[]).map((o) => `${o.code ?? '-'} ${o.value?.kind === 'quantity' ? `${o.value.value} ${o.value.unit}` : o.value?.kind === 'unmapped' ? `unmapped ${o.value.label}` : o.value?.text}`);
const countIn = (data: string): number => {
  const store = openStore(join(data, 'pochub.db'));
  try {
    return store.readings.countReadings();
  } finally {
    store.close();
  }
};

describe('astm-urine over a pty pair', () => {
  it('pochub simulate → pochub read: the worked example is one reading with its sample id; a port entry over the preset keeps the unit rule (E.U./dL stays unmapped)', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'astm-urine', '--port', pty.b, '--timeout', '20', '--json', '--data', data, '--option', 'codeMap=lis2-example', '--option', 'testCodes=URO=20405-7 mg/dL']);
    await reader.waitForStderr(/^reading .* on serial /m);
    const analyzer = start(['simulate', '--driver', 'astm-urine', '--port', pty.a, '--scenario', 'strip']);
    await analyzer.waitForStderr('scenario finished');
    analyzer.child.kill('SIGINT');
    reader.child.kill('SIGINT');
    const r = await reader.done;
    const readings = ndjson(r.stdout);
    expect(readings, r.stderr).toHaveLength(1);
    expect(readings[0]?.['context']).toMatchObject({ sampleId: 'SPC7781', operatorId: 'OP01', patientId: 'PID0042' });
    expect(summary(readings[0] ?? {})).toEqual([
      '25428-4 Negative', '5770-3 Negative', '5797-6 5 mg/dL', '5811-5 1.02 1', '5794-3 Negative',
      '5803-2 6 [pH]', '5804-0 30 mg/dL', '20405-7 unmapped URO', '5802-4 Positive', '5799-2 Small',
    ]);
    expect(countIn(data)).toBe(1);
  }, 60_000);

  it('refuses a test-code map that names a code the catalog lacks, before any port is opened', async () => {
    const r = await start(['read', '--driver', 'astm-urine', '--port', '/dev/null-nothing', '--option', 'testCodes=ASC=99999-9', '--data', scope.tempDir()]).done;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ASC: 99999-9 is not a code in the catalog/);
  }, 30_000);
});

describe('astm-urine over TCP', () => {
  it('the hub connects to the analyzer: a frame damaged once is NAKed, sent again, and stored once', async () => {
    const data = scope.tempDir();
    const analyzer = start(['simulate', '--driver', 'astm-urine', '--scenario', 'nak-resend', '--tcp', '0']);
    await analyzer.waitForStderr(/listening on 127\.0\.0\.1:\d+/);
    const reader = start(['read', '--driver', 'astm-urine', '--tcp', `127.0.0.1:${portOf(analyzer.stderr())}`, '--timeout', '30', '--json', '--data', data]);
    // The simulated analyzer finishes its scenario only when every frame was acknowledged.
    await analyzer.waitForStderr('scenario finished');
    reader.child.kill('SIGINT');
    const r = await reader.done;
    expect(ndjson(r.stdout), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/checksum/i);
    expect(countIn(data)).toBe(1);
  }, 60_000);

  it('analyzers connect to the listening hub: ENQ again mid-message is one reading; a connection cut mid-message stores nothing and is reported', async () => {
    const data = scope.tempDir();
    const hub = start(['read', '--driver', 'astm-urine', '--listen', '127.0.0.1:0', '--timeout', '40', '--json', '--data', data]);
    await hub.waitForStderr(/listening for .* on 127\.0\.0\.1:\d+/);
    const port = portOf(hub.stderr());
    const restarted = await start(['simulate', '--driver', 'astm-urine', '--scenario', 'enq-while-busy', '--connect', `127.0.0.1:${port}`, '--exit']).done;
    expect(restarted.stderr).toContain('scenario finished');
    await hub.waitForStderr(/began the message again/);
    const cut = await start(['simulate', '--driver', 'astm-urine', '--scenario', 'cut', '--connect', `127.0.0.1:${port}`, '--exit']).done;
    expect(cut.code, cut.stderr).not.toBe(null);
    await hub.waitForStderr(/discarded, no reading made: the connection ended/);
    hub.child.kill('SIGINT');
    const r = await hub.done;
    expect(r.stderr).toMatch(/2 connection\(s\)/);
    const readings = ndjson(r.stdout);
    expect(readings.map((x) => (x['context'] as { sampleId?: string }).sampleId)).toEqual(['SPC7781']);
    expect(countIn(data)).toBe(1);
  }, 90_000);
});
