import { KubeSim } from '@pod-watch/kube-sim';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../store/__testUtils__/databases';
import { ClusterWatcher } from './ClusterWatcher';
import {
  expectInSync,
  startSim,
  testLogger,
  waitFor,
} from './__testUtils__/harness';
import { KubeClient } from '../clusters/KubeClient';

/**
 * Throughput of the watch path (list + reconcile, then churn) on both engines. Off by default
 * (a measurement, not a check): POD_WATCH_MEASURE=1 yarn backstage-cli package test src/watch/throughput
 */
const measure = process.env.POD_WATCH_MEASURE ? describe : describe.skip;
const PODS = Number(process.env.POD_WATCH_MEASURE_PODS ?? 5000);
const EVENTS_PER_S = Number(process.env.POD_WATCH_MEASURE_EVENTS ?? 200);
const POD_UPDATES_PER_S = Number(process.env.POD_WATCH_MEASURE_UPDATES ?? 100);

jest.setTimeout(600_000);
const { each, shared } = storeTestDatabases();

measure('watch throughput', () => {
  let sim: KubeSim;
  let client: KubeClient;
  beforeAll(async () => {
    ({ sim, client } = await startSim());
    sim.load.createPods({ pods: PODS, namespaces: 10 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each(each)('lists %p', async id => {
    const { knex, store } = await shared(id);
    const cluster = uniqueCluster('bench');
    const watcher = new ClusterWatcher({
      cluster,
      client,
      store,
      logger: testLogger(),
      config: { ...POD_WATCH_DEFAULTS, kinds: ['pods', 'events'] },
    });
    const abort = new AbortController();
    const t0 = Date.now();
    const done = watcher.run(abort.signal);
    try {
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods', {
        timeoutMs: 300_000,
      });
      const listMs = Date.now() - t0;
      const before = sim.ledger.counts().changes;
      sim.load.startChurn({
        eventsPerSecond: EVENTS_PER_S,
        podUpdatesPerSecond: POD_UPDATES_PER_S,
      });
      await new Promise(r => setTimeout(r, 10_000));
      sim.load.stopChurn();
      const churned = sim.ledger.counts().changes - before;
      const stopped = Date.now();
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods', {
        timeoutMs: 300_000,
      });
      const expected = sim.ledger.events().length;
      await waitFor(
        async () =>
          Number(
            (
              await knex('events').where({ cluster }).count({ n: '*' })
            )[0].n,
          ) >= expected,
        300_000,
        'events',
      );
      const catchUpMs = Date.now() - stopped;
      expect(churned).toBeGreaterThan(0);
      const lags = watcher.status().map(s => s.lagMs ?? 0);
      // eslint-disable-next-line no-console
      console.log(
        `${id}: list+reconcile ${PODS} pods ${listMs} ms; churn ${churned} changes in 10 s (${Math.round(
          churned / 10,
        )}/s), caught up ${catchUpMs} ms after churn stopped, last batch lag ${Math.max(
          ...lags,
        )} ms`,
      );
    } finally {
      abort.abort();
      await done;
    }
  });
});
