import { checkedPacketTrace, toHex, type TraceAnnotator } from '../../kit/index.ts';
import { PacketFramer } from '../../families/lifescan/packets.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): both directions are LifeScan packets
 * `STX LEN 00 MESSAGE ETX CRC`, cut and CRC-checked by the family's framer.
 * Nothing is masked: the meter keeps times, values and flags, no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => checkedPacketTrace(new PacketFramer(), (out) => out.items, 'CRC-16 mismatch', (packet) => `message ${toHex(packet.message, 12)}`),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
