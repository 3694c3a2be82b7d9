/**
 * Drives the real collection path: objects and log lines go into the simulator, PodWatchEngine
 * watches it over HTTPS (through the production config path) into a real store, and a log-tail
 * run reads every running container's log through LogCollector.
 */
import { KubeObject, KubeSim } from '@pod-watch/kube-sim';
import { KubeClient } from '@pod-watch/plugin-pod-watch-backend/src/clusters/KubeClient';
import { PodWatchEngine } from '@pod-watch/plugin-pod-watch-backend/src/collector';
import {
  POD_WATCH_DEFAULTS,
  PodWatchConfig,
} from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import {
  startSim,
  TEST_WATCH_SETTINGS,
  waitFor,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { PodWatchStore } from '@pod-watch/plugin-pod-watch-backend/src/store';
import {
  EngineName,
  openScratchDatabase,
  ScratchDatabase,
} from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { ReliabilityContext } from '../lib/context';
import { RecordingLogger } from './backend';

export { KUBERNETES_ID } from './backend';

/** Metadata a test pod may carry beyond its name. */
export interface PodExtras {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ContainerLogs {
  name: string;
  lines: string[];
}

/** A running pod whose containers have the given log lines (one instance each). */
export function runningPod(
  namespace: string,
  name: string,
  containers: ContainerLogs[],
  extra: PodExtras = {},
): any {
  const now = new Date().toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: extra.labels ?? {},
      annotations: extra.annotations,
    },
    spec: {
      nodeName: 'node-1',
      containers: containers.map(c => ({
        name: c.name,
        image: 'busybox:1.36',
      })),
    },
    status: {
      phase: 'Running',
      startTime: now,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      containerStatuses: containers.map(c => ({
        name: c.name,
        image: 'busybox:1.36',
        imageID: '',
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: now } },
      })),
    },
  };
}

/** Creates the pod in the simulator and writes its containers' log lines. */
/** A created object: the simulator filled in name, namespace and uid. */
export type CreatedObject = KubeObject & {
  metadata: { name: string; namespace: string; uid: string };
};

export function putPod(
  sim: KubeSim,
  pod: any,
  containers: ContainerLogs[],
): CreatedObject {
  const created = sim.store.create(pod) as CreatedObject;
  const { namespace, name } = created.metadata;
  for (const c of containers) {
    sim.logs.startInstance(namespace!, name!, c.name);
    for (const text of c.lines) {
      sim.logs.append(namespace!, name!, c.name, {
        ts: sim.clock.now(),
        text,
      });
    }
  }
  return created;
}

export interface Collection {
  sim: KubeSim;
  client: KubeClient;
  engine: PodWatchEngine;
  cluster: string;
  logger: RecordingLogger;
  /** one log-tail run over every running container */
  collectLogs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a simulator and a PodWatchEngine watching it into `store` (leading at once). */
export async function startCollection(
  store: PodWatchStore,
  cluster: string,
  logs: Partial<PodWatchConfig['logs']> = {},
): Promise<Collection> {
  const { sim, client, kubeConfig } = await startSim();
  const logger = new RecordingLogger();
  const engine = new PodWatchEngine({
    store,
    logger,
    config: {
      ...POD_WATCH_DEFAULTS,
      watch: TEST_WATCH_SETTINGS,
      logs: { ...POD_WATCH_DEFAULTS.logs, ...logs },
    },
    clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
    holder: 'reliability',
  });
  const abort = new AbortController();
  const watching = engine.watchCluster(cluster, abort.signal);
  await waitFor(() => engine.isLeading(cluster), 30_000, 'leading');
  return {
    sim,
    client,
    engine,
    cluster,
    logger,
    async collectLogs() {
      // the engine skips a run while every stream is reconnecting (e.g. after the event loop
      // was busy writing a large corpus into the simulator)
      await waitFor(
        () =>
          engine
            .status()
            .clusters.some(c => c.reflectors.some(r => r.connected)),
        30_000,
        'a connected watch',
      );
      const runs = await engine.collectLogs(cluster);
      return runs.reduce((n, r) => n + r.logs, 0);
    },
    async stop() {
      abort.abort();
      await watching.catch(() => undefined);
      await sim.close();
    },
  };
}

export { waitFor };

/** Big enough to read every line a section writes in one tail run. */
export const READ_EVERYTHING = {
  tailLines: 20_000,
  limitBytes: 16 * 1024 * 1024,
};

/** A scratch database of `engine` with a collection into it, both closed after `fn`. */
export async function withCollection<T>(
  ctx: ReliabilityContext,
  engine: EngineName,
  name: string,
  fn: (db: ScratchDatabase, collection: Collection) => Promise<T>,
): Promise<T> {
  const db = await openScratchDatabase(engine, { pgUrl: ctx.pgUrl, name });
  try {
    const collection = await startCollection(
      db.store,
      `${name}-${engine}`,
      READ_EVERYTHING,
    );
    try {
      return await fn(db, collection);
    } finally {
      await collection.stop();
    }
  } finally {
    await db.close();
  }
}
