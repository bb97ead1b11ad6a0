import { checkedPacketTrace, toHex, type TraceAnnotator } from '../../kit/index.ts';
import { LCB, PacketFramer, isAckPacket, type Packet } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Both directions are packets
 * `STX LEN LCB MESSAGE ETX CRC`, cut and CRC-checked by the driver's own framer.
 *
 * Nothing is masked: the meter's records are times and values in binary, with no patient field.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => checkedPacketTrace(new PacketFramer(), (out) => out.items, 'CRC-16 mismatch', describe),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};

function describe(packet: Packet): string {
  if (isAckPacket(packet)) return 'ACK';
  if ((packet.lcb & LCB.disc) !== 0) return 'DISC (link reset)';
  return `message ${toHex(packet.message, 12)}`;
}
