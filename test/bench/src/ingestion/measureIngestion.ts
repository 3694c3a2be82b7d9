/**
 * One ingestion run on one engine: the watcher lists the simulator's pods, then the load
 * generator churns Events and pod updates at a fixed offered rate for a fixed window; we wait
 * until every change of the window is stored and compare the database with the simulator.
 */
import { storedVersions } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { Knex } from 'knex';
import type { EngineName } from '../lib/context';
import { openScratchDatabase } from '../lib/databases';
import { median, percentile } from '../lib/report';
import type { SimProcess } from './simProcess';
import { listsCompleted, startWatcher } from './watcherUnderTest';

export interface IngestionLoad {
  eventsPerSecond: number;
  podUpdatesPerSecond: number;
  windowSeconds: number;
  /** how long to wait for the backlog after the window before calling it lost */
  catchUpTimeoutMs: number;
}

export interface IngestionResult {
  engine: EngineName;
  /** changes the simulator made in the window (Events + pods) and their rate */
  offered: number;
  offeredPerSecond: number;
  stored: number;
  /** changes stored per second, from the first change to the last one stored */
  storedPerSecond: number;
  /** every change of the window was stored before catchUpTimeoutMs */
  caughtUp: boolean;
  /** ms from the end of the window until the last change was stored (or the timeout) */
  catchUpMs: number;
  /** ms from the end of the window until the reflectors had applied everything (incidents too) */
  idleMs: number;
  idle: boolean;
  /** lag percentiles over every change of the window; not caught up: lower bounds */
  lagP50: number;
  lagP99: number;
  lagMax: number;
  /** objects whose stored resourceVersion differs from the simulator's after catching up */
  mismatched: number;
  times: { batches: number; storeMs: number; totalMs: number };
  /** CPU seconds of this process (ingester) per wall second of the run */
  cpuShare: number;
}

const WATCHED_STORAGES = ['core/pods', 'core/events'];

async function storedEventVersions(knex: Knex, cluster: string) {
  const rows = await knex('events')
    .where({ cluster })
    .select('uid', 'resource_version');
  return Object.fromEntries(rows.map(r => [r.uid, r.resource_version]));
}

function differences(
  expected: Record<string, string>,
  actual: Record<string, string>,
) {
  return Object.entries(expected).filter(([uid, rv]) => actual[uid] !== rv)
    .length;
}

export async function measureIngestion(options: {
  engine: EngineName;
  pgUrl: string;
  /** a simulator with `load.pods` pods created */
  sim: SimProcess;
  /** false: the store path alone, without the incident builder (diagnostic) */
  incidents?: boolean;
  load: IngestionLoad;
  log(message: string): void;
}): Promise<IngestionResult> {
  const { engine, sim, load, log } = options;
  const label = `${engine}${
    options.incidents === false ? ' (store path only)' : ''
  }`;
  const db = await openScratchDatabase(engine, {
    pgUrl: options.pgUrl,
    // distinct per variant: a batch left behind by the previous run must not meet this one
    name: options.incidents === false ? 'ingestion_store' : 'ingestion',
  });
  const cluster = 'bench';
  const run = startWatcher({
    cluster,
    client: sim.client(),
    store: db.store,
    incidents: options.incidents,
  });
  try {
    const t0 = Date.now();
    await listsCompleted(run.watcher, [], 300_000);
    log(`${label}: initial list in sync after ${Date.now() - t0} ms`);
    const sinceRv = await sim.request({ op: 'resourceVersion' });
    const before = {
      batches: run.times.batches,
      storeMs: run.times.storeMs,
      totalMs: run.times.totalMs(),
    };
    const cpu0 = process.cpuUsage();
    const started = Date.now();
    await sim.request({
      op: 'startChurn',
      args: {
        eventsPerSecond: load.eventsPerSecond,
        podUpdatesPerSecond: load.podUpdatesPerSecond,
      },
    });
    await new Promise(r => setTimeout(r, load.windowSeconds * 1000));
    await sim.request({ op: 'stopChurn' });
    const windowEnd = Date.now();
    const changes = await sim.request({
      op: 'changes',
      args: { sinceRv, storages: WATCHED_STORAGES },
    });
    const end = windowEnd + load.catchUpTimeoutMs;
    const isStored = (rv: number) => run.storedAt.has(rv);
    while (!changes.rv.every(isStored) && Date.now() < end) {
      await new Promise(r => setTimeout(r, 50));
    }
    const caughtUp = changes.rv.every(isStored);
    // the reflectors go on with incident building after the store has a batch
    while (run.times.inFlight() > 0 && Date.now() < end) {
      await new Promise(r => setTimeout(r, 50));
    }
    const idleAt = Date.now();
    const cpu = process.cpuUsage(cpu0);
    if (!caughtUp) {
      log(
        `${label}: not caught up within ${
          load.catchUpTimeoutMs
        } ms; ${run.watcher
          .status()
          .filter(x => x.kind === 'pods' || x.kind === 'events')
          .map(
            x =>
              `${x.kind} at rv ${x.resourceVersion}, last batch ${
                x.lastEventAt
              }${x.lastError ? `, last error ${x.lastError}` : ''}`,
          )
          .join('; ')}`,
      );
    }
    const lags: number[] = [];
    let stored = 0;
    let lastStored = 0;
    changes.rv.forEach((rv, i) => {
      const at = run.storedAt.get(rv);
      // a change never stored counts with its age at the end of the wait (a lower bound)
      lags.push((at ?? idleAt) - changes.wallMs[i]);
      if (at === undefined) return;
      stored++;
      lastStored = Math.max(lastStored, at);
    });
    const firstChange = changes.wallMs[0] ?? started;
    const offeredSeconds =
      ((changes.wallMs[changes.wallMs.length - 1] ?? windowEnd) - firstChange) /
      1000;
    // not caught up: the rate over the whole wait, not up to the last change that made it
    const storedSeconds =
      ((caughtUp ? lastStored : Date.now()) - firstChange) / 1000;
    const [simPods, simEvents] = await Promise.all(
      WATCHED_STORAGES.map(storage =>
        sim.request({ op: 'versions', args: { storage } }),
      ),
    );
    const mismatched =
      differences(simPods, await storedVersions(db.knex, 'pods', cluster)) +
      differences(simEvents, await storedEventVersions(db.knex, cluster));
    const result: IngestionResult = {
      engine,
      offered: changes.rv.length,
      offeredPerSecond: changes.rv.length / offeredSeconds,
      stored,
      storedPerSecond: stored / storedSeconds,
      caughtUp,
      catchUpMs: caughtUp
        ? Math.max(0, lastStored - windowEnd)
        : load.catchUpTimeoutMs,
      idleMs: idleAt - windowEnd,
      idle: caughtUp && run.times.inFlight() === 0,
      lagP50: median(lags),
      lagP99: percentile(lags, 99),
      lagMax: percentile(lags, 100),
      mismatched,
      times: {
        batches: run.times.batches - before.batches,
        storeMs: run.times.storeMs - before.storeMs,
        totalMs: run.times.totalMs() - before.totalMs,
      },
      cpuShare: (cpu.user + cpu.system) / 1000 / Math.max(1, idleAt - started),
    };
    log(
      `${label}: ${result.stored}/${
        result.offered
      } changes stored, ${Math.round(
        result.storedPerSecond,
      )}/s (offered ${Math.round(result.offeredPerSecond)}/s), lag p50 ${
        result.lagP50
      } ms p99 ${result.lagP99} ms, caught up ${
        result.catchUpMs
      } ms after the window`,
    );
    return result;
  } finally {
    await run.stop(() => db.close());
  }
}
