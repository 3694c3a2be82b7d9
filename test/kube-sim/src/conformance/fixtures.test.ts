import {
  CoreV1Api,
  KubeConfig,
  ListWatch,
  V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { readFixture } from '@pod-watch/test-fixtures';
import { KubeSim, startKubeSim } from '../index';

/**
 * (c) Recorded watch streams (kubernetes-client/python-base) and informer scenarios
 * (kubernetes-client/javascript cache_test) replayed byte-for-byte by the simulator
 * against the same client code the backend uses, plus the simulator's own streams
 * cut at arbitrary chunk boundaries.
 */

jest.setTimeout(20000);

const streams = JSON.parse(
  readFixture('watch/python-base-watch_test-streams.json'),
);
const informerScenarios = JSON.parse(
  readFixture('watch/javascript-informer-cache_test-scenarios.json'),
);

const waitFor = async (fn: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('timed out waiting for condition');
};

function watchAll(kc: KubeConfig, path: string, params: any = {}) {
  const events: Array<{ type: string; object: any }> = [];
  let done = false;
  let error: any;
  const ready = new Watch(kc).watch(
    path,
    params,
    (type, object) => events.push({ type, object }),
    err => {
      done = true;
      error = err;
    },
  );
  return { events, ready, isDone: () => done, error: () => error };
}

describe('recorded watch fixtures replayed through client-node', () => {
  let sim: KubeSim;
  let kc: KubeConfig;

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
    kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    sim.cluster.ensureNamespace('replay');
  });

  afterAll(async () => {
    await sim.close();
  });

  afterEach(() => sim.faults.clear());

  const chunksOf = (test: string) =>
    streams.cases.find((c: any) => c.test === test).data as string[];

  it('python-base test_watch_with_decode: a JSON line split across chunks decodes; the junk line is skipped', async () => {
    sim.faults.script({
      match: { watch: true, path: '/replay/pods' },
      chunks: chunksOf('test_watch_with_decode'),
    });
    const w = watchAll(kc, '/api/v1/namespaces/replay/pods');
    await waitFor(w.isDone);
    expect(
      w.events.map(e => [
        e.type,
        e.object.metadata.name,
        e.object.metadata.resourceVersion,
      ]),
    ).toEqual([
      ['ADDED', 'test1', '1'],
      ['ADDED', 'test2', '2'],
      ['ADDED', 'test3', '3'],
    ]);
  });

  it('python-base test_watch_stream_loop: a non-object payload is passed through', async () => {
    sim.faults.script({
      match: { watch: true, path: '/replay/pods' },
      chunks: chunksOf('test_watch_stream_loop'),
    });
    const w = watchAll(kc, '/api/v1/namespaces/replay/pods');
    await waitFor(w.isDone);
    expect(w.events).toEqual([{ type: 'ADDED', object: 1 }]);
  });

  it('python-base bookmark: BOOKMARK events arrive and carry only a resourceVersion', async () => {
    const line = streams.cases.find(
      (c: any) => c.test === 'test_unmarshal_with_bookmark',
    ).data[0];
    sim.faults.script({
      match: { watch: true, path: '/replay/pods' },
      chunks: [`${line}\n`],
    });
    const w = watchAll(kc, '/api/v1/namespaces/replay/pods', {
      allowWatchBookmarks: true,
    });
    await waitFor(w.isDone);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('BOOKMARK');
    expect(w.events[0].object.metadata.resourceVersion).toBe('1');
  });

  it.each([
    'test_watch_with_error_event',
    'test_watch_retries_on_error_event',
    'test_watch_with_error_event_and_timeout_param',
  ])(
    'python-base %s: ERROR 410 Gone is delivered as an event and the stream ends',
    async test => {
      sim.faults.script({
        match: { watch: true, path: '/replay/pods' },
        chunks: chunksOf(test),
      });
      const w = watchAll(kc, '/api/v1/namespaces/replay/pods', {
        resourceVersion: '0',
        timeoutSeconds: 5,
      });
      await waitFor(w.isDone);
      expect(w.events).toEqual([
        {
          type: 'ERROR',
          object: { code: 410, reason: 'Gone', message: 'error message' },
        },
      ]);
    },
  );

  describe('javascript informer scenarios (ListWatch)', () => {
    const scenario = (i: number) => informerScenarios.scenarios[i];

    /** Scripts one list response and one watch stream for a namespace path. */
    function script(ns: string, list: any, events: any[]) {
      sim.faults.script({
        match: { watch: false, path: `/namespaces/${ns}/pods` },
        chunks: [
          JSON.stringify({
            kind: 'PodList',
            apiVersion: 'v1',
            metadata: {},
            items: [],
            ...list,
          }),
        ],
      });
      sim.faults.script({
        match: { watch: true, path: `/namespaces/${ns}/pods` },
        chunks: events.map(e => `${JSON.stringify(e)}\n`),
      });
    }

    function listWatch(ns: string) {
      const core = kc.makeApiClient(CoreV1Api);
      let listCalls = 0;
      const lw = new ListWatch<V1Pod>(
        `/api/v1/namespaces/${ns}/pods`,
        new Watch(kc),
        () => {
          listCalls++;
          return core.listNamespacedPod({ namespace: ns });
        },
        false,
      );
      const seen = {
        add: [] as any[],
        update: [] as any[],
        delete: [] as any[],
        error: [] as any[],
      };
      lw.on('add', o => seen.add.push(o.metadata));
      lw.on('update', o => seen.update.push(o.metadata));
      lw.on('delete', o => seen.delete.push(o.metadata));
      lw.on('error', e => seen.error.push(e));
      return { lw, seen, listCalls: () => listCalls };
    }

    it(`${scenario(0).test}`, async () => {
      const sc = scenario(0);
      sim.cluster.ensureNamespace('inf0');
      script('inf0', sc.initialList, sc.watchEvents);
      const { lw, seen } = listWatch('inf0');
      await lw.start();
      await waitFor(() => seen.delete.length === 1);
      expect(seen.add.map(m => m.name)).toEqual(['name1', 'name2', 'name3']);
      expect(seen.update).toEqual([
        expect.objectContaining(sc.expect.updateObject),
      ]);
      expect(seen.delete).toEqual([
        expect.objectContaining(sc.expect.deleteObject),
      ]);
      await waitFor(
        () =>
          lw.latestResourceVersion() ===
          sc.expect.latestResourceVersionAfterBookmark,
      );
      await lw.stop();
      expect(seen.error).toEqual([]);
    });

    it.each([1, 2])(
      'informer scenario %i: ERROR 410 makes the ListWatch relist without emitting an error',
      async i => {
        const sc = scenario(i);
        const ns = `inf${i}`;
        sim.cluster.ensureNamespace(ns);
        script(
          ns,
          sc.initialList ?? { metadata: { resourceVersion: '1' } },
          sc.watchEvents,
        );
        sim.store.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'real-pod', namespace: ns },
          spec: { containers: [] },
        });
        const { lw, seen, listCalls } = listWatch(ns);
        await lw.start();
        // after the scripted 410 the relist is answered by the simulator's real state
        await waitFor(
          () =>
            listCalls() === sc.expect.listCalls &&
            lw.list(ns).some(p => p.metadata?.name === 'real-pod'),
        );
        expect(seen.error).toEqual([]);
        await lw.stop();
      },
    );
  });

  it('the simulator itself produces a 410 Expired ERROR event in the recorded shape', async () => {
    const small = await startKubeSim({ port: 0, historyWindow: 2 });
    try {
      const kc2 = new KubeConfig();
      kc2.loadFromString(small.kubeconfigYaml);
      for (let i = 0; i < 5; i++)
        small.store.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i}`, namespace: 'default' },
        });
      const w = watchAll(kc2, '/api/v1/configmaps', { resourceVersion: '1' });
      await waitFor(w.isDone);
      const recorded = scenario410();
      expect(w.events).toHaveLength(1);
      expect(w.events[0].type).toBe('ERROR');
      expect(Object.keys(w.events[0].object).sort()).toEqual(
        Object.keys(recorded).sort(),
      );
      expect(w.events[0].object).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
      });
      expect(w.events[0].object.message).toMatch(
        /^too old resource version: 1 \(\d+\)$/,
      );
    } finally {
      await small.close();
    }
  });

  it('watch lines cut at arbitrary chunk boundaries decode to exactly the ledger', async () => {
    const chunky = await startKubeSim({ port: 0, watchChunking: 'random' });
    try {
      const kc2 = new KubeConfig();
      kc2.loadFromString(chunky.kubeconfigYaml);
      const start = chunky.store.resourceVersion;
      const w = watchAll(kc2, '/api/v1/namespaces/default/configmaps', {
        resourceVersion: String(start),
      });
      await w.ready;
      await new Promise(r => setTimeout(r, 100));
      for (let i = 0; i < 200; i++) {
        chunky.store.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i}`, namespace: 'default' },
          data: { v: 'x'.repeat(i) },
        });
      }
      for (let i = 0; i < 200; i += 3)
        chunky.store.delete({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'default',
          name: `c${i}`,
        });
      const truth = chunky.ledger.changes({
        kind: 'ConfigMap',
        sinceRv: start,
      });
      await waitFor(() => w.events.length >= truth.length);
      expect(
        w.events.map(e => [
          e.type,
          e.object.metadata.name,
          e.object.metadata.resourceVersion,
        ]),
      ).toEqual(truth.map(c => [c.type, c.name, String(c.rv)]));
      (await w.ready).abort();
    } finally {
      await chunky.close();
    }
  });
});

function scenario410() {
  return informerScenarios.scenarios[1].watchEvents.find(
    (e: any) => e.type === 'ERROR',
  ).object;
}
