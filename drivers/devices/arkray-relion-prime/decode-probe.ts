import { decodeClock, decodeCount, decodeHeader, decodeRecord } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { TokenFramer } from './protocol.ts';

/** `Driver.decodeProbe`: bytes → token framer → every reply decoder → normalize. Never throws. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new TokenFramer();
  let records = 0;
  for (const chunk of chunks) {
    for (const token of framer.push(chunk).frames) {
      if (token.kind !== 'line') continue;
      decodeHeader(token.content);
      decodeCount(token.content);
      decodeClock(token.content, token.content);
      const record = decodeRecord(token.content);
      if (record.ok && token.checksum !== 'bad') {
        normalizeRecord(record.record);
        records++;
      }
    }
  }
  framer.flush();
  return records;
}
