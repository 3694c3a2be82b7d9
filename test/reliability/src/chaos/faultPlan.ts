/**
 * The chaos schedule: every fault kind of the simulator's `sim.faults`, injected in rotation
 * over the churn window and counted as it actually hit (a drop counts the watches it cut, an
 * HTTP burst the requests it failed), so `faults` never counts a fault that did not happen.
 */
import type { KubeSim } from '@pod-watch/kube-sim';

/** in rotation order: an HTTP burst stays armed until the next one, so retries hit it too */
export const FAULT_KINDS = [
  'drop',
  '429 (Retry-After)',
  'mid-chunk close',
  'malformed line',
  'stall',
  '500',
  'compaction (410 relist)',
  '503 (Retry-After)',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Resources the stream faults rotate over (undefined: every open watch). */
const TARGETS = ['pods', 'events', undefined] as const;

const HTTP: Partial<
  Record<
    FaultKind,
    { status: number; times: number; retryAfterSeconds?: number }
  >
> = {
  '429 (Retry-After)': { status: 429, times: 2, retryAfterSeconds: 1 },
  '500': { status: 500, times: 3 },
  '503 (Retry-After)': { status: 503, times: 2, retryAfterSeconds: 1 },
};

export interface InjectedFault {
  kind: FaultKind;
  /** wall ms of the injection */
  at: number;
  /** watches or requests it hit */
  hits: number;
}

export class FaultPlan {
  readonly injected: InjectedFault[] = [];
  private step = 0;
  private misses = 0;
  /** the armed HTTP burst (one at a time, so the error counter attributes its hits) */
  private pendingHttp?: { kind: FaultKind; before: number; cancel: () => void };

  constructor(
    private readonly sim: KubeSim,
    /** how long a stall lasts: longer than the watch inactivity timeout */
    private readonly stallMs: number,
  ) {}

  /** Injects the next fault of the rotation. */
  next() {
    const kind = FAULT_KINDS[this.step % FAULT_KINDS.length];
    const resource =
      TARGETS[Math.floor(this.step / FAULT_KINDS.length) % TARGETS.length];
    const faults = this.sim.faults;
    const filter = resource ? { resource } : undefined;
    const at = Date.now();
    const http = HTTP[kind];
    if (http) {
      // the burst hits the reconnect: fail the next requests, then cut the watches
      this.settleHttp();
      const before = faults.fired.httpErrors;
      const cancel = faults.httpError({
        ...http,
        match: filter,
        message: `chaos ${kind}`,
      });
      this.pendingHttp = { kind, before, cancel };
      this.step++;
      this.record('drop', at, faults.dropWatches(filter));
      return;
    }
    let hits = 0;
    switch (kind) {
      case 'drop':
        hits = faults.dropWatches(filter);
        break;
      case 'mid-chunk close':
        hits = faults.closeMidChunk(filter);
        break;
      case 'malformed line':
        hits = faults.malformedLine(filter);
        break;
      case 'stall':
        hits = faults.stall(this.stallMs, filter ?? {});
        break;
      case 'compaction (410 relist)':
        // every watch ends and every resume gets 410 Expired
        hits = this.sim.openWatches();
        faults.restart({ compact: true });
        break;
      default:
        throw new Error(`unplanned fault ${kind}`);
    }
    this.record(kind, at, hits);
    // no watch was open (all reconnecting): try the same fault again, a few times at most
    if (hits > 0 || ++this.misses >= 3) {
      this.step++;
      this.misses = 0;
    }
  }

  /** Ends the schedule: removes any rule still armed, counting what it fired. */
  finish() {
    this.settleHttp();
    this.sim.faults.clear();
  }

  /** Disarms the armed burst, counting the requests it failed. */
  private settleHttp() {
    const p = this.pendingHttp;
    if (!p) return;
    this.pendingHttp = undefined;
    p.cancel();
    this.record(
      p.kind,
      Date.now(),
      this.sim.faults.fired.httpErrors - p.before,
    );
  }

  private record(kind: FaultKind, at: number, hits: number) {
    if (hits > 0) this.injected.push({ kind, at, hits });
  }

  total(): number {
    return this.injected.reduce((a, f) => a + f.hits, 0);
  }

  byKind(): Record<FaultKind, number> {
    const out = Object.fromEntries(FAULT_KINDS.map(k => [k, 0])) as Record<
      FaultKind,
      number
    >;
    for (const f of this.injected) out[f.kind] += f.hits;
    return out;
  }
}
