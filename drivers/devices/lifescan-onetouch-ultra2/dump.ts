import { HubError } from '../../../shared/errors.ts';
import { type DriverContext, latin1 } from '../../kit/index.ts';
import { notInPcLinkMode, type Conversation } from './conversation.ts';
import { decodeHeader, type DumpHeader } from './decode.ts';
import { DUMP_ATTEMPTS, LINE_TIMEOUT_MS } from './protocol.ts';

/**
 * Reading the memory dump `DMP` (notes §1.5): a header with the record count, then that many
 * record lines, which may come in several bursts. Only a complete dump whose every line passed
 * its checksum is returned; a bad or missing line re-requests the whole dump, so a retry can
 * never duplicate or lose a record.
 */

/** Lines read at most while waiting for a failed dump of unknown length to end. */
const MAX_DRAIN_LINES = 2_000;

/** A dump line whose checksum matched: its text and its bytes. */
export interface DumpLine {
  text: string;
  raw: Uint8Array;
}

export interface Dump {
  header: DumpHeader;
  lines: DumpLine[];
}

type Failure = { code: 'DEVICE_NO_RESPONSE' | 'PROTOCOL_CHECKSUM'; message: string };
type HeaderOutcome = { ok: true; header: DumpHeader } | { ok: false; failure: Failure; linesLeft?: number };

/** Wait for the header line; lines that are not a header are stale and skipped. */
async function readHeader(port: Conversation, ctx: Pick<DriverContext, 'clock'>, signal: AbortSignal, next: string): Promise<HeaderOutcome> {
  const until = ctx.clock.now() + LINE_TIMEOUT_MS;
  let sawNul = false;
  for (;;) {
    const event = await port.next(signal, until - ctx.clock.now());
    if (event.kind === 'end') throw port.linkEnded();
    if (event.kind === 'nul') {
      sawNul = true;
      continue;
    }
    if (event.kind === 'line') {
      const decoded = decodeHeader(event.text);
      if (decoded.ok) return { ok: true, header: decoded.value };
      port.problem('PROTOCOL_UNEXPECTED', `unexpected line while waiting for the dump header (${decoded.reason}), skipped`, event.raw);
      continue;
    }
    if (event.kind === 'bad') {
      port.problem(event.code, `dump header rejected (${event.reason}); ${next}`, event.raw);
      // The count of a damaged header only tells how many lines to let pass before asking again.
      const guess = decodeHeader(latin1(event.raw).replace(/ [0-9A-Fa-f]{4}$/, ''));
      const failure: Failure = { code: event.code === 'PROTOCOL_CHECKSUM' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE', message: 'the dump header was damaged' };
      return guess.ok ? { ok: false, failure, linesLeft: guess.value.count } : { ok: false, failure };
    }
    if (sawNul) throw notInPcLinkMode();
    if (event.partial.length > 0) port.problem('PROTOCOL_TRUNCATED', `dump header cut short; ${next}`, event.partial);
    else port.problem('DEVICE_NO_RESPONSE', `no dump header within ${LINE_TIMEOUT_MS} ms; ${next}`);
    return { ok: false, failure: { code: 'DEVICE_NO_RESPONSE', message: 'the meter did not start the dump' } };
  }
}

/** Let the rest of a failed dump pass: `count` more lines, or until the meter goes quiet. */
async function drain(port: Conversation, signal: AbortSignal, count = MAX_DRAIN_LINES): Promise<void> {
  for (let seen = 0; seen < count; ) {
    const event = await port.next(signal, LINE_TIMEOUT_MS);
    if (event.kind === 'end') throw port.linkEnded();
    if (event.kind === 'timeout') return;
    if (event.kind !== 'nul') seen++;
  }
}

/**
 * Request the dump and read it, with up to DUMP_ATTEMPTS requests. Progress `{done, total}` is
 * reported as verified lines arrive and never goes back: a retry reports again only past the
 * point the failed try had reached.
 */
export async function readDump(port: Conversation, ctx: Pick<DriverContext, 'clock' | 'emit'>, signal: AbortSignal): Promise<Dump> {
  let reported = -1;
  let failure: Failure = { code: 'DEVICE_NO_RESPONSE', message: 'no dump' };
  for (let attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
    const next = attempt < DUMP_ATTEMPTS ? `asking for the whole dump again (try ${attempt + 1} of ${DUMP_ATTEMPTS})` : 'giving up';
    await port.send('DMP', signal);
    const head = await readHeader(port, ctx, signal, next);
    if (!head.ok) {
      failure = head.failure;
      await drain(port, signal, head.linesLeft);
      continue;
    }
    const { count } = head.header;
    if (reported < 0) {
      ctx.emit({ type: 'progress', done: 0, total: count });
      reported = 0;
    }
    const lines: DumpLine[] = [];
    let failed: Failure | undefined;
    for (let seen = 0; seen < count; ) {
      const event = await port.next(signal, LINE_TIMEOUT_MS);
      if (event.kind === 'end') throw port.linkEnded();
      if (event.kind === 'nul') continue;
      if (event.kind === 'timeout') {
        const why = `the dump stopped after ${seen} of ${count} records`;
        if (event.partial.length > 0) port.problem('PROTOCOL_TRUNCATED', `${why}, inside a line; ${next}`, event.partial);
        else port.problem('DEVICE_NO_RESPONSE', `${why} (nothing for ${LINE_TIMEOUT_MS} ms); ${next}`);
        failed ??= { code: 'DEVICE_NO_RESPONSE', message: why };
        break;
      }
      seen++;
      if (event.kind === 'bad') {
        // Keep reading to the count, so the rest of this dump does not run into the next one.
        port.problem(event.code, `dump line ${seen} of ${count} rejected (${event.reason}); ${next}`, event.raw);
        failed ??= { code: event.code === 'PROTOCOL_CHECKSUM' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE', message: `dump line ${seen} was damaged` };
        continue;
      }
      lines.push({ text: event.text, raw: event.raw });
      if (!failed && seen > reported) {
        reported = seen;
        ctx.emit({ type: 'progress', done: seen, total: count });
      }
    }
    if (!failed) return { header: head.header, lines };
    failure = failed;
  }
  throw new HubError(
    failure.code,
    failure.code === 'PROTOCOL_CHECKSUM'
      ? `The meter's memory could not be read without errors in ${DUMP_ATTEMPTS} tries (${failure.message}): check that the cable is pushed fully into the meter's port, then try again. Nothing was imported.`
      : `The meter's memory could not be read in ${DUMP_ATTEMPTS} tries (${failure.message}). Switch the meter off, plug the cable in while it is off, and try again. Nothing was imported.`,
  );
}
