import type { TraceEntry } from '../../shared/api/ports-model.ts';
import type { Framer, FramerOutput } from './framers/framer.ts';
import type { Link } from './link.ts';

/**
 * Optional per-driver hooks for the biomed console's live trace and for recorded traces: how a
 * driver's bytes fall into frames, and which bytes can carry a patient's identity. Only the
 * driver knows its framing, so a driver sets them as `Driver.traceAnnotator`; without them the
 * trace shows raw chunks only.
 */

/** What the framing says about one frame (the contract's `TraceEntry.frame`). */
export type TraceFrameInfo = NonNullable<TraceEntry['frame']>;

/** `in`: device to host; `out`: host to device (the contract's direction). */
export type TraceDirection = TraceEntry['direction'];

/** One frame, control byte, report or run of noise the framing recognised. */
export interface TraceToken {
  /** The bytes the token stands for (a frame reassembled across chunks is whole here). */
  bytes: Uint8Array;
  frame: TraceFrameInfo;
}

/** Cuts one direction of one port's traffic into tokens; stateful, never throws. */
export interface TraceFramer {
  push(chunk: Uint8Array): TraceToken[];
}

/** A driver's trace hooks: framing for the live view, masking for recorded traces. */
export interface TraceAnnotator {
  /**
   * A fresh framer for one direction of one session. `link`: the link the session runs on, for a
   * driver that takes several (manifest `otherTransports`) and frames each its own way; absent:
   * its primary link.
   */
  framer(direction: TraceDirection, link?: Pick<Link, 'mode' | 'usb'>): TraceFramer;
  /**
   * Byte-stream drivers: the whole recorded stream of one direction with the fields that can
   * carry patient identity overwritten, same length (so chunk boundaries stay where they were)
   * and checksums recomputed (so the masked trace still replays).
   */
  maskStream?(direction: TraceDirection, stream: Uint8Array): Uint8Array;
  /** HID drivers: the same for the reports of one direction, one output report per input report. */
  maskReports?(direction: TraceDirection, reports: readonly Uint8Array[]): Uint8Array[];
  /** What the masking replaces, in words, for the recorded trace's header. */
  readonly masked: string;
}

/**
 * A trace framer over one of the driver's own framers: every frame becomes the token `describe`
 * makes of it, and everything the framer skipped (noise, an overlong or cut-off frame) becomes
 * an `other` token carrying the framer's message — so the live trace shows the bytes the driver
 * ignored and why, with the very framing the driver decodes by.
 */
export function framerTrace<F>(framer: Framer<F>, describe: (frame: F) => TraceToken): TraceFramer {
  return {
    push(chunk) {
      const out = framer.push(chunk);
      const tokens: TraceToken[] = out.problems.map((p) => ({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } }));
      for (const frame of out.frames) tokens.push(describe(frame));
      return tokens;
    },
  };
}

/** A whole packet a checksummed framer cut: good (`packet`), or with a checksum that fails (`corrupt`). */
export type CheckedPacket<P> = { kind: 'packet'; packet: P } | { kind: 'corrupt'; raw: Uint8Array };

/**
 * A trace framer over a framer that gives each whole packet with its checksum verdict (`checked`
 * picks them, in order, from one push's output): a good packet becomes an `stx-etx` token noted
 * by `describe`, a corrupt one an `stx-etx` token with a bad checksum and `mismatch` as its note,
 * and anything else the framer skipped an `other` token with its message. The framer's checksum
 * problems are left out: the corrupt packets already stand for them.
 */
export function checkedPacketTrace<O extends FramerOutput<unknown>, P extends { raw: Uint8Array }>(
  framer: { push(chunk: Uint8Array): O },
  checked: (out: O) => readonly CheckedPacket<P>[],
  mismatch: string,
  describe: (packet: P) => string,
): TraceFramer {
  return {
    push(chunk) {
      const out = framer.push(chunk);
      const tokens: TraceToken[] = [];
      for (const p of out.problems) {
        if (p.code !== 'PROTOCOL_CHECKSUM') tokens.push({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } });
      }
      for (const item of checked(out)) {
        if (item.kind === 'corrupt') tokens.push({ bytes: item.raw, frame: { kind: 'stx-etx', checksum: 'bad', note: mismatch } });
        else tokens.push({ bytes: item.packet.raw, frame: { kind: 'stx-etx', checksum: 'good', note: describe(item.packet) } });
      }
      return tokens;
    },
  };
}
