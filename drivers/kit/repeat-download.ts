import { VirtualClock } from './clock.ts';
import type { Driver } from './driver.ts';
import { createLinkPair } from './link.ts';
import { transportFor, type TransportKind } from './manifest.ts';
import { runSession, type SessionResult } from './session.ts';

/** How `downloadTwice` plays: the scenario, the link kind, and the virtual time between the two downloads. */
export interface RepeatDownloadOptions {
  scenario?: string;
  link?: TransportKind;
  gapMs: number;
  startMs?: number;
}

/** Virtual time one download may take before the harness gives up on it (a session has its own deadlines well inside this). */
const SESSION_LIMIT_MS = 24 * 60 * 60 * 1000;
/** Step of the virtual clock while a session runs. */
const STEP_MS = 1_000;

/**
 * Download one simulated meter twice over one link that stays plugged in, `gapMs` of virtual time
 * apart — what `pochub read` twice against one `pochub simulate` does. A meter's memory does not
 * move with its clock, so the two downloads must give the same records (the store then imports the
 * second as nothing new). Catches a simulator that builds its memory from "now" on every request.
 */
export async function downloadTwice(driver: Driver, opts: RepeatDownloadOptions): Promise<[SessionResult, SessionResult]> {
  const clock = new VirtualClock(opts.startMs);
  const spec = opts.link ? transportFor(driver.manifest, opts.link) : driver.manifest.transport;
  if (!spec) throw new Error(`${driver.manifest.id} takes no ${opts.link ?? ''} link`);
  const pair = createLinkPair({ mode: spec.type === 'hid' ? 'reports' : 'bytes', reportSize: spec.type === 'hid' ? spec.reportSize : undefined });
  const simulatorStop = new AbortController();
  const scenario = opts.scenario ?? driver.simulator.scenarios[0]?.name ?? 'default';
  const simulator = driver.simulator.run({ link: pair.device, clock, signal: simulatorStop.signal, scenario });

  const download = async (): Promise<SessionResult> => {
    let result: SessionResult | undefined;
    const session = runSession({ driver, link: pair.host, clock, signal: new AbortController().signal }).then((r) => (result = r));
    const until = clock.now() + SESSION_LIMIT_MS;
    while (result === undefined && clock.now() < until) {
      // runUntilIdle lets the promise chains settle too; advanceTo moves time on when no timer is due.
      const next = clock.now() + STEP_MS;
      await clock.runUntilIdle(STEP_MS);
      await clock.advanceTo(next);
    }
    if (result === undefined) throw new Error(`${driver.manifest.id}: a download did not end within a virtual day`);
    return session;
  };

  try {
    const first = await download();
    await clock.advanceTo(clock.now() + opts.gapMs);
    const second = await download();
    return [first, second];
  } finally {
    simulatorStop.abort();
    await pair.host.close();
    await clock.runUntilIdle(SESSION_LIMIT_MS);
    await simulator.catch(() => undefined);
  }
}
