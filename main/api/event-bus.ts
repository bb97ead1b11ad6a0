import { EVENTS, type EventName, type EventPayload } from '../../shared/api/contract.ts';

/** One event as every binding sends it: `{event, payload}` (the WebSocket message shape). */
export type HubEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

/**
 * The contract's events (docs/architecture.md §10), typed and checked against their schemas before anyone
 * sees them: a payload the contract does not allow is a bug, reported and not sent, so a UI never
 * has to cope with a malformed event.
 */
export class EventBus {
  private readonly listeners = new Set<(event: HubEvent) => void>();

  /** @param reportBug called with an event that failed its schema, or a listener that threw. */
  constructor(private readonly reportBug: (where: string, error: unknown) => void) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = EVENTS[event].safeParse(payload);
    if (!checked.success) {
      this.reportBug(`event ${event}`, new Error(`the ${event} event does not match the contract: ${checked.error.message}`));
      return;
    }
    const message = { event, payload: checked.data } as HubEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (e) {
        // One broken subscriber (a closed socket) must not keep the event from the others.
        this.reportBug(`listener of ${event}`, e);
      }
    }
  }

  /** Every event, in order; returns the unsubscribe function. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One kind of event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((message) => {
      if (message.event === event) listener(message.payload as EventPayload<E>);
    });
  }

  /** How many subscribers are listening (for tests and shutdown). */
  get size(): number {
    return this.listeners.size;
  }
}
