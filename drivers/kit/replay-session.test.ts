import { describe, expect, it } from 'vitest';
import { observe, quantity } from '../../shared/observation.ts';
import { fromLatin1, latin1 } from './bytes.ts';
import { sleep } from './clock.ts';
import type { Driver, DriverContext, DriverSession } from './driver.ts';
import { FrameReader } from './frame-reader.ts';
import { LineFramer } from './framers/lines.ts';
import { DEFAULT_DEADLINES, type DriverManifest } from './manifest.ts';
import { replaySession, type ReplaySessionOptions, type ReplaySessionResult } from './replay-session.ts';
import { parseTrace } from './trace.ts';

const manifest: DriverManifest = {
  id: 'test-replay',
  name: 'Test',
  manufacturer: 'Test',
  models: ['T'],
  category: 'vitals',
  kind: 'discrete',
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  usb: [],
  checksum: false,
  options: [],
  deadlines: DEFAULT_DEADLINES,
  hints: ['none'],
};

/**
 * A tiny line driver: every line `v <n> [<device time>]` is one pulse-rate reading. With `pollMs`
 * it polls like a DINAMAP does (writes `POLL\r` on a timer until the link ends); without, it
 * only listens.
 */
function lineDriver(pollMs?: number): Driver {
  return {
    manifest,
    simulator: { scenarios: [{ name: 'none', description: '' }], run: async () => undefined },
    createSession: (ctx: DriverContext): DriverSession => {
      const reader = new FrameReader(ctx, new LineFramer());
      const poll = async (signal: AbortSignal): Promise<void> => {
        while (!ctx.link.closed && !signal.aborted) {
          await ctx.link.write(fromLatin1('POLL\r')).catch(() => undefined);
          await sleep(ctx.clock, pollMs ?? 0, signal).catch(() => undefined);
        }
      };
      return {
        probe: async () => true,
        open: async () => undefined,
        identify: async () => ({ manufacturer: 'Test', model: 'T' }),
        acquire: async (signal) => {
          // Polling stops when the link ends (the read loop below returns) or the session is aborted.
          const stop = new AbortController();
          signal.addEventListener('abort', () => stop.abort(), { once: true });
          const polling = pollMs === undefined ? Promise.resolve() : poll(stop.signal);
          let line: Uint8Array | undefined;
          while ((line = await reader.next(signal))) {
            const [tag, value, deviceTime] = latin1(line).split(' ');
            if (tag !== 'v') continue;
            ctx.emit({
              type: 'reading',
              draft: {
                device: { manufacturer: 'Test', model: 'T' },
                kind: 'patient',
                timeBasis: 'live',
                observations: [observe('heartRate', quantity(Number(value), '/min'))],
                flags: [],
                raw: [line],
                ...(deviceTime ? { deviceTime } : {}),
              },
            });
          }
          stop.abort();
          await polling;
        },
        close: async () => reader.dispose(),
      };
    },
  };
}

/** Replay, but give up (and say so) if the replay has not ended long after it should have. */
async function replayWithin(driver: Driver, text: string, options: ReplaySessionOptions, giveUpMs = 20_000): Promise<ReplaySessionResult | 'still open'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), giveUpMs)));
  try {
    return await Promise.race([replaySession(driver, parseTrace(text), options), giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

const POLLED = ['# pochub-trace 1', '0.000 > "POLL\\r"', '0.010 < "v 61\\r\\n"', '1.000 > "POLL\\r"', '1.010 < "v 62\\r\\n"'].join('\n');

describe('replay of a polling driver (docs/trace-format.md §3.2)', () => {
  it('--loose: polls the trace has no answer for do not keep the replay open; it ends one idle period after the last answer', async () => {
    // The driver polls every 20 ms, well inside the 300 ms idle period: before the fix each
    // unanswered poll restarted the idle period and the replay never ended.
    const outcome = await replayWithin(lineDriver(20), POLLED, { loose: true, idleMs: 300 });
    expect(outcome).not.toBe('still open');
    if (outcome === 'still open') return;
    expect(outcome.result.end).toBe('ended');
    expect(outcome.result.error).toBeUndefined();
    expect(outcome.result.readings.map((r) => r.observations[0]?.value)).toEqual([quantity(61, '/min'), quantity(62, '/min')]);
    expect(outcome.unusedExchanges).toBe(0);
  });

  it('without --loose, the first poll past the end of the trace is a REPLAY_MISMATCH', async () => {
    const outcome = await replayWithin(lineDriver(20), POLLED, { idleMs: 300 });
    if (outcome === 'still open') throw new Error('replay still open');
    expect(outcome.result.end).toBe('failed');
    expect(outcome.result.error?.code).toBe('REPLAY_MISMATCH');
    expect(outcome.result.readings).toHaveLength(2);
  });
});

describe('replay time stamps (docs/trace-format.md §3.4)', () => {
  const RECORDED = Date.parse('2026-03-21T10:00:00Z');
  const secondsAfterStart = (iso: string): number => (Date.parse(iso) - RECORDED) / 1000;

  it('stamps a reading with the time of its own line, not of the event after it', async () => {
    // The line at 2 s carries the recording's start as its device time; the next event comes
    // much later, so a stamp taken at the next event is unmistakable.
    const text = ['# pochub-trace 1', '# recorded: 2026-03-21T10:00:00Z', '2.000 < "v 70 2026-03-21T10:00:00\\r\\n"', '600.000 < "# nothing\\r\\n"'].join('\n');
    const outcome = await replayWithin(lineDriver(), text, { idleMs: 100 });
    if (outcome === 'still open') throw new Error('replay still open');
    const [reading] = outcome.result.readings;
    expect(outcome.result.readings).toHaveLength(1);
    // Trace time runs on in real time between events; anything short of the next event is its own time.
    expect(secondsAfterStart(reading?.receivedAt ?? '')).toBeGreaterThanOrEqual(2);
    expect(secondsAfterStart(reading?.receivedAt ?? '')).toBeLessThan(300);
    expect(reading?.clock?.skewSeconds).toBeLessThan(300);
    expect(reading?.clock?.skewSeconds).toBeGreaterThanOrEqual(2);
  });

  it('stamps each reading of one response burst with its own line time', async () => {
    const text = ['# pochub-trace 1', '# recorded: 2026-03-21T10:00:00Z', '0.000 > "POLL\\r"', '10.000 < "v 1\\r\\n"', '400.000 < "v 2\\r\\n"', '800.000 < "v 3\\r\\n"'].join('\n');
    const outcome = await replayWithin(lineDriver(60_000), text, { idleMs: 100, loose: true });
    if (outcome === 'still open') throw new Error('replay still open');
    const seconds = outcome.result.readings.map((r) => secondsAfterStart(r.receivedAt));
    expect(seconds).toHaveLength(3);
    [10, 400, 800].forEach((at, i) => {
      expect(seconds[i]).toBeGreaterThanOrEqual(at);
      expect(seconds[i]).toBeLessThan(at + 300);
    });
  });
});
