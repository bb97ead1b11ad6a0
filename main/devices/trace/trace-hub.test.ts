import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes, settle, createLinkPair, randomChunks, type Link } from '../../../drivers/kit/index.ts';
import type { TraceEntry } from '../../../shared/api/ports-model.ts';
import { createTraceService } from './trace-hub.ts';
import { traceHex, traceText } from './trace-text.ts';

/** Everything a link delivers, collected. */
function sink(link: Link): Uint8Array[] {
  const got: Uint8Array[] = [];
  link.onData((c) => got.push(Uint8Array.from(c)));
  return got;
}

function hexOf(entries: TraceEntry[], direction: 'in' | 'out'): string {
  return entries.filter((e) => e.direction === direction && !e.frame).map((e) => e.hex).filter((h) => h !== '').join(' ');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the trace tap', () => {
  it('forwards bytes both ways unchanged under random chunking, and records every chunk in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 1_000 }), async (fromDevice, fromHost, seed) => {
        let s = seed;
        const random = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
        const pair = createLinkPair({ deviceChunker: randomChunks(random, 9), hostChunker: randomChunks(random, 7) });
        const trace = createTraceService();
        const host = trace.tap('serial:/dev/x', 'no-such-driver', pair.host);
        const atHost = sink(host);
        const atDevice = sink(pair.device);
        await pair.device.write(fromDevice);
        for (let i = 0; i < fromHost.length; i += 5) await host.write(fromHost.subarray(i, i + 5));
        await settle();
        expect(concatBytes(atHost)).toEqual(fromDevice);
        expect(concatBytes(atDevice)).toEqual(fromHost);
        const entries = trace.entries('serial:/dev/x');
        expect(hexOf(entries, 'in')).toBe(traceHex(fromDevice));
        expect(hexOf(entries, 'out')).toBe(traceHex(fromHost));
        expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
        await host.close();
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the link\'s own semantics: mode, report size, close reaches both sides, writes after close fail and are not traced', async () => {
    const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
    const trace = createTraceService();
    const host = trace.tap('hid:1', 'no-such-driver', pair.host);
    expect(host.mode).toBe('reports');
    expect(host.reportSize).toBe(64);
    const closed = new Promise<unknown>((resolve) => host.onClose((e) => resolve(e ?? 'normal')));
    await pair.device.close();
    expect(await closed).toBe('normal');
    expect(host.closed).toBe(true);
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(trace.entries('hid:1')).toEqual([]);
  });

  it('hands data that arrived before the driver listened to the driver, traced once even with two listeners', async () => {
    const pair = createLinkPair();
    const trace = createTraceService();
    const host = trace.tap('p', 'no-such-driver', pair.host);
    await pair.device.write(Uint8Array.of(0x41, 0x42));
    await settle();
    const first = sink(host);
    const second = sink(host);
    await pair.device.write(Uint8Array.of(0x43));
    await settle();
    expect(concatBytes(first)).toEqual(Uint8Array.of(0x41, 0x42, 0x43));
    expect(concatBytes(second)).toEqual(Uint8Array.of(0x43));
    expect(hexOf(trace.entries('p'), 'in')).toBe('41 42 43');
  });

  it('renders control bytes by name and other bytes as hex', () => {
    expect(traceText(Uint8Array.of(0x02, 0x31, 0x03, 0x0d, 0x0a, 0x05, 0x06, 0x15, 0x04, 0x17, 0x00, 0xff))).toBe('<STX>1<ETX><CR><LF><ENQ><ACK><NAK><EOT><ETB><00><ff>');
    expect(traceHex(Uint8Array.of(0x02, 0xab))).toBe('02 ab');
  });

  it('keeps the newest entries of a port and answers "after seq" with the newest ones, oldest first', async () => {
    const pair = createLinkPair();
    const trace = createTraceService({ ringSize: 4 });
    const host = trace.tap('p', 'no-such-driver', pair.host);
    sink(host);
    for (let i = 0; i < 6; i++) {
      await pair.device.write(Uint8Array.of(i));
      await settle();
    }
    expect(trace.entries('p').map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(trace.entries('p', 4).map((e) => e.seq)).toEqual([5, 6]);
    expect(trace.entries('p', 0, 2).map((e) => e.seq)).toEqual([5, 6]);
    expect(trace.entries('unknown')).toEqual([]);
  });

  it('sends listeners batches at most every batchMs and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const pair = createLinkPair();
    const trace = createTraceService({ batchMs: 100 });
    const batches: { portId: string; seqs: number[] }[] = [];
    const off = trace.onEntries((portId, entries) => batches.push({ portId, seqs: entries.map((e) => e.seq) }));
    const host = trace.tap('p', 'no-such-driver', pair.host);
    sink(host);
    await pair.device.write(Uint8Array.of(1));
    await host.write(Uint8Array.of(2));
    await pair.device.write(Uint8Array.of(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([{ portId: 'p', seqs: [1, 2, 3] }]);
    expect(vi.getTimerCount()).toBe(0);
    await pair.device.write(Uint8Array.of(4));
    await vi.advanceTimersByTimeAsync(0);
    off();
    expect(vi.getTimerCount()).toBe(0);
    await host.close();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toHaveLength(1);
  });
});
