import { decodeFrame } from './decode.ts';
import { Cms50Framer } from './format-detect.ts';
import { normalize } from './normalize.ts';

/** `Driver.decodeProbe`: the auto-detecting framer, then decode and normalize of every frame, as the session does. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new Cms50Framer('auto');
  const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
  frames.push(...framer.flush().frames);
  let samples = 0;
  for (const frame of frames) {
    const decoded = decodeFrame(frame);
    if (!decoded.ok) continue;
    samples++;
    normalize(decoded.sample);
  }
  return samples;
}
