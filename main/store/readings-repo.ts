import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Observation } from '../../shared/observation.ts';
import { ReadingSchema, type Reading } from '../../shared/reading.ts';
import { readingFingerprint } from './fingerprint.ts';
import { observationColumns, type ObservationColumns } from './observation-rows.ts';
import { FrameWriter, RawFramesSchema, blobToBytes, type RawFrame } from './raw-frames.ts';
import type { SessionsRepo } from './sessions-repo.ts';
import { guardStore, parseInput } from './store-errors.ts';
import { toStoredReading, type ReadingRow, type StoredReading, type StoredReadingWithRaw } from './stored-reading.ts';

/** `listReadings` returns this many rows unless asked otherwise, and never more than the maximum. */
const LIST_LIMIT_DEFAULT = 100;
const LIST_LIMIT_MAX = 1000;

export interface IngestResult {
  id: string;
  /** false when the same result (same fingerprint) was stored before; nothing was written. */
  isNew: boolean;
}

interface ReadingQuery {
  driverId?: string;
  limit?: number;
}

interface ReadingInsert {
  id: string;
  driver_id: string;
  device_id: number;
  session_id: string | null;
  kind: string;
  device_time: string | null;
  received_at: string;
  effective_time: string;
  clock_source: string | null;
  clock_skew_seconds: number | null;
  flags: string;
  context: string | null;
  fingerprint: string;
  reading_json: string;
  stored_at: string;
}

interface DeviceUpsert {
  driver_id: string;
  manufacturer: string;
  model: string;
  serial: string;
  firmware: string | null;
  seen: string;
}

type ObservationInsert = ObservationColumns & { reading_id: string; parent_id: number | null; ordinal: number };

const ReadingQuerySchema = z.object({
  driverId: z.string().optional(),
  limit: z.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
});

const SELECT_READING = 'SELECT id, state, session_id, reading_json, stored_at FROM readings';

/** Readings, their observations and the raw frames behind them. */
export class ReadingsRepo {
  private readonly frames: FrameWriter;
  private readonly byFingerprint: Database.Statement<[string], { id: string }>;
  private readonly upsertDevice: Database.Statement<DeviceUpsert, { id: number }>;
  private readonly insertReading: Database.Statement<ReadingInsert>;
  private readonly linkFrame: Database.Statement<[string, number, number]>;
  private readonly insertObservation: Database.Statement<ObservationInsert>;
  private readonly selectById: Database.Statement<[string], ReadingRow>;
  private readonly selectRaw: Database.Statement<[string], { bytes: Buffer }>;
  private readonly selectLatest: Database.Statement<[number], ReadingRow>;
  private readonly selectLatestOfDriver: Database.Statement<[string, number], ReadingRow>;
  private readonly countAll: Database.Statement<[], { n: number }>;
  private readonly countOfDriver: Database.Statement<[string], { n: number }>;

  constructor(
    private readonly db: Database.Database,
    private readonly sessions: SessionsRepo,
  ) {
    this.frames = new FrameWriter(db);
    this.byFingerprint = db.prepare('SELECT id FROM readings WHERE fingerprint = ?');
    this.upsertDevice = db.prepare(`
      INSERT INTO devices (driver_id, manufacturer, model, serial, firmware, first_seen, last_seen)
      VALUES (@driver_id, @manufacturer, @model, @serial, @firmware, @seen, @seen)
      ON CONFLICT (driver_id, manufacturer, model, serial) DO UPDATE SET
        -- Compare as instants (julianday), not as text: offsets differ between readings, and an
        -- old trace replayed today must not move the device's history backwards.
        firmware   = CASE WHEN julianday(excluded.last_seen) >= julianday(devices.last_seen)
                          THEN coalesce(excluded.firmware, devices.firmware) ELSE devices.firmware END,
        last_seen  = CASE WHEN julianday(excluded.last_seen) > julianday(devices.last_seen)
                          THEN excluded.last_seen ELSE devices.last_seen END,
        first_seen = CASE WHEN julianday(excluded.first_seen) < julianday(devices.first_seen)
                          THEN excluded.first_seen ELSE devices.first_seen END
      RETURNING id`);
    this.insertReading = db.prepare(`
      INSERT INTO readings (id, driver_id, device_id, session_id, kind, device_time, received_at, effective_time,
                            clock_source, clock_skew_seconds, flags, context, fingerprint, reading_json, stored_at)
      VALUES (@id, @driver_id, @device_id, @session_id, @kind, @device_time, @received_at, @effective_time,
              @clock_source, @clock_skew_seconds, @flags, @context, @fingerprint, @reading_json, @stored_at)`);
    this.linkFrame = db.prepare('INSERT INTO reading_frames (reading_id, frame_id, ordinal) VALUES (?, ?, ?)');
    this.insertObservation = db.prepare(`
      INSERT INTO observations (reading_id, parent_id, ordinal, code, display, mdc, value_kind, value_num, value_unit,
                                comparator, value_code, value_text, label, interpretation, ref_low, ref_high, ref_text)
      VALUES (@reading_id, @parent_id, @ordinal, @code, @display, @mdc, @value_kind, @value_num, @value_unit,
              @comparator, @value_code, @value_text, @label, @interpretation, @ref_low, @ref_high, @ref_text)`);
    this.selectById = db.prepare(`${SELECT_READING} WHERE id = ?`);
    this.selectRaw = db.prepare(
      'SELECT f.bytes FROM reading_frames rf JOIN raw_frames f ON f.id = rf.frame_id WHERE rf.reading_id = ? ORDER BY rf.ordinal',
    );
    this.selectLatest = db.prepare(`${SELECT_READING} ORDER BY seq DESC LIMIT ?`);
    this.selectLatestOfDriver = db.prepare(`${SELECT_READING} WHERE driver_id = ? ORDER BY seq DESC LIMIT ?`);
    this.countAll = db.prepare('SELECT count(*) AS n FROM readings');
    this.countOfDriver = db.prepare('SELECT count(*) AS n FROM readings WHERE driver_id = ?');
  }

  /**
   * Store a reading with its observations and raw frames in ONE transaction: the device row, the
   * frames, the reading, the frame links and every observation commit together or not at all.
   * A reading whose fingerprint is already stored writes nothing and returns the stored id.
   *
   * @throws HubError `INPUT_INVALID` for a reading, frames or session id that fail validation
   *   (nothing is stored); `STORE_FAILED` when SQLite fails (nothing is stored).
   */
  ingest(reading: Reading, raw: readonly RawFrame[], sessionId?: string): IngestResult {
    const r = parseInput(ReadingSchema, reading, 'reading');
    const frames = parseInput(RawFramesSchema, raw, 'raw frames');
    const fingerprint = readingFingerprint(r);
    // IMMEDIATE: the fingerprint check reads before the inserts write; taking the write lock up
    // front lets busy_timeout wait for another process instead of failing with SQLITE_BUSY.
    const write = this.db.transaction((): IngestResult => {
      if (sessionId !== undefined) this.sessions.assertSession(sessionId);
      const existing = this.byFingerprint.get(fingerprint);
      if (existing !== undefined) return { id: existing.id, isNew: false };
      const device = this.upsertDevice.get({
        driver_id: r.driver,
        manufacturer: r.device.manufacturer,
        model: r.device.model,
        serial: r.device.serial ?? '',
        firmware: r.device.firmware ?? null,
        seen: r.receivedAt,
      });
      if (device === undefined) throw new Error('device upsert returned no row');
      const frameIds = this.frames.write(sessionId, frames);
      const id = randomUUID();
      this.insertReading.run({
        id,
        driver_id: r.driver,
        device_id: device.id,
        session_id: sessionId ?? null,
        kind: r.kind,
        device_time: r.deviceTime ?? null,
        received_at: r.receivedAt,
        effective_time: r.effectiveTime,
        clock_source: r.clock?.source ?? null,
        clock_skew_seconds: r.clock?.skewSeconds ?? null,
        flags: JSON.stringify(r.flags),
        context: r.context === undefined ? null : JSON.stringify(r.context),
        fingerprint,
        reading_json: JSON.stringify(r),
        stored_at: new Date().toISOString(),
      });
      frameIds.forEach((frameId, ordinal) => this.linkFrame.run(id, frameId, ordinal));
      this.insertObservations(id, null, r.observations);
      return { id, isNew: true };
    });
    return guardStore('store the reading', () => write.immediate(), this.db.name);
  }

  /** Observations in driver order; components recursively, each pointing at its panel row. */
  private insertObservations(readingId: string, parentId: number | null, observations: readonly Observation[]): void {
    observations.forEach((o, ordinal) => {
      const row: ObservationInsert = { reading_id: readingId, parent_id: parentId, ordinal, ...observationColumns(o) };
      const id = Number(this.insertObservation.run(row).lastInsertRowid);
      if (o.components !== undefined) this.insertObservations(readingId, id, o.components);
    });
  }

  /** The reading with this id and the bytes it was made from, or undefined. */
  getReading(id: string): StoredReadingWithRaw | undefined {
    const read = this.db.transaction((): StoredReadingWithRaw | undefined => {
      const row = this.selectById.get(id);
      if (row === undefined) return undefined;
      const raw = this.selectRaw.all(id).map((f) => blobToBytes(f.bytes));
      return { ...toStoredReading(row), raw };
    });
    return guardStore('read the reading', () => read());
  }

  /** The newest readings first (arrival order), optionally of one driver. */
  listReadings(query: ReadingQuery = {}): StoredReading[] {
    const q = parseInput(ReadingQuerySchema, query, 'reading query');
    const limit = q.limit ?? LIST_LIMIT_DEFAULT;
    return guardStore('list readings', () => {
      const rows = q.driverId === undefined ? this.selectLatest.all(limit) : this.selectLatestOfDriver.all(q.driverId, limit);
      return rows.map(toStoredReading);
    });
  }

  /** How many readings are stored, optionally of one driver. */
  countReadings(query: Pick<ReadingQuery, 'driverId'> = {}): number {
    return guardStore('count readings', () =>
      (query.driverId === undefined ? this.countAll.get() : this.countOfDriver.get(query.driverId))?.n ?? 0,
    );
  }

  /**
   * Whether this result is stored already (a download uses it to skip records imported before).
   * @throws HubError `INPUT_INVALID` for a reading that fails validation.
   */
  hasFingerprint(reading: Reading): boolean {
    const fingerprint = readingFingerprint(parseInput(ReadingSchema, reading, 'reading'));
    return guardStore('look up the reading', () => this.byFingerprint.get(fingerprint) !== undefined);
  }
}
