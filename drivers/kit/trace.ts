import { HubError } from '../../shared/errors.ts';
import { latin1 } from './bytes.ts';
import type { TappedChunk } from './link-tap.ts';

/** One recorded chunk (serial/TCP) or report (HID). docs/trace-format.md §1.2. */
export interface TraceEvent {
  /** 1-based line number in the trace file (0 for events not read from a file). */
  line: number;
  /** Seconds since the start of the recording, when the trace says. */
  time?: number;
  /** `<` device to host, `>` host to device. */
  direction: '<' | '>';
  bytes: Uint8Array;
  /** For `>` events: true at positions written `??` (match any byte). */
  wildcard?: boolean[];
}

export interface Trace {
  /** `# key: value` header fields (driver, transport, note, recorded, and any unknown keys). */
  header: Record<string, string>;
  events: TraceEvent[];
}

export const TRACE_MAGIC = '# pochub-trace 1';
const EVENT = /^(?:(\d+(?:\.\d+)?)\s+)?([<>])\s+(.+)$/;
const HEX_BYTES = /^(?:[0-9A-Fa-f]{2}|\?\?)(?: (?:[0-9A-Fa-f]{2}|\?\?))*$/;
const HEADER = /^#\s*([A-Za-z][\w-]*):\s?(.*)$/;

function invalid(line: number, why: string): HubError {
  return new HubError('TRACE_INVALID', `trace line ${line}: ${why}`, { details: { line } });
}

function parseBytes(text: string, line: number, direction: '<' | '>'): Pick<TraceEvent, 'bytes' | 'wildcard'> {
  if (text.startsWith('"')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid(line, 'the byte string is not a valid JSON string literal');
    }
    if (typeof value !== 'string') throw invalid(line, 'expected one JSON string literal');
    const bytes = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff) throw invalid(line, `character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not a byte (U+0000..U+00FF only)`);
      bytes[i] = c;
    }
    return { bytes };
  }
  if (!HEX_BYTES.test(text)) throw invalid(line, 'bytes must be hex pairs separated by single spaces, or a JSON string');
  const pairs = text.split(' ');
  const wildcard = pairs.map((p) => p === '??');
  if (wildcard.some(Boolean) && direction === '<') throw invalid(line, '`??` is only allowed in `>` events');
  const bytes = Uint8Array.from(pairs, (p) => (p === '??' ? 0 : parseInt(p, 16)));
  return wildcard.some(Boolean) ? { bytes, wildcard } : { bytes };
}

/** Parse a version-1 trace; any malformed line is an error that names the line number. */
export function parseTrace(text: string): Trace {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if ((lines[0] ?? '').trimEnd() !== TRACE_MAGIC) {
    throw invalid(1, `a trace must start with "${TRACE_MAGIC}"`);
  }
  const header: Record<string, string> = {};
  const events: TraceEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trimEnd();
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    if (raw.startsWith('#')) {
      const h = HEADER.exec(raw);
      if (h && events.length === 0 && h[1] && !(h[1] in header)) header[h[1]] = (h[2] ?? '').trim();
      continue;
    }
    const m = EVENT.exec(raw.trimStart());
    if (!m) throw invalid(lineNo, 'expected "[time] <|> bytes"');
    const direction = m[2] as '<' | '>';
    const event: TraceEvent = { line: lineNo, direction, ...parseBytes(m[3] ?? '', lineNo, direction) };
    if (m[1] !== undefined) event.time = Number(m[1]);
    events.push(event);
  }
  return { header, events };
}

function isPrintable(bytes: Uint8Array): boolean {
  let printable = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a) printable++;
  return bytes.length > 0 && printable / bytes.length >= 0.75;
}

/** One event line: JSON string form for mostly printable data, hex otherwise. */
export function formatTraceEvent(event: Omit<TraceEvent, 'line'>): string {
  const time = event.time === undefined ? '' : `${event.time.toFixed(3)} `;
  const body =
    !event.wildcard && isPrintable(event.bytes)
      ? JSON.stringify(latin1(event.bytes))
      : Array.from(event.bytes, (b, i) => (event.wildcard?.[i] ? '??' : b.toString(16).toUpperCase().padStart(2, '0'))).join(' ');
  return `${time}${event.direction} ${body}`;
}

/** Write a trace: magic line, header fields in the order given, then events. */
/**
 * A tapped chunk as a trace event: seconds since `startAt` (same clock as the tap), `<` for what
 * came in, `>` for what went out.
 */
export function traceEventOf(chunk: TappedChunk, startAt: number): Omit<TraceEvent, 'line'> {
  return { time: Math.round(chunk.at - startAt) / 1000, direction: chunk.direction === 'in' ? '<' : '>', bytes: chunk.bytes };
}

export function formatTrace(trace: { header: Record<string, string>; events: readonly Omit<TraceEvent, 'line'>[] }): string {
  const head = Object.entries(trace.header).map(([k, v]) => `# ${k}: ${v.replace(/[\r\n]+/g, ' ')}`);
  return [TRACE_MAGIC, ...head, ...trace.events.map(formatTraceEvent)].join('\n') + '\n';
}
