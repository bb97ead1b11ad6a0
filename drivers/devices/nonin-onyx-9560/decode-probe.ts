import { decodeClockReply, decodeDf8, decodeSpotCheck } from './decode.ts';
import { Df7Packets } from './df7.ts';
import { normalizeDisplay, normalizeSpotCheck } from './normalize.ts';
import { OnyxFramer, type OnyxFormat } from './protocol.ts';

/** `Driver.decodeProbe`: every format's framer, then decode and normalize of every frame, as the session does. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  let records = 0;
  for (const format of ['df13', 'df8', 'df7'] as OnyxFormat[]) {
    const framer = new OnyxFramer(format);
    const packets = new Df7Packets();
    const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
    frames.push(...framer.flush().frames);
    for (const frame of frames) {
      if (frame.kind === 'df13') {
        const decoded = decodeSpotCheck(frame.bytes);
        if (!decoded.ok) continue;
        normalizeSpotCheck(decoded.value);
        records++;
      } else if (frame.kind === 'df8') {
        normalizeDisplay(decodeDf8(frame.bytes));
        records++;
      } else if (frame.kind === 'df7') {
        const out = packets.push(frame.bytes);
        if (!out.sample) continue;
        normalizeDisplay(out.sample.value);
        records++;
      } else if (frame.kind === 'clock') decodeClockReply(frame.bytes);
    }
  }
  return records;
}
