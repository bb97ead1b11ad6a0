import { framerTrace, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { ACK, DC2, DC3, ENQ, NAK, parsePacket, ReplyFramer, XON } from './protocol.ts';

const COMMANDS: Readonly<Record<number, string>> = { [ENQ]: 'ENQ: identify', [XON]: 'XON: enable transfer', [DC2]: 'DC2: request data', [DC3]: 'DC3: request data (vendor table)', [ACK]: 'ACK: packet accepted', [NAK]: 'NAK: packet rejected, resend' };

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Host commands are single control bytes, one token
 * each; device packets are framed by the driver's own framer and their two-hex-digit sum checked.
 *
 * Nothing is masked: a Clinitek 50 packet holds the device's product id, software, clock,
 * profile, strip type, a sequence number, the colour and the pad results (PROTOCOL.md §4) —
 * no patient name or id.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    if (direction === 'out') {
      return {
        push: (chunk) =>
          Array.from(chunk, (b): TraceToken => {
            const note = COMMANDS[b];
            return { bytes: Uint8Array.of(b), frame: note ? { kind: b === ENQ ? 'enq' : b === ACK ? 'ack' : b === NAK ? 'nak' : 'other', checksum: 'none', note } : { kind: 'other', checksum: 'none', note: 'not a Clinitek 50 command' } };
          }),
      };
    }
    return framerTrace(new ReplyFramer(), (reply): TraceToken => {
      if (reply.kind === 'nak') return { bytes: reply.raw, frame: { kind: 'nak', checksum: 'none', note: 'NAK: no more data' } };
      const parsed = parsePacket(reply.raw);
      if (!parsed.ok) return { bytes: reply.raw, frame: { kind: 'stx-etx', checksum: 'bad', note: parsed.reason } };
      const { packet } = parsed;
      return { bytes: reply.raw, frame: { kind: 'stx-etx', checksum: packet.checksumOk ? 'good' : 'bad', ...(packet.checksumOk ? {} : { note: `checksum ${packet.got}, bytes sum to ${packet.expected}` }) } };
    });
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the analyzer sends no patient identity)',
};
