import type { KubeSim } from '@pod-watch/kube-sim';
import type { Knex } from 'knex';
import type { KubeClient } from '../../clusters/KubeClient';
import type { PodWatchStore } from '../../store';
import { uniqueCluster } from '../../store/__testUtils__/databases';
import { createKindHandler } from '../handlers';
import { BUILTIN_WATCHED_KINDS } from '../kinds';
import { Reflector } from '../Reflector';
import {
  expectInSync,
  simPod,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
} from './harness';

/**
 * Registers a suite's simulator lifecycle (started once, faults cleared and reflectors stopped
 * after each test) and hands out pod reflectors on fresh namespaces of it.
 */
export function namespaceReflectors() {
  const state: { sim?: KubeSim; client?: KubeClient } = {};
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    Object.assign(state, await startSim());
  });
  afterEach(async () => {
    state.sim?.faults.clear();
    for (const stop of stops.splice(0)) await stop();
  });
  afterAll(async () => {
    await state.sim?.close();
  });
  return {
    get sim(): KubeSim {
      return state.sim!;
    },
    reflector: (
      options: Omit<
        Parameters<typeof namespaceReflector>[0],
        'sim' | 'client' | 'stops'
      >,
    ) =>
      namespaceReflector({
        ...options,
        sim: state.sim!,
        client: state.client!,
        stops,
      }),
  };
}

/**
 * A pod reflector on a fresh namespace (pods `<prefix>-0` … created first) of its own cluster
 * name, so tests sharing a simulator and a database stay apart. `start()` runs it until the
 * returned stop (also pushed to `stops`) is called.
 */
export function namespaceReflector(options: {
  sim: KubeSim;
  client: KubeClient;
  store: PodWatchStore;
  knex: Knex;
  prefix: string;
  pods?: number;
  settings?: Partial<typeof TEST_WATCH_SETTINGS>;
  stops: Array<() => Promise<void>>;
}) {
  const { sim, client, store, knex, prefix } = options;
  const cluster = uniqueCluster();
  const namespace = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
  sim.cluster.ensureNamespace(namespace);
  const create = (name: string) => sim.store.create(simPod(name, namespace));
  for (let i = 0; i < (options.pods ?? 1); i++) create(`${prefix}-${i}`);
  const kind = BUILTIN_WATCHED_KINDS.pods;
  const reflector = new Reflector({
    cluster,
    kind,
    namespace,
    client,
    store,
    handler: createKindHandler({ cluster, kind, store }),
    logger: testLogger(),
    settings: { ...TEST_WATCH_SETTINGS, ...options.settings },
    persistIntervalMs: 0,
  });
  return {
    cluster,
    namespace,
    reflector,
    create,
    start() {
      const abort = new AbortController();
      const done = reflector.run(abort.signal);
      options.stops.push(async () => {
        abort.abort();
        await done;
      });
    },
    /** waits until the stored live pods of the namespace equal the simulator's */
    inSync: () =>
      expectInSync(knex, sim, cluster, 'pods', 'core/pods', {
        where: { namespace },
        filter: (o: any) => o.metadata.namespace === namespace,
      }),
  };
}
