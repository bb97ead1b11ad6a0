import type Database from 'better-sqlite3';
import { z } from 'zod';
import { guardStore } from './store-errors.ts';

const ACK_CODES = ['AA', 'AE', 'AR'] as const;
/** An HL7 v2 application acknowledgement code. */
export type AdtAckCode = (typeof ACK_CODES)[number];

/** One ADT message the hub answered: who sent it, its control id and the answer given. */
export interface AdtMessageRecord {
  /** `MSH-3^MSH-4` (first component of each). */
  sender: string;
  /** MSH-10. */
  controlId: string;
  sourceId: string;
  event: string;
  ackCode: AdtAckCode;
  ackText?: string;
  receivedAt: string;
}

const RowSchema = z.object({
  sender: z.string(),
  control_id: z.string(),
  source_id: z.string(),
  event: z.string(),
  ack_code: z.enum(ACK_CODES),
  ack_text: z.string().nullable(),
  received_at: z.string(),
});

/**
 * The `adt_messages` table (schema v12): the answer given to each (sender, control id), so a
 * resend is acknowledged the same way and never applied twice (docs/adt-inbound.md §4).
 */
export class AdtMessagesRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      byKey: db.prepare<[string, string], unknown>(
        'SELECT sender, control_id, source_id, event, ack_code, ack_text, received_at FROM adt_messages WHERE sender = ? AND control_id = ?',
      ),
      insert: db.prepare<Record<string, string | null>>(`
        INSERT INTO adt_messages (sender, control_id, source_id, event, ack_code, ack_text, received_at)
        VALUES (@sender, @controlId, @sourceId, @event, @ackCode, @ackText, @receivedAt)`),
      purge: db.prepare<[string]>('DELETE FROM adt_messages WHERE received_at < ?'),
    };
  }

  /** The answer already given to this sender's control id, if any. */
  find(sender: string, controlId: string): AdtMessageRecord | undefined {
    const raw = guardStore('look up the ADT message', () => this.q.byKey.get(sender, controlId));
    if (raw === undefined) return undefined;
    const r = RowSchema.parse(raw);
    return {
      sender: r.sender,
      controlId: r.control_id,
      sourceId: r.source_id,
      event: r.event,
      ackCode: r.ack_code,
      ...(r.ack_text === null ? {} : { ackText: r.ack_text }),
      receivedAt: r.received_at,
    };
  }

  /** Remember the answer; call it in the transaction that applied the message. */
  record(m: AdtMessageRecord): void {
    guardStore('record the ADT message', () =>
      this.q.insert.run({ sender: m.sender, controlId: m.controlId, sourceId: m.sourceId, event: m.event, ackCode: m.ackCode, ackText: m.ackText ?? null, receivedAt: m.receivedAt }),
    );
  }

  /** Forget answers received before `before` (the caller keeps at least 7 days). */
  purgeBefore(before: string): number {
    return guardStore('purge old ADT messages', () => this.q.purge.run(before).changes);
  }
}
