/**
 * Simulated clock. Scenario time runs `timeScale` times faster than wall time, so
 * minutes of cluster life fit in seconds. Every timer is tracked so close() leaves
 * nothing behind (tests must not leak timers).
 */
export class SimClock {
  private readonly wallStart = Date.now();
  private readonly simStart: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  /**
   * @param timestamps 'simulated': object/event/log timestamps follow simulated time
   *   (durations match the story, but run ahead of the wall clock when timeScale > 1);
   *   'wall': timestamps are wall-clock time while timers stay accelerated (for UIs and
   *   consumers that compare timestamps with their own clock).
   */
  constructor(
    readonly timeScale = 1,
    readonly timestamps: 'simulated' | 'wall' = 'simulated',
    simStart: number = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error('timeScale must be > 0');
    this.simStart = simStart;
  }

  /** Current time for timestamps, in ms since epoch (see `timestamps`). */
  now(): number {
    if (this.timestamps === 'wall') return Date.now();
    return this.simStart + (Date.now() - this.wallStart) * this.timeScale;
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  /** RFC 3339 with second precision, like metav1.Time. */
  nowIso(): string {
    return toK8sTime(this.now());
  }

  /** RFC 3339 with microseconds, like metav1.MicroTime. */
  nowMicro(): string {
    return new Date(this.now()).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  }

  /** Runs fn after `simMs` of simulated time. */
  after(simMs: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, Math.max(0, simMs / this.timeScale));
    this.timers.add(t);
    return t;
  }

  /** Runs fn every `simMs` of simulated time. */
  every(simMs: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const t = setInterval(() => {
      if (!this.closed) fn();
    }, Math.max(1, simMs / this.timeScale));
    this.timers.add(t);
    return t;
  }

  /** Wall-clock timer (for protocol timing such as bookmarks and stalls), still tracked. */
  wallAfter(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout | undefined) {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  /** Resolves after `simMs` of simulated time. */
  sleep(simMs: number): Promise<void> {
    return new Promise(resolve => {
      if (!this.after(simMs, resolve)) resolve();
    });
  }

  close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export function toK8sTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}
