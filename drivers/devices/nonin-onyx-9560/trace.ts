import { framerTrace, toHex, type TraceAnnotator } from '../../kit/index.ts';
import { decodeSpotCheck } from './decode.ts';
import { OnyxFramer, type OnyxFrame } from './protocol.ts';

const NOTE: Record<OnyxFrame['kind'], string> = {
  df13: 'DF13 spot-check record',
  clock: 'clock reply',
  df8: 'DF8 sample (no checksum)',
  df7: 'DF7 frame (checksum verified)',
  ack: 'ACK',
  nak: 'NAK',
};

/**
 * Live-trace hooks. From the device: the DF13 framing (the default format; a DF8/DF7 session is
 * shown as skipped bytes, since the trace does not know the option). To the device: commands
 * `02 … 03`, shown by op-code. Nothing is masked: the records hold a time, SpO2 and pulse only,
 * never who the patient is (PROTOCOL.md §4).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: (direction) =>
    direction === 'in'
      ? framerTrace(new OnyxFramer('df13'), (frame) => ({
          bytes: frame.bytes,
          frame: {
            kind: frame.kind === 'ack' ? 'ack' : frame.kind === 'nak' ? 'nak' : 'stx-etx',
            checksum: frame.kind === 'df13' ? (decodeSpotCheck(frame.bytes).ok ? 'good' : 'bad') : 'none',
            note: NOTE[frame.kind],
          },
        }))
      : framerTrace(new CommandFramer(), (bytes) => ({ bytes, frame: { kind: 'stx-etx', checksum: 'none', note: `command 0x${toHex(bytes.subarray(1, 2))}` } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (spot-check records and samples carry no patient identity)',
};

/** Host commands: STX, op-code, length, that many bytes, ETX (PROTOCOL.md §2). */
class CommandFramer {
  private buf: number[] = [];
  push(chunk: Uint8Array): { frames: Uint8Array[]; problems: { code: 'PROTOCOL_GARBAGE'; message: string; raw: Uint8Array }[] } {
    this.buf.push(...chunk);
    const frames: Uint8Array[] = [];
    const problems: { code: 'PROTOCOL_GARBAGE'; message: string; raw: Uint8Array }[] = [];
    for (;;) {
      const start = this.buf.indexOf(0x02);
      if (start < 0) {
        if (this.buf.length) problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a command', raw: Uint8Array.from(this.buf) });
        this.buf = [];
        break;
      }
      if (start > 0) problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a command', raw: Uint8Array.from(this.buf.splice(0, start)) });
      if (this.buf.length < 3) break;
      const total = 4 + (this.buf[2] ?? 0);
      if (this.buf.length < total) break;
      frames.push(Uint8Array.from(this.buf.splice(0, total)));
    }
    return { frames, problems };
  }
  flush(): { frames: Uint8Array[]; problems: { code: 'PROTOCOL_GARBAGE'; message: string; raw: Uint8Array }[] } {
    const rest = this.buf;
    this.buf = [];
    return { frames: [], problems: rest.length ? [{ code: 'PROTOCOL_GARBAGE', message: 'a command cut short', raw: Uint8Array.from(rest) }] : [] };
  }
}
