import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { KubeSim, startKubeSim } from '../index';

jest.setTimeout(30000);

/** Kept small for shared CI machines; `src/load/measure.ts` runs the 10k / 1,000 per s figures. */
describe('load generator', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('creates N pods over M namespaces and sustains an event churn a watcher fully receives', async () => {
    const r = sim.load.createPods({ pods: 2000, namespaces: 20 });
    expect(r.pods).toBe(2000);
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listPodForAllNamespaces({ limit: 500 });
    expect(list.metadata!.remainingItemCount).toBe(1500);
    expect(
      (await core.listNamespacedPod({ namespace: 'load-7' })).items,
    ).toHaveLength(100);

    const start = sim.store.resourceVersion;
    let received = 0;
    const ctl = await new Watch(kc).watch(
      '/api/v1/events',
      { resourceVersion: String(start) },
      () => {
        received++;
      },
      () => undefined,
    );
    await new Promise(res => setTimeout(res, 100));
    sim.load.startChurn({ eventsPerSecond: 500, podUpdatesPerSecond: 50 });
    await new Promise(res => setTimeout(res, 2000));
    sim.load.stopChurn();
    const st = sim.load.stats();
    expect(st.eventsPerSecond).toBeGreaterThan(400);
    // every event change the ledger saw reaches the watcher, nothing more
    const truth = sim.ledger.changes({ kind: 'Event', sinceRv: start }).length;
    expect(truth).toBe(st.eventsEmitted);
    const end = Date.now() + 5000;
    while (received < truth && Date.now() < end)
      await new Promise(res => setTimeout(res, 20));
    expect(received).toBe(truth);
    // repeats aggregate into existing Events (count bumps) instead of new objects
    const counts = sim.store.listIn('core/events').map(e => e.count ?? 1);
    expect(Math.max(...counts)).toBeGreaterThan(1);
    ctl.abort();
  });

  it('expires Events after the event TTL (like --event-ttl) and records the deletion', async () => {
    const short = await startKubeSim({
      port: 0,
      timeScale: 20,
      eventTtlSeconds: 4,
    });
    try {
      const ns = short.store.getIn('core/namespaces', undefined, 'default')!;
      const ev = short.cluster.recorder.record(ns, 'Normal', 'Test', 'hello', {
        component: 'test',
      })!;
      const end = Date.now() + 5000;
      while (
        short.store.getIn('core/events', 'default', ev.metadata.name!) &&
        Date.now() < end
      ) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(
        short.store.getIn('core/events', 'default', ev.metadata.name!),
      ).toBeUndefined();
      expect(
        short.ledger.changes({
          kind: 'Event',
          name: ev.metadata.name,
          type: 'DELETED',
        }),
      ).toHaveLength(1);
      // a repeat after expiry creates a new Event
      const again = short.cluster.recorder.record(
        ns,
        'Normal',
        'Test',
        'hello',
        { component: 'test' },
      )!;
      expect(again.metadata.name).not.toBe(ev.metadata.name);
      expect(again.count).toBe(1);
    } finally {
      await short.close();
    }
  });
});
