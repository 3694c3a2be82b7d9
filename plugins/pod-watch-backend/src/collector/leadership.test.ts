import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { ConfigReader } from '@backstage/config';
import { KubeSim } from '@pod-watch/kube-sim';
import { Knex } from 'knex';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import { PodWatchStore } from '../store';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import { listSyncStatus } from '../store/syncStatus';
import {
  expectInSync,
  simPod,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from '../watch/__testUtils__/harness';
import { PodWatchEngine } from './PodWatchEngine';

jest.setTimeout(120_000);

const { databases, fresh } = storeTestDatabases();

/** A metrics service whose instruments do nothing. */
const noopMetrics: any = new Proxy(
  {},
  { get: () => () => new Proxy({}, { get: () => () => undefined }) },
);

/** One backend replica: its own scheduler and engine on the shared database. */
function startReplica(
  knex: Knex,
  store: PodWatchStore,
  holder: string,
  cluster: string,
  kubeConfig: any,
  config: typeof POD_WATCH_DEFAULTS,
) {
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  const scheduler = DefaultSchedulerService.create({
    database: {
      getClient: async () => knex,
      // the first backend to start creates the scheduler's tables (see the test)
      migrations: { skip: true },
    } as any,
    logger: testLogger(),
    metrics: noopMetrics,
    rootLifecycle: {
      addStartupHook: () => {},
      addBeforeShutdownHook: () => {},
      addShutdownHook: (hook: any) =>
        shutdownHooks.push(typeof hook === 'function' ? hook : hook.fn),
    } as any,
    httpRouter: { use: () => {}, addAuthPolicy: () => {} } as any,
    pluginMetadata: { getId: () => 'pod-watch' } as any,
  });
  const engineLogger = testLogger();
  const engine = new PodWatchEngine({
    store,
    logger: engineLogger,
    config,
    clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
    holder,
  });
  return {
    engine,
    /** how many times this replica took the cluster's watch lease */
    acquisitions: () =>
      (engineLogger.info as jest.Mock).mock.calls.filter(([m]) =>
        String(m).startsWith('Pod Watch: watching cluster'),
      ).length,
    scheduled: engine.schedule(scheduler, new ConfigReader({})),
    /** the replica dies: its scheduler stops and aborts the running tasks */
    stop: async () => {
      for (const hook of shutdownHooks) await hook();
    },
  };
}

// leadership needs a shared PostgreSQL (TestDatabases drops it without a connection string)
const describeOnPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

describeOnPostgres('leadership across replicas', () => {
  let sim: KubeSim;
  let kubeConfig: any;
  beforeAll(async () => {
    ({ sim, kubeConfig } = await startSim());
  });
  afterAll(async () => {
    await sim.close();
  });

  it('two backends on one PostgreSQL: one active watcher, the other takes over', async () => {
    const { knex, store } = await fresh('POSTGRES_15');
    const cluster = 'shared';
    sim.cluster.ensureNamespace('lead');
    sim.store.create(simPod('p-0', 'lead'));
    const config = {
      ...POD_WATCH_DEFAULTS,
      kinds: ['pods', 'events'],
      watch: TEST_WATCH_SETTINGS,
      // a short lease so the test also sees a hand-over on timeout
      schedules: {
        ...POD_WATCH_DEFAULTS.schedules,
        watchFrequencySeconds: 1,
        watchTimeoutMinutes: 0.1,
      },
    };
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@backstage/backend-defaults',
        'migrations/scheduler',
      ),
      tableName: 'backstage_backend_tasks__knex_migrations',
    });
    const a = startReplica(knex, store, 'A', cluster, kubeConfig, config);
    const b = startReplica(knex, store, 'B', cluster, kubeConfig, config);
    await Promise.all([a.scheduled, b.scheduled]);
    try {
      const leaders = () =>
        [a, b].filter(r => r.engine.isLeading(cluster)).length;
      await waitFor(() => leaders() === 1, 20_000, 'a leader');
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');

      // across a lease timeout (6 s) never two watchers at once, never more streams than
      // kinds, and the lease is handed over (released, then claimed again)
      const acquired = () => a.acquisitions() + b.acquisitions();
      const before = acquired();
      const until = Date.now() + 9000;
      while (Date.now() < until) {
        const n = leaders();
        expect(n).toBeLessThanOrEqual(1);
        // (counted on the clients: the server notices closed sockets a moment later)
        const connected = [a, b]
          .flatMap(r => r.engine.status().clusters[0].reflectors)
          .filter(r => r.connected).length;
        expect(connected).toBeLessThanOrEqual(2);
        await new Promise(r => setTimeout(r, 10));
      }
      expect(acquired()).toBeGreaterThan(before);

      // the leader dies; the other replica takes over and catches up
      await waitFor(() => leaders() === 1, 20_000, 'a leader before the stop');
      const current = a.engine.isLeading(cluster) ? a : b;
      await current.stop();
      sim.store.create(simPod('p-1', 'lead'));
      const survivor = current === a ? b : a;
      await waitFor(
        () => survivor.engine.isLeading(cluster),
        20_000,
        'takeover',
      );
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      await waitFor(
        async () =>
          (
            await listSyncStatus(store.ctx, cluster)
          ).some(s => s.holder === survivor.engine.holder && s.connected),
        10_000,
        'status of the new holder',
      );
    } finally {
      await a.stop();
      await b.stop();
      await waitFor(
        () => ![a, b].some(r => r.engine.isLeading(cluster)),
        10_000,
        'release',
      );
    }
  });
});
