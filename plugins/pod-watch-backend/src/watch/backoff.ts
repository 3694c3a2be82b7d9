import { KubeApiError } from '../clusters/KubeClient';

/**
 * Exponential backoff with full jitter (client-go's wait.Backoff with jitter): the n-th retry
 * waits a random time in [d/2, d] with d = initial·2ⁿ capped at max. A server's Retry-After
 * takes precedence (never less than what it asked for).
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  reset() {
    this.attempt = 0;
  }

  get attempts() {
    return this.attempt;
  }

  next(error?: unknown): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    const jittered = base / 2 + (this.random() * base) / 2;
    const retryAfter =
      error instanceof KubeApiError && error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : 0;
    return Math.max(jittered, retryAfter);
  }
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
