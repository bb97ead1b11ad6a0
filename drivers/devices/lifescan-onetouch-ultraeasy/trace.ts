import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { LCB, PacketFramer, isAckPacket, type Packet } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Both directions are packets
 * `STX LEN LCB MESSAGE ETX CRC`, cut and CRC-checked by the driver's own framer.
 *
 * Nothing is masked: the meter's records are times and values in binary, with no patient field.
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
          else tokens.push({ bytes: item.packet.raw, frame: { kind: 'stx-etx', checksum: 'good', note: describe(item.packet) } });
        }
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};

function describe(packet: Packet): string {
  if (isAckPacket(packet)) return 'ACK';
  if ((packet.lcb & LCB.disc) !== 0) return 'DISC (link reset)';
  return `message ${toHex(packet.message, 12)}`;
}
