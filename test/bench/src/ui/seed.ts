/**
 * Seeds the UI benchmark's entities through the store's own write methods. Pods are real pod
 * objects from the Kubernetes simulator's kubelet (crash loops, OOM kills, image pulls…), turned
 * into store input by the watch handler's `toPodInput`, so health, attention and top issue come
 * from the product's derivations; log lines are the simulator's synthetic output (mixed levels,
 * stack traces) through the collector's redact/classify/fold path (`toLogLineInputs`).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { startKubeSim, type Behaviour } from '@pod-watch/kube-sim';
import { describePod } from '@pod-watch/plugin-pod-watch-common';
import {
  crashLines,
  LogStyle,
  oomLines,
  routineLine,
} from '@pod-watch/kube-sim/src/scenarios/loggen';
import {
  TimedLine,
  toLogLineInputs,
} from '@pod-watch/plugin-pod-watch-backend/src/collector/logLines';
import type { PodWatchStore } from '@pod-watch/plugin-pod-watch-backend/src/store';
import { toPodInput } from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers/pods';
import { toWorkloadInput } from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers/workloads';
import type { KubeObject } from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers/types';

export const CLUSTER = 'bench';
export const NAMESPACE = 'shop';

export interface EntitySeed {
  /** `backstage.io/kubernetes-id` of the entity (also its name) */
  id: string;
  /** Deployments of the entity: name suffix → behaviour and replicas */
  workloads: Array<{ name: string; behaviour: Behaviour; replicas: number }>;
  /** raw log lines to store (a stack trace counts each of its lines) */
  logLines: number;
}

/** 1,000 pods, mostly healthy, with the failure kinds a large service meets. */
export const LARGE_WORKLOADS: EntitySeed['workloads'] = [
  { name: 'api', behaviour: 'healthy', replicas: 870 },
  { name: 'worker', behaviour: 'crashloop', replicas: 30 },
  { name: 'cache', behaviour: 'oomkilled', replicas: 20 },
  { name: 'canary', behaviour: 'imagepull', replicas: 20 },
  { name: 'search', behaviour: 'readinessfail', replicas: 20 },
  { name: 'batch', behaviour: 'unschedulable', replicas: 10 },
  { name: 'migrate', behaviour: 'initfail', replicas: 10 },
  { name: 'config', behaviour: 'configerror', replicas: 10 },
  { name: 'probe', behaviour: 'liveness', replicas: 10 },
];

/** The baseline: 10 pods, one of them failing. */
export const SMALL_WORKLOADS: EntitySeed['workloads'] = [
  { name: 'api', behaviour: 'healthy', replicas: 9 },
  { name: 'worker', behaviour: 'oomkilled', replicas: 1 },
];

const STYLES: LogStyle[] = ['java', 'python', 'go', 'node', 'json'];
/** pods that write logs (the collector tails every pod; most lines come from a few busy ones) */
const LOGGING_PODS = 40;
const LOG_SPAN_MS = 50 * 60_000;

export interface SeededEntity {
  id: string;
  pods: number;
  logLines: number;
  /** health counts as stored */
  health: Record<string, number>;
}

/** Pod and workload objects of the seeds, as the simulator's controllers and kubelet leave them. */
export interface SimulatedObjects {
  pods: KubeObject[];
  workloads: Array<[kind: string, object: KubeObject]>;
}

/** Runs the simulator until every pod has reached its behaviour's state (a few wall seconds). */
export async function simulateEntities(
  seeds: EntitySeed[],
): Promise<SimulatedObjects> {
  // wall-clock timestamps so ages look like a live cluster's; 600×: 2 s are 20 sim minutes
  const sim = await startKubeSim({
    port: 0,
    timeScale: 600,
    timestamps: 'wall',
    nodes: 20,
  });
  try {
    for (const seed of seeds) {
      for (const w of seed.workloads) {
        sim.cluster.deployment({
          name: `${seed.id}-${w.name}`,
          namespace: NAMESPACE,
          replicas: w.replicas,
          behaviour: w.behaviour,
          labels: { 'backstage.io/kubernetes-id': seed.id },
          initContainer: w.behaviour === 'initfail',
          sidecar: w.behaviour === 'healthy',
        });
      }
    }
    // settled: every pod created, the healthy ones ready (the failing ones got there sooner)
    const healthy = new Set(
      seeds.flatMap(s =>
        s.workloads
          .filter(w => w.behaviour === 'healthy')
          .map(w => `${s.id}-${w.name}`),
      ),
    );
    const expected = seeds.reduce(
      (n, s) => n + s.workloads.reduce((m, w) => m + w.replicas, 0),
      0,
    );
    const settled = () => {
      const pods = sim.store.listIn('core/pods', NAMESPACE);
      return (
        pods.length >= expected &&
        pods.every(p => {
          const owner = p.metadata.labels?.app;
          return (
            !healthy.has(owner ?? '') ||
            describePod(p as V1Pod, { now: new Date() }).health === 'healthy'
          );
        })
      );
    };
    const deadline = Date.now() + 60_000;
    while (!settled()) {
      if (Date.now() > deadline)
        throw new Error('simulated pods did not settle in 60 s');
      await new Promise(r => setTimeout(r, 200));
    }
    // and crash loops a few more restarts, to show CrashLoopBackOff
    await new Promise(r => setTimeout(r, 1000));
    const list = (storage: string) =>
      sim.store.listIn(storage, NAMESPACE) as KubeObject[];
    return {
      pods: list('core/pods'),
      workloads: [
        ...list('apps/deployments').map(o => ['Deployment', o] as const),
        ...list('apps/replicasets').map(o => ['ReplicaSet', o] as const),
      ] as SimulatedObjects['workloads'],
    };
  } finally {
    await sim.close();
  }
}

/** Writes the simulated objects, the cluster's sync state and the seeds' logs into a store. */
export async function seedEntities(
  store: PodWatchStore,
  seeds: EntitySeed[],
  { pods, workloads }: SimulatedObjects,
): Promise<SeededEntity[]> {
  const now = new Date();
  await store.upsertClusters([{ name: CLUSTER, seenAt: now }], now);
  for (const kind of ['pods', 'events', 'deployments', 'replicasets'])
    await store.recordSyncSuccess({ cluster: CLUSTER, kind, at: now });
  await store.upsertWorkloads(
    workloads.map(([kind, o]) => toWorkloadInput(CLUSTER, kind, o, now)),
  );
  const inputs = pods.map(p => toPodInput(CLUSTER, p, now));
  for (let i = 0; i < inputs.length; i += 500)
    await store.upsertPods(inputs.slice(i, i + 500));

  const out: SeededEntity[] = [];
  for (const seed of seeds) {
    const own = inputs.filter(
      p => p.labels['backstage.io/kubernetes-id'] === seed.id,
    );
    const health: Record<string, number> = {};
    for (const p of own) health[p.health] = (health[p.health] ?? 0) + 1;
    // failing pods write the traces; healthy ones the routine lines
    const writers = [
      ...own.filter(p => p.health === 'failing').slice(0, LOGGING_PODS / 4),
      ...own.filter(p => p.health !== 'failing'),
    ].slice(0, LOGGING_PODS);
    const perPod = new Map<string, TimedLine[]>(writers.map(p => [p.uid, []]));
    for (let i = 0, n = 0; n < seed.logLines; i++) {
      const pod = writers[i % writers.length];
      // one output format per pod, as one app writes
      const style = STYLES[(i % writers.length) % STYLES.length];
      const at = new Date(
        now.getTime() - LOG_SPAN_MS + (n / seed.logLines) * LOG_SPAN_MS,
      );
      let texts = [routineLine(style, i, at)];
      if (pod.health === 'failing' && i % 7 === 0)
        texts = i % 3 === 0 ? oomLines(at) : crashLines(style, at);
      texts = texts.slice(0, seed.logLines - n);
      perPod
        .get(pod.uid)!
        .push(...texts.map(text => ({ at: at.toISOString(), text })));
      n += texts.length;
    }
    for (const pod of writers) {
      const lines = toLogLineInputs(perPod.get(pod.uid)!, {
        cluster: CLUSTER,
        namespace: pod.namespace,
        podUid: pod.uid,
        podName: pod.name,
        container: 'app',
        instance:
          pod.containers?.find(c => c.name === 'app')?.restartCount ?? 0,
        source: 'live',
      });
      for (let i = 0; i < lines.length; i += 1000)
        await store.insertLogLines(lines.slice(i, i + 1000));
    }
    out.push({
      id: seed.id,
      pods: own.length,
      logLines: seed.logLines,
      health,
    });
  }
  return out;
}
