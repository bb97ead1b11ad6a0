import type { ApiResult, HubClient } from '../../shared/api/client.ts';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import type { HubState, Patient, ReviewItem } from '../../shared/api/model.ts';
import type { Observation } from '../../shared/observation.ts';
import { observe, quantity, unmapped } from '../../shared/observation.ts';

/** Tests only: a HubClient whose answers the test writes, recording every call. */
export interface FakeHub extends HubClient {
  readonly calls: Array<{ method: MethodName; input: unknown }>;
  handle<M extends MethodName>(method: M, answer: (input: MethodInput<M>) => ApiResult<MethodOutput<M>>): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  setConnected(connected: boolean): void;
  callsOf(method: MethodName): unknown[];
}

type FakeHubAnswer = (input: never) => ApiResult<unknown>;

/** A fake hub with a signed-in assistant, `patient` selected (if any) and `review` pending. */
export function createFakeHub(init: { patient?: Patient; review?: ReviewItem[]; devices?: HubState['devices'] } = {}): FakeHub {
  const answers = new Map<MethodName, FakeHubAnswer>();
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const connection = new Set<(c: boolean) => void>();
  const calls: FakeHub['calls'] = [];
  const state: HubState = {
    operator: { id: 'op-1', name: 'Alex Assistant', badgeId: 'B-1', role: 'assistant' },
    devices: init.devices ?? [],
    demo: true,
    workstation: 'ROOM-3',
    ...(init.patient ? { patient: init.patient } : {}),
  };
  answers.set('getState', () => ({ ok: true, value: state }));
  answers.set('listReview', () => ({ ok: true, value: init.review ?? [] }));

  return {
    calls,
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> {
      calls.push({ method, input });
      const answer = answers.get(method);
      if (!answer) return { ok: false, error: { code: 'NOT_FOUND', message: `fake hub: no answer for ${method}` } };
      return answer(input as never) as ApiResult<MethodOutput<M>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (p: never) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
    handle(method, answer) {
      answers.set(method, answer as FakeHubAnswer);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) (l as (p: typeof payload) => void)(payload);
    },
    setConnected(connected) {
      for (const l of connection) l(connected);
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method).map((c) => c.input);
    },
  };
}

export const JANE: Patient = { mrn: 'MRN-1001', name: 'Jane Roe', birthDate: '1980-03-14' };

let seq = 0;
/** A pending review item from `deviceKey` with the given values (SpO2 + pulse by default). */
export function pendingItem(over: Partial<ReviewItem> & { observations?: Observation[] } = {}): ReviewItem {
  const { observations, ...rest } = over;
  const id = rest.id ?? `r${++seq}`;
  return {
    id,
    state: 'pending',
    deviceKey: 'masimo-rad8:SN1',
    deviceLabel: 'Masimo Rad-8 (SN1)',
    manual: false,
    reading: {
      driver: 'masimo-rad8',
      device: { manufacturer: 'Masimo', model: 'Rad-8', serial: 'SN1' },
      kind: 'patient',
      deviceTime: '2026-01-14T08:30:00',
      receivedAt: '2026-01-14T08:30:02Z',
      effectiveTime: '2026-01-14T08:30:00Z',
      observations: observations ?? [observe('spo2', quantity(97, '%')), observe('pulseRateOximeter', quantity(72, '/min'), { interpretation: 'H' }), unmapped('PI', '2.3')],
      flags: [],
    },
    ...rest,
  };
}

/**
 * jsdom has no layout: give the review list's scroll box and rows a size so the virtualizer
 * works as in a browser. Returns the function that takes the stubs away.
 */
export function stubLayout({ viewportPx = 800, rowPx = 160 } = {}): () => void {
  const proto = HTMLElement.prototype;
  const isScroll = (el: HTMLElement): boolean => el.classList.contains('review-scroll');
  const isRow = (el: HTMLElement): boolean => el.classList.contains('row-slot') || el.classList.contains('group-head') || el.classList.contains('section-slot');
  const props: Record<string, (this: HTMLElement) => number> = {
    clientHeight() {
      return isScroll(this) ? viewportPx : 0;
    },
    clientWidth() {
      return isScroll(this) ? 1000 : 0;
    },
    scrollHeight() {
      // The scroll box's content is the virtual canvas, sized by the virtualizer.
      const canvas = isScroll(this) ? this.querySelector<HTMLElement>('.review-canvas') : null;
      return canvas ? Number.parseFloat(canvas.style.height) || 0 : 0;
    },
    offsetHeight() {
      return isRow(this) ? rowPx : isScroll(this) ? viewportPx : 0;
    },
  };
  for (const [name, get] of Object.entries(props)) Object.defineProperty(proto, name, { configurable: true, get });
  // jsdom keeps scrollTop but has no scrollTo and fires no scroll event on its own.
  Object.defineProperty(proto, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, options: ScrollToOptions) {
      if (options.top !== undefined) this.scrollTop = options.top;
      this.dispatchEvent(new Event('scroll'));
    },
  });
  return () => {
    for (const name of [...Object.keys(props), 'scrollTo']) Reflect.deleteProperty(proto, name);
  };
}
