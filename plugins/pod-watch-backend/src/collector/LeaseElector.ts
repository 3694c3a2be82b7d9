import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PodWatchStore } from '../store';

export interface LeaseTimings {
  /** a lease whose version has not moved for this long is taken over */
  leaseMs: number;
  /** the holder renews, and followers look, this often */
  renewMs: number;
}

type LeaseStore = Pick<
  PodWatchStore,
  'getLease' | 'createLease' | 'takeLease' | 'renewLease' | 'releaseLease'
>;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** Rejects when `promise` takes longer than `ms`: a hung database call must not hold leadership. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Leader election through a lease row in Backstage's database, the scheme of client-go's
 * leaderelection: the holder bumps the lease's version every `renewMs`; a follower that sees the
 * same version for `leaseMs` on its own clock (so clock skew between replicas does not matter)
 * takes it over with a compare-and-set. A holder that cannot renew for two thirds of a lease
 * stops leading before anyone may take over, so two replicas never watch a cluster at once
 * while the database is reachable. A replica that dies is replaced within leaseMs + 2 × renewMs;
 * one that shuts down releases its lease and is replaced within renewMs.
 */
export class LeaseElector {
  private observed?: { holder: string; version: number; at: number };

  constructor(
    private readonly options: {
      store: LeaseStore;
      /** what is led, e.g. `cluster:prod` */
      name: string;
      holder: string;
      timings: LeaseTimings;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** One step of the campaign: true when this replica holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { store, name, holder, timings } = this.options;
    const lease = await store.getLease(name);
    if (!lease) return store.createLease(name, holder);
    if (lease.holder === holder) return store.renewLease(name, holder);
    const now = this.now();
    const seen = this.observed;
    if (
      !seen ||
      seen.version !== lease.version ||
      seen.holder !== lease.holder
    ) {
      this.observed = { holder: lease.holder, version: lease.version, at: now };
    }
    const free =
      lease.holder === '' || now - this.observed!.at >= timings.leaseMs;
    return free && store.takeLease(name, holder, lease.version);
  }

  /**
   * Campaigns until `signal` aborts. While this replica holds the lease, `lead` runs with a
   * signal that aborts when the lease is lost or released; it must return soon after.
   */
  async run(
    signal: AbortSignal,
    lead: (leadership: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const { logger, name, timings } = this.options;
    while (!signal.aborted) {
      let leading = false;
      try {
        leading = await within(this.tryAcquireOrRenew(), timings.leaseMs / 3);
      } catch (e) {
        logger.warn(`Pod Watch: cannot reach the lease ${name}: ${e}`);
      }
      if (leading && !signal.aborted) await this.leadWhileRenewed(signal, lead);
      await sleep(timings.renewMs, signal);
    }
  }

  private async leadWhileRenewed(
    signal: AbortSignal,
    lead: (leadership: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const { store, name, holder, timings, logger } = this.options;
    const leadership = new AbortController();
    const stop = () => leadership.abort();
    signal.addEventListener('abort', stop);
    const deadlineMs = (timings.leaseMs * 2) / 3;
    const renewals = (async () => {
      let renewedAt = this.now();
      while (!leadership.signal.aborted) {
        await sleep(timings.renewMs, leadership.signal);
        if (leadership.signal.aborted) break;
        try {
          const left = deadlineMs - (this.now() - renewedAt);
          if (
            !(await within(store.renewLease(name, holder), Math.max(1, left)))
          ) {
            logger.warn(
              `Pod Watch: lease ${name} was taken over by another replica`,
            );
            break;
          }
          renewedAt = this.now();
        } catch (e) {
          if (this.now() - renewedAt >= deadlineMs) {
            logger.warn(
              `Pod Watch: giving up lease ${name}, not renewed for ${deadlineMs} ms: ${e}`,
            );
            break;
          }
        }
      }
      leadership.abort();
    })();
    try {
      await lead(leadership.signal);
    } catch (e) {
      logger.error(`Pod Watch: leading ${name} failed: ${e}`);
    } finally {
      leadership.abort();
      signal.removeEventListener('abort', stop);
      await renewals;
      await store
        .releaseLease(name, holder)
        .catch(e =>
          logger.warn(`Pod Watch: cannot release lease ${name}: ${e}`),
        );
    }
  }
}
