/*
 * The builder wired into the real engine: reflectors list and watch the simulator over HTTPS,
 * the handlers write the store and the incident hooks run after them. A forced relist (resync)
 * must not add or change incidents.
 */
import type { KubeSim } from '@pod-watch/kube-sim';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import { PodWatchEngine } from '../collector/PodWatchEngine';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../store/__testUtils__/databases';
import {
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from '../watch/__testUtils__/harness';

jest.setTimeout(120_000);

const { each, shared } = storeTestDatabases();

describe('incidents through the watch engine', () => {
  let sim: KubeSim;
  let kubeConfig: Awaited<ReturnType<typeof startSim>>['kubeConfig'];

  beforeAll(async () => {
    ({ sim, kubeConfig } = await startSim({
      scenario: ['healthy', 'crashloop', 'imagepull'],
      timeScale: 20,
    }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each(each)(
    'opens one incident per failure and none on a relist on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster('sim');
      const engine = new PodWatchEngine({
        store,
        logger: testLogger(),
        config: { ...POD_WATCH_DEFAULTS, watch: TEST_WATCH_SETTINGS },
        clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
        holder: 'test',
      });
      const abort = new AbortController();
      const watching = engine.watchCluster(cluster, abort.signal);
      const incidents = async () =>
        (await store.listIncidents({ cluster, limit: 100 })).items;
      try {
        await waitFor(
          async () => {
            const rows = await incidents();
            const crash = rows.find(r => r.type === 'crash-loop');
            const pull = rows.find(r => r.type === 'image-pull');
            return (
              crash && crash.occurrences >= 2 && pull && pull.occurrences >= 2
            );
          },
          60_000,
          'crash-loop and image-pull incidents',
        );
        const rows = await incidents();
        expect(
          rows.map(r => `${r.namespace} ${r.type} ${r.status}`).sort(),
        ).toEqual(['checkout image-pull open', 'payments crash-loop open']);
        expect(rows.find(r => r.type === 'crash-loop')).toMatchObject({
          workloadKind: 'Deployment',
          workloadName: 'payments-api',
          container: 'app',
        });

        // a relist replays every object: nothing new, nothing counted twice
        const before = (await incidents()).map(r => r.id).sort();
        engine.resync(cluster);
        await new Promise(r => setTimeout(r, 1500));
        const after = await incidents();
        expect(after.map(r => r.id).sort()).toEqual(before);
        const pods = sim.store.listIn('core/pods', 'payments');
        const failures = pods.reduce((n, p) => {
          const s = p.status?.containerStatuses?.[0];
          const down =
            s?.state?.waiting?.reason === 'CrashLoopBackOff' ||
            (s?.state?.terminated?.exitCode ?? 0) !== 0;
          return n + (s?.restartCount ?? 0) + (down ? 1 : 0);
        }, 0);
        // the watch may lag the simulator by a change or two, never run ahead of it
        expect(
          after.find(r => r.type === 'crash-loop')!.occurrences,
        ).toBeLessThanOrEqual(failures);
      } finally {
        abort.abort();
        await watching;
      }
    },
  );
});
