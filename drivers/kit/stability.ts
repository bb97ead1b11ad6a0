/**
 * The automatic-capture rule for continuous devices (docs/adding-a-driver.md §2): a reading is made when the
 * values have been valid and stable for a window (default 10 s; SpO2 within ±1 %, pulse within
 * ±3 /min), and the next automatic capture needs the sensor to come off first, so one spot
 * check is one reading.
 */
export interface StabilitySample<T> {
  /** Milliseconds, on the device's clock when it sends one, else the session clock. */
  at: number;
  /** False while the device reports no value or a sensor exception. */
  valid: boolean;
  /** The numbers the rule watches, by name. */
  values: Readonly<Record<string, number>>;
  /** What the driver needs to build the reading (the decoded record, its raw bytes). */
  item: T;
}

export interface StabilityOptions {
  /** Default 10 000 ms. */
  windowMs?: number;
  /** Largest allowed distance of every sample in the window from the newest, by value name. */
  tolerances: Readonly<Record<string, number>>;
  /** A gap longer than this between samples restarts the window. Default 3 000 ms. */
  maxGapMs?: number;
}

export class StabilityWindow<T> {
  private window: StabilitySample<T>[] = [];
  /** True until an automatic capture; set again when the sensor comes off. */
  private armed = true;
  private readonly windowMs: number;
  private readonly maxGapMs: number;

  constructor(private readonly options: StabilityOptions) {
    this.windowMs = options.windowMs ?? 10_000;
    this.maxGapMs = options.maxGapMs ?? 3_000;
  }

  /** Add a sample; returns the window's samples (oldest first) when they make a reading. */
  push(sample: StabilitySample<T>): StabilitySample<T>[] | undefined {
    if (!sample.valid) {
      this.window = [];
      this.armed = true;
      return undefined;
    }
    const last = this.window[this.window.length - 1];
    if (last && (sample.at < last.at || sample.at - last.at > this.maxGapMs)) this.window = [];
    this.window.push(sample);
    // Keep only the newest run of samples that all sit within tolerance of the newest one.
    let from = this.window.length - 1;
    while (from > 0 && this.withinTolerance(this.window[from - 1] as StabilitySample<T>, sample)) from--;
    this.window = this.window.slice(from);
    const first = this.window[0] as StabilitySample<T>;
    if (!this.armed || sample.at - first.at < this.windowMs) return undefined;
    this.armed = false;
    const captured = this.window;
    this.window = [];
    return captured;
  }

  /** The newest valid sample, for a manual capture (the assistant pressed Capture). */
  latest(): StabilitySample<T> | undefined {
    return this.window[this.window.length - 1];
  }

  /**
   * A manual capture counts as this spot check's reading: no automatic one follows until the
   * sensor comes off, or one spot check could give two readings.
   */
  disarm(): void {
    this.armed = false;
    this.window = [];
  }

  /** Is an automatic capture possible (the sensor has come off since the last one)? */
  get isArmed(): boolean {
    return this.armed;
  }

  private withinTolerance(a: StabilitySample<T>, b: StabilitySample<T>): boolean {
    return Object.entries(this.options.tolerances).every(([name, tol]) => {
      const x = a.values[name];
      const y = b.values[name];
      if (x === undefined || y === undefined) return x === y;
      return Math.abs(x - y) <= tol;
    });
  }
}
