import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { CBW_LENGTH, CSW_LENGTH, decodeCbw, decodeCsw } from '../../families/usb-storage/bot.ts';
import { packetFromBlock } from './decode.ts';

/**
 * Live-trace hooks: both directions are Bulk-Only Transport phases. OUT: a 31-byte CBW, then a
 * 512-byte block for a WRITE(10); IN: data, then a 13-byte CSW. Tokens are cut at each CBW/CSW
 * signature; a data block is labelled with the LifeScan packet at its front (CRC checked, and
 * the zero padding after it).
 * Nothing is masked: the meter keeps times, values and flags, no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    let pending = new Uint8Array(0);
    return {
      push(chunk) {
        const joined = new Uint8Array(pending.length + chunk.length);
        joined.set(pending);
        joined.set(chunk, pending.length);
        const tokens: TraceToken[] = [];
        let from = 0;
        for (let at = 0; at < joined.length; at++) {
          const wrapper = direction === 'out' ? (joined.length - at >= CBW_LENGTH ? decodeCbw(joined.subarray(at)) : undefined) : decodeCsw(joined.subarray(at, at + CSW_LENGTH));
          const length = direction === 'out' ? CBW_LENGTH : CSW_LENGTH;
          const ok = direction === 'out' ? wrapper !== undefined : (wrapper as ReturnType<typeof decodeCsw>).ok;
          if (!ok) continue;
          if (at > from) tokens.push(dataToken(joined.slice(from, at)));
          const bytes = joined.slice(at, at + length);
          tokens.push({ bytes, frame: { kind: 'other', checksum: 'none', note: direction === 'out' ? `CBW ${toHex(bytes.subarray(15, 25))}` : `CSW status ${bytes[12] ?? 0}` } });
          from = at + length;
          at = from - 1;
        }
        // A data block is whole once the next wrapper arrives; a CBW's OUT data is whole at 512 bytes.
        if (direction === 'out' && joined.length - from >= 512) {
          tokens.push(dataToken(joined.slice(from, from + 512)));
          from += 512;
        }
        pending = joined.slice(from);
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};

function dataToken(bytes: Uint8Array): TraceToken {
  const packet = packetFromBlock(bytes);
  if (packet.ok) {
    // The sector is the packet then zero padding (PROTOCOL.md §3): a changed byte in the padding is damage too.
    if (bytes.subarray(packet.raw.length).some((b) => b !== 0)) return { bytes, frame: { kind: 'stx-etx', checksum: 'bad', note: 'packet CRC good, but the sector after it is not zero padding' } };
    return { bytes, frame: { kind: 'stx-etx', checksum: 'good', note: `message ${toHex(packet.message, 12)}` } };
  }
  if (packet.kind === 'checksum') return { bytes, frame: { kind: 'stx-etx', checksum: 'bad', note: 'CRC-16 mismatch' } };
  return { bytes, frame: { kind: 'other', checksum: 'none', note: `${bytes.length} data byte(s)` } };
}
