/**
 * The socat end-to-end shape every serial meter test shares: `pochub simulate` plays a scenario on
 * one end of a pty pair, `pochub read --json` downloads it on the other into a fresh data folder,
 * and a second download must offer nothing new.
 */
import { expect } from 'vitest';
import { runCli, type CliRun } from './cli.ts';
import type { CliScope } from './cli-scope.ts';

/** A simulated meter on a pty, and how to download it. */
export interface MeterOnPty {
  /** The data folder the downloads store into. */
  data: string;
  /** The pty end `pochub read` opens. */
  port: string;
  /** `pochub read --driver <id> --port <port> --json --data <data> --timeout 120`, plus `extra`. */
  read(extra?: readonly string[]): Promise<CliRun>;
}

/** Start `pochub simulate` of `scenario` on a new pty pair of `scope` and wait until it plays. */
export async function simulateOnPty(scope: CliScope, driverId: string, scenario: string): Promise<MeterOnPty> {
  const pty = await scope.ptyPair();
  const data = scope.tempDir();
  const meter = scope.start(['simulate', '--driver', driverId, '--port', pty.a, '--scenario', scenario]);
  await meter.waitForStderr('simulating');
  return {
    data,
    port: pty.b,
    read: (extra = []) => runCli(['read', '--driver', driverId, '--port', pty.b, '--json', '--data', data, '--timeout', '120', ...extra]),
  };
}

/** A repeated download of `count` readings: exit code 3, nothing on standard output, all already stored. */
export function expectNothingNew(run: CliRun, count: number): void {
  expect(run.code, run.stderr).toBe(3);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`${count} reading(s) downloaded: 0 new, ${count} already in the store`);
}
