import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/api/contract.ts';
import { EventBus, type HubEvent } from './event-bus.ts';

const STATE: EventPayload<'state'> = { devices: [], demo: false, workstation: 'room-3' };

describe('EventBus', () => {
  it('sends each event to every subscriber as {event, payload}, in order', () => {
    const bus = new EventBus(() => undefined);
    const a: HubEvent[] = [];
    const b: HubEvent[] = [];
    bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e));
    bus.emit('state', STATE);
    bus.emit('live', { deviceKey: 'masimo-rad8:1', live: { at: '2026-01-15T09:00:00.000Z', observations: [], flags: [], valid: false } });
    expect(a.map((e) => e.event)).toEqual(['state', 'live']);
    expect(a).toEqual(b);
    expect(a[0]).toEqual({ event: 'state', payload: STATE });
  });

  it('a payload the contract does not allow is not sent, and is reported as a bug', () => {
    const bugs: string[] = [];
    const bus = new EventBus((where) => bugs.push(where));
    const seen: HubEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    bus.emit('state', { ...STATE, demo: 'yes' } as unknown as EventPayload<'state'>);
    expect(seen).toEqual([]);
    expect(bugs).toEqual(['event state']);
  });

  it('on() delivers one kind of event; unsubscribing stops delivery', () => {
    const bus = new EventBus(() => undefined);
    const states: EventPayload<'state'>[] = [];
    const off = bus.on('state', (p) => states.push(p));
    bus.emit('live', { deviceKey: 'k', live: { at: '2026-01-15T09:00:00.000Z', observations: [], flags: [], valid: true } });
    bus.emit('state', STATE);
    off();
    bus.emit('state', STATE);
    expect(states).toEqual([STATE]);
    expect(bus.size).toBe(0);
  });

  it('a subscriber that throws does not keep the event from the others', () => {
    const bugs: unknown[] = [];
    const bus = new EventBus((_w, e) => bugs.push(e));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('socket gone');
    });
    bus.subscribe((e) => seen.push(e.event));
    bus.emit('state', STATE);
    expect(seen).toEqual(['state']);
    expect(bugs).toHaveLength(1);
  });
});
