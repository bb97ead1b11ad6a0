/**
 * What the decoder property tests share: a byte stream cut at given sizes, the frames a framer makes
 * of a chunked stream (flushed at its end), and mangled copies of valid wire text. Each test keeps its
 * own arbitraries, decoder and assertions.
 */
import fc from 'fast-check';
import type { Framer } from '../../drivers/kit/index.ts';

/** `bytes` cut into consecutive chunks of the sizes given, cycling through them to the end. */
export function splitBy(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] as number;
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Every frame `framer` makes of the chunks in order, including what the end-of-stream flush gives. */
export function framesOf<F>(framer: Framer<F>, chunks: readonly Uint8Array[]): F[] {
  const frames = chunks.flatMap((c) => framer.push(c).frames);
  frames.push(...framer.flush().frames);
  return frames;
}

/** Wire bytes of a valid value from `arb`, with up to `maxEdits` bytes overwritten by random ones. */
export function mangledArb<T>(arb: fc.Arbitrary<T>, render: (value: T) => Uint8Array, maxEdits: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: maxEdits })).map(([value, edits]) => {
    const bytes = render(value);
    for (const [at, b] of edits) bytes[at % bytes.length] = b;
    return bytes;
  });
}
