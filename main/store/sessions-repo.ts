import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ERROR_CODES, HubError, type ErrorCode } from '../../shared/errors.ts';
import { FrameWriter, RawFramesSchema, type RawFrame } from './raw-frames.ts';
import { guardStore, parseInput } from './store-errors.ts';

/** Why a session ended. `failed` carries an error code; the others are normal ends. */
const SESSION_END_REASONS = ['completed', 'cancelled', 'disconnected', 'failed'] as const;
type SessionEndReason = (typeof SESSION_END_REASONS)[number];

interface SessionStart {
  driverId: string;
  /** Human description of the transport, e.g. `serial /dev/ttyUSB0 9600 8N1` or `replay foo.trace`. */
  transport: string;
  /** ISO instant; defaults to now. Replay passes trace time so results are reproducible. */
  at?: string;
}

interface SessionEnd {
  reason: SessionEndReason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  /** ISO instant; defaults to now. */
  at?: string;
}

const SessionStartSchema = z.object({ driverId: z.string().min(1), transport: z.string().min(1), at: z.iso.datetime({ offset: true }).optional() });
const SessionEndSchema = z.object({
  reason: z.enum(SESSION_END_REASONS),
  errorCode: z.enum(ERROR_CODES).optional(),
  errorMessage: z.string().optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

/** Sessions (one conversation with one device) and frames that belong to no reading. */
export class SessionsRepo {
  private readonly insertSession: Database.Statement<[string, string, string, string]>;
  private readonly finishSession: Database.Statement<[string, string, string | null, string | null, string]>;
  private readonly sessionExists: Database.Statement<[string], { id: string }>;
  private readonly frames: FrameWriter;

  constructor(private readonly db: Database.Database) {
    this.insertSession = db.prepare('INSERT INTO sessions (id, driver_id, transport, started_at) VALUES (?, ?, ?, ?)');
    // Only an open session is ended: the first end reason is the informative one (a failure
    // followed by the routine close must not be overwritten with 'completed').
    this.finishSession = db.prepare(
      'UPDATE sessions SET ended_at = ?, end_reason = ?, error_code = ?, error_message = ? WHERE id = ? AND ended_at IS NULL',
    );
    this.sessionExists = db.prepare('SELECT id FROM sessions WHERE id = ?');
    this.frames = new FrameWriter(db);
  }

  /** Start a session and return its id (a uuid). */
  beginSession(start: SessionStart): string {
    const s = parseInput(SessionStartSchema, start, 'session start');
    const id = randomUUID();
    guardStore('start a session', () => this.insertSession.run(id, s.driverId, s.transport, s.at ?? new Date().toISOString()));
    return id;
  }

  /**
   * End a session. Ending one that has already ended keeps the first end and is not an error.
   * @throws HubError `INPUT_INVALID` for an unknown session id.
   */
  endSession(id: string, end: SessionEnd): void {
    const e = parseInput(SessionEndSchema, end, 'session end');
    guardStore('end a session', () => {
      const changed = this.finishSession.run(e.at ?? new Date().toISOString(), e.reason, e.errorCode ?? null, e.errorMessage ?? null, id).changes;
      if (changed === 0) this.assertSession(id);
    });
  }

  /** Store frames that belong to no reading (garbage, NAKed frames, handshakes), in one transaction. */
  recordFrames(sessionId: string, frames: readonly RawFrame[]): number[] {
    const checked = parseInput(RawFramesSchema, frames, 'raw frames');
    return guardStore('store raw frames', () =>
      this.db
        .transaction(() => {
          this.assertSession(sessionId);
          return this.frames.write(sessionId, checked);
        })
        .immediate(),
    );
  }

  /** @throws HubError `INPUT_INVALID` when no session has this id. */
  assertSession(id: string): void {
    if (this.sessionExists.get(id) === undefined) throw new HubError('INPUT_INVALID', `Unknown session ${id}.`);
  }
}
