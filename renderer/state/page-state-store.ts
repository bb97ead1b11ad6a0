import type { ApiResult, HubClient } from '../../shared/api/client.ts';
import type { EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import type { ApiError, HubState, OutboxSummary, ReviewItem } from '../../shared/api/model.ts';
import type { Port } from '../../shared/api/ports-model.ts';

/** A continuous device's newest live values (the `live` event). */
export type LiveValues = EventPayload<'live'>['live'];

/** A short message for the status line (success, or why a key did nothing). */
export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'ok' | 'warn' | 'error';
}

/** Everything the screens read, replaced (never mutated) on every change. */
export interface HubSnapshot {
  /** `no-access`: the page was opened without the address `pochub serve` printed. */
  readonly status: 'loading' | 'ready' | 'no-access';
  readonly state?: HubState;
  /** Pending review items in arrival order (assigned or not). */
  readonly pending: readonly ReviewItem[];
  readonly live: Readonly<Record<string, LiveValues>>;
  /** False while the hub is unreachable: the offline banner. */
  readonly connected: boolean;
  /** Counts review changes, so History and QC know to reload. */
  readonly reviewVersion: number;
  /** Export counts per target (the `outbox` event, or the newest getOutbox answer). */
  readonly outbox: readonly OutboxSummary[];
  /** Counts `outbox` events, so the Outbox screen knows to reload its rows. */
  readonly outboxVersion: number;
  /** The biomed console's ports (undefined until the console asked; then kept by the `ports` event). */
  readonly ports?: readonly Port[];
  /** Counts `ports` events, so an older listPorts answer does not overwrite a newer event. */
  readonly portsVersion: number;
  readonly notice?: Notice;
}

/** While offline, how often to ask the hub whether it is back (and whether our token still works). */
const OFFLINE_PROBE_MS = 5_000;

/**
 * The renderer's one copy of the hub's state: loaded through the client, kept current by its
 * events, read by components through `useSyncExternalStore` (see use-hub.tsx), so a live value
 * arriving every second re-renders only what shows it.
 */
export class PageStateStore {
  private snapshot: HubSnapshot = { status: 'loading', pending: [], live: {}, connected: true, reviewVersion: 0, outbox: [], outboxVersion: 0, portsVersion: 0 };
  private readonly pendingById = new Map<string, ReviewItem>();
  private readonly listeners = new Set<() => void>();
  private noticeSeq = 0;
  private probe: ReturnType<typeof setInterval> | undefined;
  private loadSeq = 0;
  private reviewSeq = 0;
  private duringReload: ReviewItem[] | undefined;

  constructor(readonly client: HubClient) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): HubSnapshot => this.snapshot;

  /** Subscribe to the client's events and load; returns the stop function. */
  start(): () => void {
    const offs = [
      this.client.on('review', (item) => this.applyItems([item])),
      this.client.on('state', (state) => this.setState(state)),
      this.client.on('outbox', (summary) => this.applyOutbox(summary)),
      this.client.on('ports', (ports) => this.set({ ports, portsVersion: this.snapshot.portsVersion + 1 })),
      this.client.on('live', ({ deviceKey, live }) => this.set({ live: { ...this.snapshot.live, [deviceKey]: live } })),
      this.client.onConnection((connected) => this.setConnected(connected)),
    ];
    void this.load();
    return () => {
      for (const off of offs) off();
      this.stopProbe();
    };
  }

  /** Reload the header state and, when someone is signed in, the pending list. */
  async load(): Promise<void> {
    const seq = ++this.loadSeq;
    const state = await this.client.call('getState', {});
    if (seq !== this.loadSeq) return;
    if (!state.ok) {
      // getState needs no operator: AUTH_REQUIRED here means the token itself was refused.
      if (state.error.code === 'AUTH_REQUIRED') this.set({ status: 'no-access' });
      return;
    }
    this.setState(state.value, true);
  }

  /**
   * Call a method; an AUTH_REQUIRED answer (the operator's session ended) reloads the state so
   * the sign-in screen shows. Review items in the answer are applied at once (the event that
   * follows is then a no-op), so the list never waits for the socket.
   */
  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> {
    const result = await this.client.call(method, input);
    // LOCKED: the hub locked this session after inactivity; the state says so, and the lock screen shows.
    if (!result.ok && (result.error.code === 'AUTH_REQUIRED' || result.error.code === 'LOCKED')) void this.load();
    return result;
  }

  /** Put changed review items in place; decided ones leave the pending list. */
  applyItems(items: readonly ReviewItem[]): void {
    this.duringReload?.push(...items);
    for (const item of items) {
      // Control results belong in the QC log, never in the Review list (docs/architecture.md §8 rule 4),
      // and a result still in a device memory is not for review until imported.
      if (item.state === 'pending' && item.reading.kind === 'patient' && item.memory !== 'not-imported') this.pendingById.set(item.id, item);
      else this.pendingById.delete(item.id);
    }
    this.set({ pending: [...this.pendingById.values()], reviewVersion: this.snapshot.reviewVersion + 1 });
  }

  /**
   * Counts from a getOutbox answer, asked when `outboxVersion` was `askedAt`. Unlike the event
   * this does not bump the version (the screen that asked has its rows already; a bump would
   * make it ask again forever), and it is dropped when an event came since: that one is newer.
   */
  noteOutbox(summary: readonly OutboxSummary[], askedAt: number): void {
    if (askedAt === this.snapshot.outboxVersion) this.set({ outbox: summary });
  }

  /** A listPorts answer asked at `askedAt`: dropped when a `ports` event came since (that one is newer). */
  notePorts(ports: readonly Port[], askedAt: number): void {
    if (askedAt === this.snapshot.portsVersion) this.set({ ports });
  }

  /** One port as a command answered it (assigned, connected…): shown at once, before the event. */
  applyPort(port: Port): void {
    const list = this.snapshot.ports ?? [];
    const at = list.findIndex((p) => p.id === port.id);
    this.set({ ports: at < 0 ? [...list, port] : list.map((p, i) => (i === at ? port : p)) });
  }

  /** Put a whole port list in place (the answer of removePort). */
  applyPorts(ports: readonly Port[]): void {
    this.set({ ports: [...ports] });
  }

  /** Show a message in the status line. */
  notify(text: string, tone: Notice['tone'] = 'ok'): void {
    this.set({ notice: { id: ++this.noticeSeq, text, tone } });
  }

  /** Report an error answer in the status line. */
  notifyError(error: ApiError): void {
    this.notify(error.message, 'error');
  }

  private setState(state: HubState, reloadReview = false): void {
    // An older state arriving last (a late event after a newer getState answer) must not undo a
    // sign-in: keep the newest.
    const known = this.snapshot.state?.version;
    if (known !== undefined && state.version !== undefined && state.version < known) return;
    const before = this.snapshot.state?.operator?.id;
    const after = state.operator?.id;
    this.set({ status: 'ready', state });
    if (after === undefined || state.locked === true) {
      if (this.pendingById.size > 0) {
        // Signed out or locked: the list is not for whoever walks up to the screen next.
        this.pendingById.clear();
        this.set({ pending: [] });
      }
      if (this.snapshot.outbox.length > 0) this.set({ outbox: [] });
      if (this.snapshot.ports !== undefined) this.set({ ports: undefined });
    } else if (reloadReview || before !== after) {
      void this.reloadReview();
      void this.reloadOutbox();
    }
  }

  /**
   * The counts for the nav badge before the first `outbox` event, and again after signing in or
   * reconnecting (events may have been missed). One row is the least the query may return.
   */
  private async reloadOutbox(): Promise<void> {
    const result = await this.client.call('getOutbox', { states: ['dead'], limit: 1 });
    // A hub without export (or a failure) leaves the badge empty rather than showing an error.
    if (result.ok) this.applyOutbox(result.value.summary);
  }

  /** New counts that may mean new rows: the Outbox screen reloads on the version. */
  private applyOutbox(summary: readonly OutboxSummary[]): void {
    this.set({ outbox: summary, outboxVersion: this.snapshot.outboxVersion + 1 });
  }

  private async reloadReview(): Promise<void> {
    const seq = ++this.reviewSeq;
    // Changes that arrive while the list is on its way may be newer than the list: replay them.
    const during: ReviewItem[] = [];
    this.duringReload = during;
    const review = await this.client.call('listReview', {});
    // An older answer must not overwrite a newer one.
    if (seq !== this.reviewSeq) return;
    this.duringReload = undefined;
    if (!review.ok) return;
    this.pendingById.clear();
    this.applyItems([...review.value, ...during]);
  }

  private setConnected(connected: boolean): void {
    const was = this.snapshot.connected;
    this.set({ connected });
    if (!connected) this.startProbe();
    else {
      this.stopProbe();
      // Events may have been missed while away: take the hub's word for everything again.
      if (!was) void this.load();
    }
  }

  private startProbe(): void {
    if (this.probe !== undefined) return;
    this.probe = setInterval(() => void this.load(), OFFLINE_PROBE_MS);
  }

  private stopProbe(): void {
    if (this.probe !== undefined) clearInterval(this.probe);
    this.probe = undefined;
  }

  private set(patch: Partial<HubSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}
