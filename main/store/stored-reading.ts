import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { ReadingSchema, type Reading } from '../../shared/reading.ts';

/** Review states of a reading (docs/architecture.md §8); export progress is kept per target in the outbox. */
export const READING_STATES = ['pending', 'confirmed', 'rejected'] as const;
export type ReadingState = (typeof READING_STATES)[number];

/** A reading as the store holds it. */
export interface StoredReading {
  id: string;
  state: ReadingState;
  reading: Reading;
  sessionId: string | undefined;
  /** Workstation UTC time the reading was committed. */
  storedAt: string;
}

/** A reading with the bytes of the frames it was made from, in order. */
export interface StoredReadingWithRaw extends StoredReading {
  raw: Uint8Array[];
}

/** The `readings` columns a query returns. */
export interface ReadingRow {
  id: string;
  state: string;
  session_id: string | null;
  reading_json: string;
  stored_at: string;
}

const StateSchema = z.enum(READING_STATES);

/** Rows are re-validated on the way out: a damaged row is reported, never passed on as a Reading. */
export function toStoredReading(row: ReadingRow): StoredReading {
  let json: unknown;
  try {
    json = JSON.parse(row.reading_json);
  } catch (e) {
    throw new HubError('STORE_FAILED', `Stored reading ${row.id} is not valid JSON.`, { cause: e });
  }
  const reading = ReadingSchema.safeParse(json);
  const state = StateSchema.safeParse(row.state);
  if (!reading.success || !state.success) {
    throw new HubError('STORE_FAILED', `Stored reading ${row.id} does not match the Reading schema.`, {
      cause: reading.error ?? state.error,
    });
  }
  return { id: row.id, state: state.data, reading: reading.data, sessionId: row.session_id ?? undefined, storedAt: row.stored_at };
}
