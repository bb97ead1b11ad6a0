import type { Clock, Timer } from '../../../drivers/kit/index.ts';
import type { DiscoveryStatus } from '../../../shared/api/ports-model.ts';
import type { PortLister, SeenPort } from './listers.ts';

/** What changed between two listings. */
export interface DiscoveryChange {
  /** Everything listed now. */
  present: SeenPort[];
  plugged: SeenPort[];
  unplugged: SeenPort[];
  /** Why the listing may be incomplete, in words (udev missing, node-hid failed). */
  problems: string[];
}

interface DiscoveryDeps {
  listers: readonly PortLister[];
  clock: Clock;
  onChange: (change: DiscoveryChange) => void;
  reportBug: (where: string, error: unknown) => void;
}

/**
 * Hotplug by polling (docs/architecture.md §6): list serial ports and HID devices every `pollMs` (and when
 * asked), and report what was plugged and unplugged since the last listing. Polling rather than
 * udev events because serialport and node-hid only offer listings, on every OS alike.
 */
export class Discovery {
  private known = new Map<string, SeenPort>();
  private inFlight: Promise<DiscoveryChange> | undefined;
  private timer: Timer | undefined;
  private pollMs = 0;
  private stopped = true;
  private last: { at: string; problems: string[] } | undefined;

  constructor(private readonly deps: DiscoveryDeps) {}

  /** What the last listing saw. */
  present(): SeenPort[] {
    return [...this.known.values()];
  }

  /** Polling or not, the last listing's time and its problems. */
  status(): DiscoveryStatus {
    return { polling: !this.stopped, pollMs: this.pollMs, ...(this.last ? { lastScanAt: this.last.at, problems: [...this.last.problems] } : { problems: [] }) };
  }

  /** List now. Scans never overlap: a call during a scan gets that scan's answer. */
  scan(): Promise<DiscoveryChange> {
    this.inFlight ??= this.listOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Poll every `pollMs` until stop(); a new interval applies from the next poll. */
  start(pollMs: number): void {
    this.pollMs = pollMs;
    if (!this.stopped) return;
    this.stopped = false;
    this.tick();
  }

  setPollMs(pollMs: number): void {
    this.pollMs = pollMs;
  }

  /** Stop polling and wait for a scan under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped) return;
    this.scan()
      .catch((e: unknown) => this.deps.reportBug('device discovery', e))
      .finally(() => {
        if (!this.stopped) this.timer = this.deps.clock.setTimer(this.pollMs, () => this.tick());
      });
  }

  private async listOnce(): Promise<DiscoveryChange> {
    const listings = await Promise.all(this.deps.listers.map((list) => list()));
    const now = new Map<string, SeenPort>();
    for (const listing of listings) for (const port of listing.ports) now.set(port.id, port);
    const plugged = [...now.values()].filter((p) => !this.known.has(p.id));
    const unplugged = [...this.known.values()].filter((p) => !now.has(p.id));
    this.known = now;
    const change: DiscoveryChange = {
      present: [...now.values()],
      plugged,
      unplugged,
      problems: listings.flatMap((l) => (l.problem ? [l.problem] : [])),
    };
    this.last = { at: new Date(this.deps.clock.now()).toISOString(), problems: change.problems };
    this.deps.onChange(change);
    return change;
  }
}
