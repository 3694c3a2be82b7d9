/**
 * Memory per tracked pod: the simulator and the backend run in processes of their own; the
 * backend's RSS and heap (after gc) are sampled once it is in sync with an empty cluster
 * (the baseline), then after each step of load pods is in its database.
 */
import path from 'node:path';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { BenchContext, EngineName } from '../lib/context';
import { openScratchDatabase, ScratchDatabase } from '../lib/databases';
// the ingestion section's simulator process: the cluster's objects stay out of the figure
import { startSimProcess } from '../ingestion/simProcess';
import type { BenchCluster } from './backendProcess';
import { startChild } from './child';
import { MB, MemorySample } from './sample';

export interface PodGrowth {
  /** memory before the backend started (modules loaded), for the log */
  beforeStart: MemorySample;
  /** in sync with the cluster before any load pod exists */
  baseline: MemorySample;
  steps: Array<{ pods: number; memory: MemorySample; syncSeconds: number }>;
}

async function livePods(db: ScratchDatabase, cluster: string): Promise<number> {
  const [row] = await db
    .knex('pods')
    .where({ cluster })
    .whereNull('deleted_at')
    .count({ n: '*' });
  return Number(row.n);
}

/** Every watched kind listed once: the backend is watching, with nothing to track yet. */
async function syncedOnce(
  db: ScratchDatabase,
  cluster: string,
): Promise<boolean> {
  const state = await db.store.getSyncState(cluster);
  return state.length > 0 && state.every(s => s.lastSuccessAt !== undefined);
}

/**
 * Waits for a figure to stop moving: the writes behind the pods (history, incidents) land.
 * Gives up after `maxMs` (the sample is then taken mid-write, which the log shows).
 */
async function settle(
  read: () => Promise<number>,
  quietMs = 1500,
  maxMs = 60_000,
) {
  const end = Date.now() + maxMs;
  let last = await read();
  while (Date.now() < end) {
    await new Promise(r => setTimeout(r, quietMs));
    const now = await read();
    if (now === last) return;
    last = now;
  }
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const mb = (bytes: number) => (bytes / MB).toFixed(0);

const historyRows = async (db: ScratchDatabase) =>
  Number((await db.knex('object_history').count({ n: '*' }))[0].n);

export interface PodRig {
  engine: EngineName;
  /** measures the backend at each total of load pods in `steps`, then stops everything */
  measure(steps: number[]): Promise<PodGrowth>;
  close(): Promise<void>;
}

/**
 * Starts a simulator, a scratch database and a backend process (not yet started) for one
 * engine. Rigs are prepared together (loading the backend's modules takes seconds of CPU) and
 * measured one after the other, while the others sit idle.
 */
export async function preparePodRig(
  ctx: BenchContext,
  engine: EngineName,
): Promise<PodRig> {
  const sim = await startSimProcess();
  const db = await openScratchDatabase(engine, {
    pgUrl: ctx.pgUrl,
    name: `memory_pods_${engine}`,
  });
  const backend = await startChild(path.join(__dirname, 'backendProcess.ts'), {
    POD_WATCH_BENCH_CLUSTER: JSON.stringify({
      url: sim.url,
      token: sim.token,
      caData: Buffer.from(sim.caPem).toString('base64'),
    } satisfies BenchCluster),
    POD_WATCH_BENCH_DB: JSON.stringify(db.connection),
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await backend.stop();
      await sim.close();
      await db.close();
    })());

  const measure = async (steps: number[]): Promise<PodGrowth> => {
    const beforeStart = await backend.request<MemorySample>('sample');
    const t0 = Date.now();
    const { cluster } = await backend.request<{ cluster: string }>('start');
    await waitFor(
      () => syncedOnce(db, cluster),
      120_000,
      'the first sync of every kind',
    );
    await settle(() => historyRows(db));
    const baseline = await backend.request<MemorySample>('sample');
    ctx.log(
      `${engine}: backend started and in sync with the empty cluster in ${seconds(
        t0,
      )} s, rss ${mb(baseline.rss)} MB, heap ${mb(
        baseline.heapUsed,
      )} MB (modules loaded, not started: rss ${mb(beforeStart.rss)} MB)`,
    );
    const out: PodGrowth = { beforeStart, baseline, steps: [] };
    let created = 0;
    for (const [i, target] of steps.entries()) {
      const t1 = Date.now();
      await sim.request({
        op: 'createPods',
        args: { pods: target - created, namespaces: 10, prefix: `load${i}` },
      });
      created = target;
      const expected = Object.keys(
        await sim.request({ op: 'versions', args: { storage: 'core/pods' } }),
      ).length;
      await waitFor(
        async () => (await livePods(db, cluster)) === expected,
        600_000,
        `${expected} pods in the store`,
      );
      const syncSeconds = Number(seconds(t1));
      await settle(() => historyRows(db));
      const memory = await backend.request<MemorySample>('sample');
      ctx.log(
        `${engine}: ${expected} pods in sync after ${syncSeconds} s, rss ${mb(
          memory.rss,
        )} MB, heap ${mb(memory.heapUsed)} MB`,
      );
      out.steps.push({ pods: expected, memory, syncSeconds });
    }
    return out;
  };

  return {
    engine,
    measure: steps => measure(steps).finally(close),
    close,
  };
}
