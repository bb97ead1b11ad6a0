import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { PacketFramer } from '../../families/lifescan/packets.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): both directions are LifeScan packets
 * `STX LEN 00 MESSAGE ETX CRC`, cut and CRC-checked by the family's framer.
 * Nothing is masked: the meter keeps times, values and flags, no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const packets = new PacketFramer();
    return {
      push(chunk) {
        const out = packets.push(chunk);
        const tokens: TraceToken[] = [];
        for (const p of out.problems) {
          if (p.code !== 'PROTOCOL_CHECKSUM') tokens.push({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } });
        }
        for (const item of out.items) {
          if (item.kind === 'corrupt') tokens.push({ bytes: item.raw, frame: { kind: 'stx-etx', checksum: 'bad', note: 'CRC-16 mismatch' } });
          else tokens.push({ bytes: item.packet.raw, frame: { kind: 'stx-etx', checksum: 'good', note: `message ${toHex(item.packet.message, 12)}` } });
        }
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
