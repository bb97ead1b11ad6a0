/**
 * What the decoder property tests share: a byte stream cut at given sizes or points, the frames (and
 * framing problems) a framer makes of a chunked stream, flushed at its end, and mangled copies of valid wire text. Each test keeps its
 * own arbitraries, decoder and assertions.
 */
import fc from 'fast-check';
import type { Framer, FramingProblem } from '../../drivers/kit/index.ts';

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

/** `bytes` cut at the given points (each taken modulo length + 1, sorted, repeats dropped): empty chunks allowed. */
export function cutAt(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Every frame `framer` makes of the chunks in order, including what the end-of-stream flush gives. */
export function framesOf<F>(framer: Framer<F>, chunks: readonly Uint8Array[]): F[] {
  const frames = chunks.flatMap((c) => framer.push(c).frames);
  frames.push(...framer.flush().frames);
  return frames;
}

/** The frames and the framing problems of a chunked stream, the end-of-stream flush included. */
export function framesAndProblems<F>(framer: Framer<F>, chunks: readonly Uint8Array[]): { frames: F[]; problems: FramingProblem[] } {
  const frames: F[] = [];
  const problems: FramingProblem[] = [];
  for (const out of [...chunks.map((c) => framer.push(c)), framer.flush()]) {
    frames.push(...out.frames);
    problems.push(...out.problems);
  }
  return { frames, problems };
}

/** Wire bytes of a valid value from `arb`, with up to `maxEdits` bytes overwritten by random ones. */
export function mangledArb<T>(arb: fc.Arbitrary<T>, render: (value: T) => Uint8Array, maxEdits: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: maxEdits })).map(([value, edits]) => {
    const bytes = render(value);
    for (const [at, b] of edits) bytes[at % bytes.length] = b;
    return bytes;
  });
}
