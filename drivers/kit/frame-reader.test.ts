import { describe, expect, it } from 'vitest';
import { settle, VirtualClock } from './clock.ts';
import { FrameReader } from './frame-reader.ts';
import { LineFramer } from './framers/index.ts';
import { createLinkPair } from './link.ts';

const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

function setup() {
  const { host, device } = createLinkPair();
  const clock = new VirtualClock();
  const reader = new FrameReader({ link: host }, new LineFramer());
  const send = (s: string): Promise<void> => device.write(new TextEncoder().encode(s));
  return { clock, reader, send, device };
}

describe('FrameReader.find', () => {
  it('returns the first frame that is wanted, handing the others to `passed`', async () => {
    const { clock, reader, send } = setup();
    await send('noise\r\nmore\r\nOK 1\r\nlater\r\n');
    await settle();
    const passed: string[] = [];
    const found = await reader.find(new AbortController().signal, { clock, ms: 1000 }, (f) => text(f)?.startsWith('OK') === true, (f) => passed.push(text(f) ?? ''));
    expect(text(found)).toBe('OK 1');
    expect(passed).toEqual(['noise', 'more']);
    expect(text(await reader.next(new AbortController().signal))).toBe('later');
  });

  it('gives up at the deadline on the clock given', async () => {
    const { clock, reader, send } = setup();
    const start = clock.now();
    const pending = reader.find(new AbortController().signal, { clock, ms: 3000 }, () => false);
    await send('not it\r\n');
    await clock.runUntilIdle();
    expect(await pending).toBeUndefined();
    expect(clock.now() - start).toBe(3000);
  });

  it('takes no queued frame once aborted, and ends with the link', async () => {
    const { clock, reader, send, device } = setup();
    await send('OK queued\r\n');
    await settle();
    const aborted = new AbortController();
    aborted.abort();
    expect(await reader.find(aborted.signal, { clock, ms: 1000 }, () => true)).toBeUndefined();
    const pending = reader.find(new AbortController().signal, { clock, ms: 1000 }, (f) => text(f) === 'never');
    await device.close();
    expect(await pending).toBeUndefined();
  });
});
