/**
 * Pod Watch's watch path as the engine runs it (PodWatchEngine.watchCluster): a ClusterWatcher
 * with the production config whose handlers report to the incident builder, plus timing hooks
 * that record when each change was stored and where the apply time went.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubeClient } from '@pod-watch/plugin-pod-watch-backend/src/clusters/KubeClient';
import { POD_WATCH_DEFAULTS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import {
  IncidentBuilder,
  incidentHandlerWrapper,
} from '@pod-watch/plugin-pod-watch-backend/src/incidents';
import type { PodWatchStore } from '@pod-watch/plugin-pod-watch-backend/src/store';
import { ClusterWatcher } from '@pod-watch/plugin-pod-watch-backend/src/watch/ClusterWatcher';
import type { KindHandler } from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers';

export interface ApplyTimes {
  /** watch batches applied */
  batches: number;
  /** ms inside the kind handlers' store writes for watch batches */
  storeMs: number;
  /** ms inside the whole apply (store writes + incident building), batches still running included */
  totalMs(): number;
  /** batches being applied now */
  inFlight(): number;
  /** ms inside the kind handlers' store writes for (re)lists */
  replaceStoreMs: number;
  /** ms inside the whole replace of (re)lists (store writes + incident building) */
  replaceTotalMs: number;
}

export interface WatcherUnderTest {
  watcher: ClusterWatcher;
  /**
   * resourceVersion → Date.now() when the batch carrying it was stored: the kind handler's apply
   * has resolved, so its transaction committed and a reader sees the row.
   */
  storedAt: Map<number, number>;
  times: ApplyTimes;
  /**
   * Stops the watcher and closes its database. A reflector finishes the batch it is applying
   * before it stops; closing the database first makes the rest of that batch fail fast instead of
   * keeping the benchmark waiting for work nobody measures (its warnings are silenced).
   */
  stop(closeDatabase: () => Promise<void>): Promise<void>;
}

/** Warnings while measuring; silence while tearing down. */
function quietableLogger() {
  const inner = mockServices.rootLogger({ level: 'warn' });
  const state = { quiet: false };
  const logger: LoggerService = {
    error: (m, meta) => !state.quiet && inner.error(m, meta),
    warn: (m, meta) => !state.quiet && inner.warn(m, meta),
    info: (m, meta) => !state.quiet && inner.info(m, meta),
    debug: (m, meta) => !state.quiet && inner.debug(m, meta),
    child: () => logger,
  };
  return { logger, state };
}

/** Times a handler's apply (with the resourceVersions it carried) and replace. */
function timed(
  handler: KindHandler,
  on: {
    applyStarted?(): () => void;
    applied?(rvs: number[], ms: number): void;
    replaced(ms: number): void;
  },
): KindHandler {
  return {
    ...handler,
    async apply(events, at) {
      const t0 = performance.now();
      const finish = on.applyStarted?.();
      try {
        await handler.apply(events, at);
      } finally {
        finish?.();
      }
      on.applied?.(
        events.map(e => Number(e.object.metadata.resourceVersion)),
        performance.now() - t0,
      );
    },
    async replace(objects, scope, at) {
      const t0 = performance.now();
      await handler.replace(objects, scope, at);
      on.replaced(performance.now() - t0);
    },
  };
}

export function startWatcher(options: {
  cluster: string;
  client: KubeClient;
  store: PodWatchStore;
  /** false: without the incident builder's hooks (a diagnostic; production always has them) */
  incidents?: boolean;
}): WatcherUnderTest {
  const { cluster, client, store } = options;
  const { logger, state } = quietableLogger();
  const withIncidents = incidentHandlerWrapper({
    cluster,
    builder: new IncidentBuilder({ store, logger }),
    logger,
  });
  const storedAt = new Map<number, number>();
  let finishedMs = 0;
  const running = new Set<{ t0: number }>();
  const times: ApplyTimes = {
    batches: 0,
    storeMs: 0,
    totalMs: () => {
      const now = performance.now();
      let ms = finishedMs;
      for (const r of running) ms += now - r.t0;
      return ms;
    },
    inFlight: () => running.size,
    replaceStoreMs: 0,
    replaceTotalMs: 0,
  };
  const watcher = new ClusterWatcher({
    cluster,
    client,
    store,
    logger,
    config: POD_WATCH_DEFAULTS,
    wrapHandler: (handler, kind) => {
      const stored = timed(handler, {
        applied: (rvs, ms) => {
          const now = Date.now();
          for (const rv of rvs) storedAt.set(rv, now);
          times.storeMs += ms;
        },
        replaced: ms => {
          times.replaceStoreMs += ms;
        },
      });
      return timed(
        options.incidents === false ? stored : withIncidents(stored, kind),
        {
          applyStarted: () => {
            const batch = { t0: performance.now() };
            running.add(batch);
            return () => {
              running.delete(batch);
              times.batches++;
              finishedMs += performance.now() - batch.t0;
            };
          },
          replaced: ms => {
            times.replaceTotalMs += ms;
          },
        },
      );
    },
  });
  const abort = new AbortController();
  const done = watcher.run(abort.signal);
  return {
    watcher,
    storedAt,
    times,
    async stop(closeDatabase) {
      abort.abort();
      const stopped = await Promise.race([
        done.then(() => true),
        new Promise<boolean>(r => setTimeout(() => r(false), 500)),
      ]);
      if (!stopped) state.quiet = true;
      await closeDatabase();
      // a batch still in incident building waits for connections of the closed pool (knex's
      // 60 s acquire timeout): leave it behind, the section process exits when it is done
      await Promise.race([done, new Promise(r => setTimeout(r, 500))]);
    },
  };
}

/** Each reflector's last completed list (set after its handler stored the whole list). */
export function lastLists(watcher: ClusterWatcher): Array<string | undefined> {
  return watcher.reflectors.map(r => r.status.lastListAt);
}

/**
 * Resolves when every reflector has completed a list since `before` (from lastLists): the
 * initial list of a new watcher, or the relist `watcher.resync()` asked for. Polls the
 * in-memory status every 5 ms (no database traffic).
 */
export async function listsCompleted(
  watcher: ClusterWatcher,
  before: Array<string | undefined>,
  timeoutMs: number,
): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = lastLists(watcher);
    if (now.every((at, i) => at !== undefined && at !== before[i])) {
      return Date.now();
    }
    if (Date.now() > end) {
      const errors = watcher
        .status()
        .map(s => s.lastError)
        .filter(Boolean);
      throw new Error(
        `lists not completed within ${timeoutMs} ms${
          errors.length ? `: ${errors.join('; ')}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 5));
  }
}
