import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { TokenFramer } from './protocol.ts';

const NAMES: Readonly<Record<number, string>> = { 0x04: 'EOT', 0x05: 'ENQ', 0x06: 'ACK', 0x15: 'NAK', 0x92: 'remote mode (92)' };
const KINDS: Readonly<Record<number, 'eot' | 'enq' | 'ack' | 'nak' | 'other'>> = { 0x04: 'eot', 0x05: 'enq', 0x06: 'ack', 0x15: 'nak', 0x92: 'other' };

/**
 * Live-trace hooks (`Driver.traceAnnotator`): the driver's token framer on the meter side
 * (control bytes, lines with their E1381 verdict); host bytes shown as they are. Nothing is
 * masked: the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    const tokens = new TokenFramer();
    return {
      push(chunk) {
        if (direction === 'out') return [{ bytes: chunk, frame: { kind: 'other', checksum: 'none', note: chunk.length === 1 ? (NAMES[chunk[0] ?? 0] ?? 'byte') : `token ${JSON.stringify(String.fromCharCode(...chunk))}` } }];
        const out = tokens.push(chunk);
        const result: TraceToken[] = out.problems.map((p) => ({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } }));
        for (const t of out.frames) {
          if (t.kind === 'control') result.push({ bytes: t.raw, frame: { kind: KINDS[t.byte] ?? 'other', checksum: 'none', note: NAMES[t.byte] ?? 'control' } });
          else result.push({ bytes: t.raw, frame: { kind: 'line', checksum: t.checksum, note: t.content.slice(0, 40) } });
        }
        return result;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity; the header patient line is empty)',
};
