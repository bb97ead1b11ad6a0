import { describe, expect, it } from 'vitest';
import type { HubError } from '../../shared/errors.ts';
import { fromLatin1, latin1 } from './bytes.ts';
import { ReplayLink, type ReplayOptions } from './replay.ts';
import { parseTrace } from './trace.ts';

/** Drive a replay by hand: write requests, collect what the "device" answers and how it ends. */
async function replay(text: string, writes: string[], options: ReplayOptions = {}) {
  const link = new ReplayLink(parseTrace(text), { idleMs: 50, ...options });
  const received: string[] = [];
  const ended = new Promise<HubError | undefined>((resolve) => link.onClose(resolve));
  link.onData((chunk) => received.push(latin1(chunk)));
  await new Promise((r) => setTimeout(r, 0));
  for (const w of writes) {
    if (link.closed) break;
    await link.write(fromLatin1(w));
    await new Promise((r) => setTimeout(r, 0));
  }
  const error = await ended;
  return { received: received.join(''), error, unused: link.unusedExchanges };
}

const TRACE = ['# pochub-trace 1', '0.0 < "hello\\r\\n"', '0.1 > "A\\r"', '0.2 < "a1\\r\\n"', '0.3 < "a2\\r\\n"', '0.4 > "B\\r"', '0.5 < "b\\r\\n"'].join('\n');

describe('replay rules (docs/trace-format.md §3)', () => {
  it('sends what precedes the first request at once, then answers each exchange when its request is written', async () => {
    const r = await replay(TRACE, ['A\r', 'B\r']);
    expect(r.received).toBe('hello\r\na1\r\na2\r\nb\r\n');
    expect(r.error).toBeUndefined();
    expect(r.unused).toBe(0);
  });

  it('matches exchanges by request, not by position (earliest unused first)', async () => {
    const r = await replay(TRACE, ['B\r', 'A\r']);
    expect(r.received).toBe('hello\r\nb\r\na1\r\na2\r\n');
  });

  it('waits while the bytes written are a prefix of a request (writes split in pieces)', async () => {
    const r = await replay(TRACE, ['A', '\r']);
    expect(r.received).toBe('hello\r\na1\r\na2\r\n');
    expect(r.unused).toBe(1);
  });

  it('fails on a write that matches no request, naming the bytes and the nearest request line', async () => {
    const r = await replay(TRACE, ['X\r']);
    expect(r.error?.code).toBe('REPLAY_MISMATCH');
    expect(r.error?.message).toContain('58 0D');
    expect(r.error?.message).toContain('trace line 3');
  });

  it('--loose: writes that match nothing do not postpone the end (a polling driver never stops writing)', async () => {
    const link = new ReplayLink(parseTrace(TRACE), { idleMs: 50, loose: true });
    const ended = new Promise<HubError | undefined>((resolve) => link.onClose(resolve));
    link.onData(() => undefined);
    await link.write(fromLatin1('A\r'));
    // Poll every 10 ms, as a polling driver would, until the stream ends (the test's own timeout
    // catches a replay that never ends).
    let polls = 0;
    while (!link.closed) {
      await link.write(fromLatin1('POLL\r'));
      polls++;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await ended).toBeUndefined();
    expect(polls).toBeGreaterThan(0);
  });

  it('--loose ignores writes that match nothing (the device stays silent)', async () => {
    const r = await replay(TRACE, ['X\r', 'A\r'], { loose: true });
    expect(r.error).toBeUndefined();
    expect(r.received).toBe('hello\r\na1\r\na2\r\n');
  });

  it('--in-order requires exchanges in trace order', async () => {
    const r = await replay(TRACE, ['B\r'], { inOrder: true });
    expect(r.error?.code).toBe('REPLAY_MISMATCH');
    expect(r.error?.message).toContain('trace line 3');
  });

  it('`??` in a request matches any byte', async () => {
    const r = await replay('# pochub-trace 1\n> 02 ?? 03\n< "ok"', ['\x02\x7f\x03']);
    expect(r.received).toBe('ok');
    expect(r.error).toBeUndefined();
  });

  it('--idle: closes the link after the grace period without a write', async () => {
    const r = await replay('# pochub-trace 1\n< "only"', [], { idleMs: 30 });
    expect(r.received).toBe('only');
    expect(r.error).toBeUndefined();
  });

  it('HID: compares each written report on its own, trailing zero padding ignored, and restores padding', async () => {
    const text = '# pochub-trace 1\n# transport: hid 1a61:3850\n> 04 0A\n< 06 41 42';
    const link = new ReplayLink(parseTrace(text), { idleMs: 50, reportSize: 8 });
    const reports: number[][] = [];
    link.onData((r) => reports.push(Array.from(r)));
    const ended = new Promise((resolve) => link.onClose(resolve));
    await link.write(Uint8Array.of(4, 10, 0, 0, 0, 0, 0, 0));
    await ended;
    expect(link.mode).toBe('reports');
    expect(reports).toEqual([[6, 0x41, 0x42, 0, 0, 0, 0, 0]]);
  });

  it('uses trace times as the clock, from the recorded start when the trace has one', async () => {
    const link = new ReplayLink(parseTrace('# pochub-trace 1\n# recorded: 2026-03-21T10:00:00Z\n5.000 < "x"'), { idleMs: 20 });
    const seen: number[] = [];
    link.onData(() => seen.push(link.clock.now()));
    await new Promise((resolve) => link.onClose(resolve));
    expect(seen).toHaveLength(1);
    expect(Math.abs((seen[0] ?? 0) - Date.parse('2026-03-21T10:00:05Z'))).toBeLessThan(1000);
    expect(ReplayLink.hasRecordedTime(parseTrace('# pochub-trace 1\n< 00'))).toBe(false);
  });
});
