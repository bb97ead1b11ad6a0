import { describe, expect, it } from 'vitest';
import { ASTM, concatBytes, createLinkPair, encodeAstmFrame, latin1, resolveOptions, runSession, type SessionEvent, type SessionResult, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { CONTINUATION_WAIT_MS, MAX_SILENT_READS, READ_TIMEOUT_MS } from './conversation.ts';
import { ascensiaContourNextDriver as driver } from './index.ts';
import { payloadsOf, unwrapReport, wrapReport } from './protocol.ts';

/** One meter transfer: the payloads of its reports. `null`: the meter stays silent. */
type Transfer = Uint8Array[] | null;

const HEADER = 'H|\\^&||x|Bayer7410^01.24^7410-1234567|U=0^V=10600|3||||||1|202601150900';
const R = (i: number, mg: number): string => `R|${i}|^^^Glucose|${mg}|mg/dL^P||||2026011408${String(i).padStart(2, '0')}`;
const frame = (n: number, text: string, last = false): Uint8Array => encodeAstmFrame(n, `${text}\r`, last);
const word = (b: number): Transfer => [Uint8Array.of(b)];
const send = (...parts: Uint8Array[]): Transfer => {
  const payloads = payloadsOf(concatBytes(parts));
  return payloads.at(-1)?.length === 60 ? [...payloads, new Uint8Array()] : payloads;
};
const START = Date.UTC(2026, 0, 15, 9, 0, 20);

/**
 * Drive a session against a scripted meter: each host report is answered with the next
 * transfer of the script. Returns the session result, its events and what the host wrote.
 */
async function scripted(script: Transfer[], opts: { unplugAfter?: number; probe?: boolean } = {}): Promise<{ result: SessionResult; events: SessionEvent[]; order: string[]; words: string[]; elapsedMs: number; probed?: boolean; pending: number }> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
  const words: string[] = [];
  const events: SessionEvent[] = [];
  /** Event types and host writes (`write`), in the order they happened. */
  const order: string[] = [];
  pair.device.onData((report) => {
    words.push(latin1(unwrapReport(report).payload));
    if (opts.unplugAfter !== undefined && words.length > opts.unplugAfter) return void pair.device.close();
    const next = script.shift();
    if (next) for (const p of next) void pair.device.write(wrapReport(p));
  });
  if (opts.probe) {
    const session = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: resolveOptions(driver.manifest), emit: (e) => events.push(e as SessionEvent) });
    const probing = session.probe(new AbortController().signal);
    await virtual.runUntilIdle();
    const probed = await probing;
    await session.close();
    return { result: { readings: [], problems: {}, end: 'completed' }, events, order, words, elapsedMs: virtual.now() - START, probed, pending: clock.pending };
  }
  const host = new TappedLink(pair.host, (c) => void (c.direction === 'out' && order.push('write')), clock);
  const session = runSession({ driver, link: host, clock, onEvent: (e) => (events.push(e), order.push(e.type)) });
  await virtual.runUntilIdle();
  const result = await session;
  await pair.host.close();
  await virtual.runUntilIdle();
  return { result, events, order, words, elapsedMs: virtual.now() - START, pending: clock.pending };
}

const normal = (): Transfer[] => [word(ASTM.ENQ), send(frame(1, HEADER)), send(frame(2, 'P|1')), send(frame(3, R(1, 101))), send(frame(4, R(2, 102))), send(frame(5, R(3, 103))), send(frame(6, 'L|1||N', true)), word(ASTM.EOT)];
const values = (r: SessionResult): unknown[] => r.readings.map((x) => (x.observations[0]?.value as { value?: number } | undefined)?.value);

describe('transfer edge cases (scripted meter)', () => {
  it('a normal message: kick, ENQ, frames, L, EOT; every reply is one ACK', async () => {
    const out = await scripted(normal());
    expect(out.result.end).toBe('completed');
    expect(values(out.result)).toEqual([101, 102, 103]);
    expect(out.words).toEqual(Array.from({ length: 8 }, () => '\x06'));
    expect(out.pending).toBe(0);
  });

  it('a reading is passed on before the ACK of its frame is written', async () => {
    const out = await scripted(normal());
    const firstReading = out.order.indexOf('reading');
    const acks = out.order.flatMap((what, i) => (what === 'write' ? [i] : []));
    // kick, ENQ, H, P answered before the first result; the result's own ACK comes after it.
    expect(acks[4]).toBeGreaterThan(firstReading);
  });

  it('the meter restarts (ENQ) mid-message and sends everything again: no result twice', async () => {
    const script = normal();
    script.splice(5, 0, word(ASTM.ENQ), send(frame(1, HEADER)), send(frame(2, 'P|1')), send(frame(3, R(1, 101))), send(frame(4, R(2, 102))));
    const out = await scripted(script);
    expect(out.result.end).toBe('completed');
    expect(values(out.result)).toEqual([101, 102, 103]);
    expect(out.result.problems).toEqual({});
  });

  it('frames without ENQ (a meter answering ACK with a frame) are read', async () => {
    const script = normal().slice(1);
    const out = await scripted(script);
    expect(values(out.result)).toEqual([101, 102, 103]);
  });

  it('a silent meter: the kick is repeated, then DEVICE_NO_RESPONSE after 7 reads of 5 s', async () => {
    const out = await scripted([]);
    expect(out.result.end).toBe('failed');
    expect(out.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(out.words).toEqual(Array.from({ length: MAX_SILENT_READS + 1 }, () => '\x06'));
    expect(out.elapsedMs).toBeGreaterThanOrEqual((MAX_SILENT_READS + 1) * READ_TIMEOUT_MS);
    expect(out.pending).toBe(0);
  });

  it('a frame lost on the way: after 5 s the host NAKs and the meter sends it again', async () => {
    const script = normal();
    const lost = script[3] as Transfer;
    script.splice(3, 1, null, lost);
    const out = await scripted(script);
    expect(values(out.result)).toEqual([101, 102, 103]);
    expect(out.words.slice(3, 6)).toEqual(['\x06', '\x15', '\x06']); // ACK of P, silence, NAK, ACK
  });

  it('a transfer ending exactly on a full report (no empty report after it) is answered after a short wait', async () => {
    // 52 characters + CR + 7 bytes of framing = 60: the marker field takes the padding.
    const base = (m: string): string => `R|1|^^^Glucose|101|mg/dL^P||${m}||202601140801`;
    const text = base('Z'.padEnd(52 - base('').length, ' '));
    const f = frame(3, text);
    expect(f).toHaveLength(60);
    const script = normal();
    script[3] = payloadsOf(f);
    const out = await scripted(script);
    expect(values(out.result)).toEqual([101, 102, 103]);
    expect(out.elapsedMs).toBeGreaterThanOrEqual(CONTINUATION_WAIT_MS);
    expect(out.elapsedMs).toBeLessThan(READ_TIMEOUT_MS);
  });

  it('the meter ends (EOT) without an L record and before all it announced: what came is kept, the gap reported', async () => {
    const script = normal();
    script.splice(5, 3, word(ASTM.EOT));
    const out = await scripted(script);
    expect(out.result.end).toBe('completed');
    expect(values(out.result)).toEqual([101, 102]);
    expect(out.result.problems).toEqual({ PROTOCOL_TRUNCATED: 1 });
  });

  it('a record before the header is skipped and reported; an L with code T is a DEVICE_ERROR problem', async () => {
    const script = normal();
    script.splice(1, 0, send(frame(1, R(9, 199))));
    script.splice(2, 6, send(frame(2, HEADER)), send(frame(3, 'P|1')), send(frame(4, R(1, 101))), send(frame(5, 'L|1||T', true)), word(ASTM.EOT));
    const out = await scripted(script);
    expect(values(out.result)).toEqual([101]);
    expect(out.result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1, DEVICE_ERROR: 1 });
  });

  it('the meter ends before its header: DEVICE_NO_RESPONSE', async () => {
    const out = await scripted([word(ASTM.ENQ), word(ASTM.EOT)]);
    expect(out.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(out.result.error?.message).toMatch(/header/);
  });

  it('the link closing mid-download fails with TRANSPORT_CLOSED, keeping the readings so far', async () => {
    const out = await scripted(normal(), { unplugAfter: 5 });
    expect(out.result.end).toBe('failed');
    expect(out.result.error?.code).toBe('TRANSPORT_CLOSED');
    // R2 arrived and was passed on; the link ended as its ACK was written.
    expect(values(out.result)).toEqual([101, 102]);
  });

  it('reports with another header than ABC are read, and reported once', async () => {
    const script = normal().map((t) => t && t.map((p) => p));
    const out = await (async () => {
      const virtual = new VirtualClock(START);
      const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
      pair.device.onData(() => {
        for (const p of script.shift() ?? []) {
          const report = wrapReport(p);
          report.set([0, 0, 0]);
          void pair.device.write(report);
        }
      });
      const session = runSession({ driver, link: pair.host, clock: virtual });
      await virtual.runUntilIdle();
      return session;
    })();
    expect(values(out)).toEqual([101, 102, 103]);
    expect(out.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
  });

  it('probe: true when the meter answers the kick, false when it stays silent', async () => {
    expect((await scripted(normal(), { probe: true })).probed).toBe(true);
    const silent = await scripted([], { probe: true });
    expect(silent.probed).toBe(false);
    expect(silent.pending).toBe(0);
  });
});
