/**
 * One chaos run on one database engine: the production PodWatchEngine watches a simulated
 * cluster (every scenario plus pod and Event churn) while the fault plan hits its watches; then
 * the churn stops, the engine catches up and the store is compared with the simulator's ledger.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { KubeSim } from '@pod-watch/kube-sim';
import {
  EngineName,
  openScratchDatabase,
} from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { POD_WATCH_DEFAULTS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import { PodWatchEngine } from '@pod-watch/plugin-pod-watch-backend/src/collector/PodWatchEngine';
import type { ReflectorStatus } from '@pod-watch/plugin-pod-watch-backend/src/watch/Reflector';
import {
  startSim,
  waitFor,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { compareWithLedger, LedgerComparison } from '../lib/ledgerCompare';
import { FaultKind, FaultPlan } from './faultPlan';
import { Planted, plantDiscrepancies } from './plantDiscrepancies';

export interface ChaosSettings {
  churnSeconds: number;
  faultEveryMs: number;
  pods: number;
  eventsPerSecond: number;
  podUpdatesPerSecond: number;
  /** simulated seconds per wall second for the scenarios' lifecycles */
  timeScale: number;
  catchUpSeconds: number;
}

export interface ChaosRunResult {
  engine: EngineName;
  faults: number;
  faultsByKind: Record<FaultKind, number>;
  /** injection times relative to the churn start, in quarters of the window */
  faultsPerQuarter: number[];
  comparison: LedgerComparison;
  catchUpMs?: number;
  reflectors: ReflectorStatus[];
  openGaps: number;
  gaps: number;
  changes: number;
  occurrences: number;
  /** discrepancies planted after the run, and the comparison that should count them */
  planted: Planted;
  afterPlanting: LedgerComparison;
}

const CLUSTER = 'chaos';
/** production defaults, with the timeouts shortened so a stall trips them within the run */
const INACTIVITY_SECONDS = 2;

export async function chaosRun(
  engineName: EngineName,
  settings: ChaosSettings,
  ctx: { pgUrl: string; log(m: string): void },
): Promise<ChaosRunResult> {
  const db = await openScratchDatabase(engineName, {
    pgUrl: ctx.pgUrl,
    name: `chaos_${engineName}`,
  });
  let sim: KubeSim | undefined;
  const abort = new AbortController();
  let watching: Promise<void> | undefined;
  let engine: PodWatchEngine | undefined;
  try {
    const started = await startSim({
      scenario: 'all',
      timeScale: settings.timeScale,
    });
    sim = started.sim;
    sim.load.createPods({
      pods: settings.pods,
      namespaces: 5,
      prefix: 'chaos',
    });
    engine = new PodWatchEngine({
      store: db.store,
      logger: mockServices.rootLogger({ level: 'error' }),
      config: {
        ...POD_WATCH_DEFAULTS,
        watch: {
          ...POD_WATCH_DEFAULTS.watch,
          inactivityTimeoutSeconds: INACTIVITY_SECONDS,
          // retries within the run: 100 ms doubling to 2 s instead of 0.8 s to 30 s
          backoffInitialMs: 100,
          backoffMaxMs: 2000,
        },
      },
      clusters: [
        {
          name: CLUSTER,
          source: 'kubernetes-config',
          kubeConfig: started.kubeConfig,
        },
      ],
      holder: `chaos-${engineName}`,
    });
    watching = engine.watchCluster(CLUSTER, abort.signal);
    const reflectors = () => engine!.status().clusters[0]?.reflectors ?? [];
    await waitFor(
      () => reflectors().length > 0 && reflectors().every(r => r.connected),
      30_000,
      'every reflector listed and watching',
    );
    // changes from here on arrive through the watch (earlier ones were only listed)
    const sinceWallMs = Date.now();
    const plan = new FaultPlan(sim, INACTIVITY_SECONDS * 1000 + 1500);
    sim.load.startChurn({
      eventsPerSecond: settings.eventsPerSecond,
      podUpdatesPerSecond: settings.podUpdatesPerSecond,
    });
    const churnStart = Date.now();
    const churnEnd = churnStart + settings.churnSeconds * 1000;
    while (Date.now() < churnEnd) {
      plan.next();
      await new Promise(r => setTimeout(r, settings.faultEveryMs));
    }
    plan.finish();
    sim.load.stopChurn();
    // the scenarios' controllers, kubelets and timers stop too, so the truth stops moving
    // (the watch server keeps its own timers)
    sim.cluster.close();
    sim.clock.close();
    const stopped = Date.now();
    ctx.log(
      `[chaos] ${engineName}: churn stopped, ${plan.total()} faults; catching up`,
    );

    // caught up: live objects and Events match, every watch connected, no gap left open
    let comparison: LedgerComparison | undefined;
    let catchUpMs: number | undefined;
    const compare = () =>
      compareWithLedger({
        sim: sim!,
        knex: db.knex,
        cluster: CLUSTER,
        sinceWallMs,
      });
    const caughtUp = async () => {
      comparison = await compare();
      return (
        comparison.details.stateLost === 0 &&
        reflectors().every(r => r.connected) &&
        (await db.knex('observation_gaps').whereNull('ended_at')).length === 0
      );
    };
    try {
      await waitFor(caughtUp, settings.catchUpSeconds * 1000, 'catch-up');
      catchUpMs = Date.now() - stopped;
    } catch {
      // reported through the checks with the last comparison
    }
    comparison ??= await compare();
    const gaps = await db.knex('observation_gaps').where({ cluster: CLUSTER });
    const finalStatus = reflectors();
    // stop watching before corrupting the store on purpose
    abort.abort();
    await watching;
    const planted = await plantDiscrepancies(db.knex, CLUSTER);
    const quarters = [0, 0, 0, 0];
    for (const f of plan.injected) {
      const q = Math.floor(((f.at - churnStart) / (churnEnd - churnStart)) * 4);
      quarters[Math.min(3, Math.max(0, q))] += f.hits;
    }
    return {
      engine: engineName,
      faults: plan.total(),
      faultsByKind: plan.byKind(),
      faultsPerQuarter: quarters,
      comparison,
      planted,
      afterPlanting: await compare(),
      catchUpMs,
      reflectors: finalStatus,
      openGaps: gaps.filter((g: any) => g.ended_at === null).length,
      gaps: gaps.length,
      changes: sim.ledger.counts().changes,
      occurrences: sim.ledger.counts().occurrences,
    };
  } finally {
    abort.abort();
    await watching?.catch(() => undefined);
    await engine?.idle().catch(() => undefined);
    await sim?.close();
    await db.close();
  }
}
