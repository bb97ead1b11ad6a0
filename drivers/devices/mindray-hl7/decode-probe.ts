import { createMllpFramer, mllpPayload } from '../../kit/index.ts';
import { decodeMessage } from './decode.ts';
import { liveObservations, nibpResults } from './normalize.ts';

/** `Driver.decodeProbe`: the MLLP framer, then decode of every message and its live numerics and NIBP results, as the session does. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createMllpFramer();
  const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
  frames.push(...framer.flush().frames);
  let records = 0;
  for (const frame of frames) {
    const payload = mllpPayload(frame);
    if (payload === undefined) continue;
    const decoded = decodeMessage(payload);
    if (!decoded.ok) continue;
    records++;
    liveObservations(decoded.record);
    nibpResults(decoded.record);
  }
  return records;
}
