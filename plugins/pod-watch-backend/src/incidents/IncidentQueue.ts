/**
 * A bounded, coalescing work queue with one worker: the watch hands changes over after its
 * store commit and goes on with its next batch while incidents are built behind it.
 *
 * - Coalescing: an item pushed under the key of an item still waiting replaces it and moves to
 *   the end (an Event's latest state supersedes the earlier ones: its count is absolute).
 * - Batching: the worker takes everything waiting (up to `batchSize`) in one `process` call, so
 *   the builder can write each incident once per batch.
 * - Backpressure: `push` resolves at once while fewer than `maxPending` items wait; beyond that
 *   it resolves when the worker has brought the queue back under half of it, so a producer
 *   that awaits it (the reflector) slows down instead of growing memory without bound.
 * - `idle()` resolves when nothing waits or runs: call it before shutting down.
 */
export class IncidentQueue<T> {
  private readonly pending = new Map<string, T>();
  private seq = 0;
  private running?: Promise<void>;
  private readonly roomWaiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: {
      process: (items: T[]) => Promise<void>;
      maxPending?: number;
      batchSize?: number;
    },
  ) {}

  get size(): number {
    return this.pending.size;
  }

  private get maxPending() {
    return this.options.maxPending ?? 50_000;
  }

  /** Queues items (under `key` they coalesce); resolves when there is room again. */
  push(items: ReadonlyArray<{ key?: string; item: T }>): Promise<void> {
    for (const { key, item } of items) {
      const k = key ?? `#${this.seq++}`;
      this.pending.delete(k);
      this.pending.set(k, item);
    }
    this.running ??= this.drain();
    if (this.pending.size <= this.maxPending) return Promise.resolve();
    return new Promise(resolve => this.roomWaiters.push(resolve));
  }

  /** Resolves when every queued item has been processed. */
  idle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    // let the producer finish its synchronous work (and push more) before the first batch
    await Promise.resolve();
    const batchSize = this.options.batchSize ?? 2_000;
    while (this.pending.size > 0) {
      const batch: T[] = [];
      for (const [key, item] of this.pending) {
        if (batch.length >= batchSize) break;
        batch.push(item);
        this.pending.delete(key);
      }
      try {
        await this.options.process(batch);
      } catch {
        // `process` reports its own failures; the queue keeps going with the next batch
      }
      if (this.pending.size <= this.maxPending / 2) {
        for (const wake of this.roomWaiters.splice(0)) wake();
      }
    }
    this.running = undefined;
    for (const wake of this.roomWaiters.splice(0)) wake();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
