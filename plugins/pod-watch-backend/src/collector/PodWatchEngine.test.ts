import { KubeSim } from '@pod-watch/kube-sim';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../store/__testUtils__/databases';
import { listSyncStatus } from '../store/syncStatus';
import {
  expectInSync,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from '../watch/__testUtils__/harness';
import { PodWatchEngine } from './PodWatchEngine';

jest.setTimeout(120_000);

const { shared } = storeTestDatabases();

describe('PodWatchEngine against scenarios', () => {
  let sim: KubeSim;
  let kubeConfig: Awaited<ReturnType<typeof startSim>>['kubeConfig'];

  beforeAll(async () => {
    ({ sim, kubeConfig } = await startSim({
      scenario: [
        'healthy',
        'crashloop',
        'job-failure',
        'rollout',
        'readiness-failure',
      ],
      timeScale: 20,
    }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('ends each scenario with the store equal to the ledger, previous logs captured', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster('sim');
    const logger = testLogger();
    const engine = new PodWatchEngine({
      store,
      logger,
      config: {
        ...POD_WATCH_DEFAULTS,
        watch: TEST_WATCH_SETTINGS,
        logs: { ...POD_WATCH_DEFAULTS.logs, tailLines: 50 },
      },
      clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
      holder: 'test',
    });
    const abort = new AbortController();
    const watching = engine.watchCluster(cluster, abort.signal);
    try {
      await waitFor(() => engine.isLeading(cluster));
      // crashloop: 20 sim s per run at 20x → a restart about every 1-3 wall seconds
      await waitFor(
        () =>
          sim.store
            .listIn('core/pods', 'payments')
            .some(
              p => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
            ),
        60_000,
        'two crashloop restarts',
      );
      const runs = await engine.collectLogs(cluster);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ cluster, namespace: '*' });
      expect(runs[0].pods).toBeGreaterThan(5);
      expect(runs[0].logs).toBeGreaterThan(0);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          new RegExp(
            `^Sync complete cluster=${cluster} namespace=\\* pods=\\d+ containers=\\d+ logs=\\d+ durationMs=\\d+$`,
          ),
        ),
      );

      // stop the simulated controllers: the cluster is quiet, the store must equal it
      sim.cluster.close();
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      for (const [kind, storage] of [
        ['Deployment', 'apps/deployments'],
        ['ReplicaSet', 'apps/replicasets'],
        ['Job', 'batch/jobs'],
      ]) {
        await expectInSync(knex, sim, cluster, 'workloads', storage, {
          where: { kind },
        });
      }
      const ledgerEvents = sim.ledger.events();
      await waitFor(
        async () => {
          const rows = await knex('events').where({ cluster });
          const stored = new Map(
            rows.map((r: any) => [r.uid, Number(r.count)]),
          );
          return ledgerEvents.every(
            e => stored.get(e.metadata.uid!) === (e.count ?? 1),
          );
        },
        10_000,
        'events equal to the ledger',
      );

      // every terminated instance of the crashlooping containers has its logs, crash trace included
      // (lines tailed while it ran stay `live`; the capture at termination adds the rest)
      await engine.idle();
      const crashPods = sim.store.listIn('core/pods', 'payments');
      for (const pod of crashPods) {
        const status = pod.status.containerStatuses[0];
        if (!status.lastState?.terminated) continue;
        const previous = await knex('log_lines').where({
          cluster,
          pod_uid: pod.metadata.uid,
          instance: status.restartCount - 1,
        });
        expect(previous.length).toBeGreaterThan(0);
        expect(
          previous.some(
            (l: any) => Boolean(l.exception) && l.level === 'error',
          ),
        ).toBe(true);
        const ledgerTexts = new Set(
          sim.ledger
            .logs({ namespace: 'payments', pod: pod.metadata.name })
            .map(l => l.line),
        );
        expect(
          previous.every(
            (l: any) =>
              ledgerTexts.has(l.text) || l.text.includes('[REDACTED]'),
          ),
        ).toBe(true);
      }

      const captured = await knex('log_lines').where({
        cluster,
        namespace: 'payments',
        source: 'previous',
      });
      expect(captured.length).toBeGreaterThan(0);

      const status = await listSyncStatus(store.ctx, cluster);
      await waitFor(
        async () =>
          (await listSyncStatus(store.ctx, cluster)).every(s => s.connected),
        10_000,
        'status stored',
      );
      expect(status.map(s => s.kind).sort()).toEqual([
        'daemonsets',
        'deployments',
        'endpointslices',
        'events',
        'jobs',
        'pods',
        'replicasets',
        'statefulsets',
      ]);
      expect(engine.status().clusters[0]).toMatchObject({
        name: cluster,
        leading: true,
      });
    } finally {
      abort.abort();
      await watching;
    }
    expect(engine.isLeading(cluster)).toBe(false);

    // a restarted backend resumes every stream from the stored resourceVersions: no relist
    const restarted = new PodWatchEngine({
      store,
      logger: testLogger(),
      config: { ...POD_WATCH_DEFAULTS, watch: TEST_WATCH_SETTINGS },
      clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
    });
    const again = new AbortController();
    const resumed = restarted.watchCluster(cluster, again.signal);
    try {
      await waitFor(
        () => {
          const r = restarted.status().clusters[0].reflectors;
          return r.length === 8 && r.every(x => x.connected);
        },
        10_000,
        'resumed streams',
      );
      const reflectors = restarted.status().clusters[0].reflectors;
      expect(reflectors).toHaveLength(8);
      expect(reflectors.every(r => r.relists === 0)).toBe(true);
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
    } finally {
      again.abort();
      await resumed;
    }
  });
});
