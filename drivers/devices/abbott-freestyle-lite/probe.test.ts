import { describe, expect, it } from 'vitest';
import { createLinkPair, fromLatin1, latin1, resolveOptions, VirtualClock } from '../../kit/index.ts';
import { abbottFreestyleLiteDriver as driver } from './driver.ts';

/** A probe against a meter that answers `$mem` with `reply` (or nothing). */
async function probe(reply: string | undefined): Promise<boolean> {
  const clock = new VirtualClock(Date.UTC(2026, 2, 2, 14));
  const pair = createLinkPair();
  pair.device.onData((chunk) => {
    if (reply !== undefined && latin1(chunk).includes('$mem\r\n')) void pair.device.write(fromLatin1(reply));
  });
  const session = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: resolveOptions(driver.manifest), emit: () => undefined });
  const found = session.probe?.(new AbortController().signal);
  await clock.runUntilIdle();
  const result = await found;
  await session.close();
  return result ?? false;
}

describe('abbott-freestyle-lite probe (PROTOCOL.md §5)', () => {
  it('knows the meter by the serial line of its dump', async () => {
    expect(await probe('\r\nDBMN169-C4824\r\n1.43     -P\r\nMar  05 2024 14:30:07\r\n000\r\n\nLog Empty END\r\n')).toBe(true);
  });

  it('knows an empty meter that answers Log Empty without a header (PROTOCOL.md §4)', async () => {
    expect(await probe('Log Empty END\r\n')).toBe(true);
    expect(await probe('\r\nLog Empty\r\nEND\r\n')).toBe(true);
  });

  it('is false when nothing, or something else, answers', async () => {
    expect(await probe(undefined)).toBe(false);
    expect(await probe('\r\nhello\r\nworld\r\n')).toBe(false);
  });
});
