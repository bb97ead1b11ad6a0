import type Database from 'better-sqlite3';
import type { Reading } from '../../shared/reading.ts';
import type { RawFrame } from './raw-frames.ts';
import { ReadingsRepo, type IngestResult, type ReadingQuery } from './readings-repo.ts';
import type { StoredReading, StoredReadingWithRaw } from './stored-reading.ts';
import { SessionsRepo, type SessionEnd, type SessionStart } from './sessions-repo.ts';

/**
 * The hub's store: one open SQLite database and the operations on it. Get one from `openStore`.
 * Every method is one transaction; after `close()` every method throws.
 */
export class HubStore {
  private readonly sessions: SessionsRepo;
  private readonly readings: ReadingsRepo;

  /**
   * @param db an open, migrated connection; the store owns it from now on.
   * @param file the path it was opened from (or `:memory:`), for messages.
   */
  constructor(
    /** The connection, for repositories of later issues (review, outbox, audit) in this folder. */
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.sessions = new SessionsRepo(db);
    this.readings = new ReadingsRepo(db, this.sessions);
  }

  /** Start a session with a device; returns its id. */
  beginSession(start: SessionStart): string {
    return this.sessions.beginSession(start);
  }

  /** End a session; the first end of a session is the one kept. */
  endSession(id: string, end: SessionEnd): void {
    this.sessions.endSession(id, end);
  }

  /** Store frames that belong to no reading (garbage, handshakes); returns their ids. */
  recordFrames(sessionId: string, frames: readonly RawFrame[]): number[] {
    return this.sessions.recordFrames(sessionId, frames);
  }

  /** Store a reading, its observations and its raw frames in one transaction (see ReadingsRepo.ingest). */
  ingest(reading: Reading, raw: readonly RawFrame[], sessionId?: string): IngestResult {
    return this.readings.ingest(reading, raw, sessionId);
  }

  /** A stored reading with its raw bytes, or undefined. */
  getReading(id: string): StoredReadingWithRaw | undefined {
    return this.readings.getReading(id);
  }

  /** Newest readings first. */
  listReadings(query?: ReadingQuery): StoredReading[] {
    return this.readings.listReadings(query);
  }

  countReadings(query?: Pick<ReadingQuery, 'driverId'>): number {
    return this.readings.countReadings(query);
  }

  /** Whether the same result has been stored before. */
  hasFingerprint(reading: Reading): boolean {
    return this.readings.hasFingerprint(reading);
  }

  /** Close the database. Safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
