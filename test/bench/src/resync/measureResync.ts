/**
 * Rounds of: the floor (download + parse the pod list), our initial list into an empty
 * database, the floor again, our relist (`watcher.resync()`) into the database that holds the
 * pods. Each round gets a fresh scratch database; the simulator keeps its pods.
 */
import { POD_WATCH_DEFAULTS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import { storedVersions } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { SimProcess } from '../ingestion/simProcess';
import {
  lastLists,
  listsCompleted,
  startWatcher,
} from '../ingestion/watcherUnderTest';
import type { EngineName } from '../lib/context';
import { openScratchDatabase } from '../lib/databases';
import { downloadFloor } from './downloadFloor';

export interface ResyncRound {
  floorBeforeInitialMs: number;
  initialMs: number;
  floorBeforeRelistMs: number;
  relistMs: number;
  /** ms of the relist inside the handlers' store writes, and inside incident building */
  relistStoreMs: number;
  relistIncidentMs: number;
  initialStoreMs: number;
  initialIncidentMs: number;
}

export interface ResyncResult {
  engine: EngineName;
  rounds: ResyncRound[];
  /** pods whose stored resourceVersion differed from the simulator's after a list (all rounds) */
  mismatched: number;
}

const LIST_TIMEOUT_MS = 300_000;

async function podsMismatched(
  sim: SimProcess,
  knex: Parameters<typeof storedVersions>[0],
  cluster: string,
) {
  const expected = await sim.request({
    op: 'versions',
    args: { storage: 'core/pods' },
  });
  const stored = await storedVersions(knex, 'pods', cluster);
  const wrong = Object.entries(expected).filter(
    ([uid, rv]) => stored[uid] !== rv,
  ).length;
  return (
    wrong +
    Math.max(0, Object.keys(stored).length - Object.keys(expected).length)
  );
}

export async function measureResync(options: {
  engine: EngineName;
  pgUrl: string;
  sim: SimProcess;
  pods: number;
  rounds: number;
  log(message: string): void;
}): Promise<ResyncResult> {
  const { engine, sim, log } = options;
  const pageSize = POD_WATCH_DEFAULTS.watch.pageSize;
  const cluster = 'bench';
  const rounds: ResyncRound[] = [];
  let mismatched = 0;
  const floor = async () => {
    const f = await downloadFloor(sim, pageSize);
    if (f.items !== options.pods) {
      throw new Error(`floor listed ${f.items} pods, expected ${options.pods}`);
    }
    return f.ms;
  };
  for (let i = 0; i < options.rounds; i++) {
    const floorBeforeInitialMs = await floor();
    const db = await openScratchDatabase(engine, {
      pgUrl: options.pgUrl,
      name: `resync_${i}`,
    });
    const t0 = performance.now();
    const run = startWatcher({
      cluster,
      client: sim.client(),
      store: db.store,
    });
    try {
      await listsCompleted(run.watcher, [], LIST_TIMEOUT_MS);
      const initialMs = performance.now() - t0;
      const initial = { ...run.times };
      mismatched += await podsMismatched(sim, db.knex, cluster);
      const floorBeforeRelistMs = await floor();
      const before = lastLists(run.watcher);
      const t1 = performance.now();
      run.watcher.resync();
      await listsCompleted(run.watcher, before, LIST_TIMEOUT_MS);
      const relistMs = performance.now() - t1;
      const { replaceStoreMs, replaceTotalMs } = run.times;
      mismatched += await podsMismatched(sim, db.knex, cluster);
      const round = {
        floorBeforeInitialMs,
        initialMs,
        floorBeforeRelistMs,
        relistMs,
        initialStoreMs: initial.replaceStoreMs,
        initialIncidentMs: initial.replaceTotalMs - initial.replaceStoreMs,
        relistStoreMs: replaceStoreMs - initial.replaceStoreMs,
        relistIncidentMs:
          replaceTotalMs -
          replaceStoreMs -
          (initial.replaceTotalMs - initial.replaceStoreMs),
      };
      rounds.push(round);
      log(
        `${engine} round ${i + 1}: floor ${Math.round(
          floorBeforeInitialMs,
        )} ms, initial list ${Math.round(initialMs)} ms; floor ${Math.round(
          floorBeforeRelistMs,
        )} ms, relist ${Math.round(relistMs)} ms`,
      );
    } finally {
      await run.stop(() => db.close());
    }
  }
  return { engine, rounds, mismatched };
}
