import type Database from 'better-sqlite3';
import { z } from 'zod';

/** One frame as it crossed the wire, with the time it was seen or sent. */
export const RawFrameSchema = z.object({
  direction: z.enum(['in', 'out']),
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'bytes must be a Uint8Array' }),
  /** An instant with an offset (`…Z` or `…+01:00`), as `new Date().toISOString()` gives it. */
  at: z.iso.datetime({ offset: true }),
});
export type RawFrame = z.infer<typeof RawFrameSchema>;
export const RawFramesSchema = z.array(RawFrameSchema);

/** better-sqlite3 binds Buffers as BLOBs; this view shares the caller's memory, no copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Inserts raw frames; call inside the caller's transaction. Returns the new frame ids in order. */
export class FrameWriter {
  private readonly insert: Database.Statement<[string | null, string, string, Buffer]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO raw_frames (session_id, direction, received_at, bytes) VALUES (?, ?, ?, ?)');
  }

  write(sessionId: string | undefined, frames: readonly RawFrame[]): number[] {
    return frames.map((f) => Number(this.insert.run(sessionId ?? null, f.direction, f.at, asBuffer(f.bytes)).lastInsertRowid));
  }
}

/** A BLOB read back as a plain Uint8Array (not a Buffer), so it compares equal to what went in. */
export function blobToBytes(blob: Buffer): Uint8Array {
  return new Uint8Array(blob);
}
