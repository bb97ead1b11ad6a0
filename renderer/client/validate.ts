import { z } from 'zod';
import type { ApiResult } from '../../shared/api/client.ts';
import { EVENTS, METHODS, type EventName, type EventPayload, type MethodName, type MethodOutput } from '../../shared/api/contract.ts';
import { ApiErrorSchema, type ApiError } from '../../shared/api/model.ts';

/**
 * The renderer's trust boundary (docs/architecture.md §10): whatever arrives from the hub, over HTTP, the
 * WebSocket or the Electron bridge, is checked against the contract's schemas before any screen
 * sees it. Nothing here throws; a payload that does not fit becomes an error as data.
 */

/** The hub did not answer at all (network down, hub stopped). */
export const UNREACHABLE: ApiError = {
  code: 'TRANSPORT_CLOSED',
  message: 'The hub cannot be reached right now. It reconnects by itself; readings already on the hub are kept.',
};

/** The hub answered with something the contract does not allow. */
export function unexpectedAnswer(detail: string): ApiError {
  return {
    code: 'PROTOCOL_UNEXPECTED',
    message: 'The hub sent an answer this screen does not understand. Reload the page; if it happens again, call support.',
    details: { detail },
  };
}

const SuccessEnvelope = z.object({ ok: z.literal(true), value: z.unknown() });
const FailureEnvelope = z.object({ ok: z.literal(false), error: z.unknown() });
const LooseError = z.object({ message: z.string().min(1) });

/** An answer envelope `{ok, value}` / `{ok, error}` checked against the method's output schema. */
export function parseResult<M extends MethodName>(method: M, body: unknown): ApiResult<MethodOutput<M>> {
  const success = SuccessEnvelope.safeParse(body);
  if (success.success) {
    const value = METHODS[method].output.safeParse(success.data.value);
    if (!value.success) return { ok: false, error: unexpectedAnswer(`${method}: ${value.error.issues[0]?.message ?? 'invalid value'}`) };
    // The schema that just parsed it is the one MethodOutput<M> is inferred from.
    return { ok: true, value: value.data as MethodOutput<M> };
  }
  const failure = FailureEnvelope.safeParse(body);
  if (failure.success) {
    const error = ApiErrorSchema.safeParse(failure.data.error);
    if (error.success) return { ok: false, error: error.data };
    // A code this build does not know (a newer hub): keep the hub's words, mark the code unknown.
    const loose = LooseError.safeParse(failure.data.error);
    if (loose.success) return { ok: false, error: { code: 'PROTOCOL_UNEXPECTED', message: loose.data.message } };
  }
  return { ok: false, error: unexpectedAnswer(`${method}: not an API answer`) };
}

/** One event as it crossed the boundary: its name and its checked payload. */
type CheckedEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });

function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENTS, name);
}

/** Check one event payload against its schema; undefined when it does not fit. */
export function parseEventPayload<E extends EventName>(event: E, payload: unknown): EventPayload<E> | undefined {
  const parsed = EVENTS[event].safeParse(payload);
  if (!parsed.success) {
    console.warn(`hub event ${event} ignored: payload does not match the contract`, parsed.error.issues[0]);
    return undefined;
  }
  return parsed.data as EventPayload<E>;
}

/** A WebSocket message `{"event": …, "payload": …}` (as text), checked; undefined when invalid. */
export function parseEventMessage(data: unknown): CheckedEvent | undefined {
  if (typeof data !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    console.warn('hub event ignored: not JSON');
    return undefined;
  }
  const envelope = EventEnvelope.safeParse(json);
  if (!envelope.success || !isEventName(envelope.data.event)) {
    console.warn('hub event ignored: unknown event', envelope.success ? envelope.data.event : undefined);
    return undefined;
  }
  const event = envelope.data.event;
  const payload = parseEventPayload(event, envelope.data.payload);
  return payload === undefined ? undefined : ({ event, payload } as CheckedEvent);
}
