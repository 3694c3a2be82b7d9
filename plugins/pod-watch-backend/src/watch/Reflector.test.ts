import { KubeSim } from '@pod-watch/kube-sim';
import { kubeConfigForServer } from '../clusters/clusterConfig';
import { KubeClient } from '../clusters/KubeClient';
import { PodWatchStore } from '../store';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../store/__testUtils__/databases';
import { createKindHandler } from './handlers';
import { BUILTIN_WATCHED_KINDS } from './kinds';
import { Reflector } from './Reflector';
import {
  expectInSync,
  simPod,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from './__testUtils__/harness';

jest.setTimeout(120_000);

const { each, shared } = storeTestDatabases();
const pods = BUILTIN_WATCHED_KINDS.pods;

describe('Reflector', () => {
  let sim: KubeSim;
  let client: KubeClient;
  const running: Array<{ abort: AbortController; done: Promise<void> }> = [];

  beforeAll(async () => {
    ({ sim, client } = await startSim());
  });

  afterEach(async () => {
    sim.faults.clear();
    for (const r of running.splice(0)) {
      r.abort.abort();
      await r.done;
    }
  });

  afterAll(async () => {
    await sim.close();
  });

  function start(
    store: PodWatchStore,
    cluster: string,
    namespace: string,
    settings: Partial<typeof TEST_WATCH_SETTINGS> = {},
  ) {
    const reflector = new Reflector({
      cluster,
      kind: pods,
      namespace,
      client,
      store,
      handler: createKindHandler({ cluster, kind: pods, store }),
      logger: testLogger(),
      settings: { ...TEST_WATCH_SETTINGS, ...settings },
      persistIntervalMs: 0,
    });
    const abort = new AbortController();
    const done = reflector.run(abort.signal);
    running.push({ abort, done });
    return {
      reflector,
      stop: async () => {
        abort.abort();
        await done;
      },
    };
  }

  const inNs = (namespace: string) => ({
    where: { namespace },
    filter: (o: any) => o.metadata.namespace === namespace,
  });

  function ns(prefix: string) {
    const name = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
    sim.cluster.ensureNamespace(name);
    return name;
  }

  it.each(each)(
    'lists in pages, watches and stores every change on %p',
    async id => {
      const { store, knex } = await shared(id);
      const cluster = uniqueCluster();
      const n = ns('list');
      for (let i = 0; i < 7; i++) sim.store.create(simPod(`web-${i}`, n));
      const { reflector } = start(store, cluster, n);
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
      expect(reflector.status.relists).toBe(1);

      sim.store.create(simPod('web-7', n));
      sim.store.patch(
        { apiVersion: 'v1', kind: 'Pod', namespace: n, name: 'web-1' },
        o => {
          o.status = { ...o.status, phase: 'Failed', reason: 'Evicted' };
        },
      );
      sim.store.delete({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: n,
        name: 'web-2',
      });
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));

      const evicted = (await store.findPodsByName(cluster, n, 'web-1'))[0];
      expect(evicted).toMatchObject({ status: 'Evicted', phase: 'Failed' });
      // history is appended right after the current state
      await waitFor(
        async () => {
          const history = await store.listHistory({ cluster, namespace: n });
          const verbs = new Set(history.items.map(h => h.verb));
          return ['create', 'update', 'delete'].every(v => verbs.has(v as any));
        },
        5000,
        'create, update and delete history',
      );
      const [state] = (await store.getSyncState(cluster)).filter(
        s => s.kind === `pods@${n}`,
      );
      expect(Number(state.resourceVersion)).toBeGreaterThan(0);
      expect(reflector.status.connected).toBe(true);
    },
  );

  it('resumes from the stored resourceVersion after a restart without relisting', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('resume');
    for (let i = 0; i < 3; i++) sim.store.create(simPod(`api-${i}`, n));
    const first = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await first.stop();

    // changes while no collector runs
    sim.store.create(simPod('api-3', n));
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: n,
      name: 'api-0',
    });

    const second = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(second.reflector.status.relists).toBe(0);
    const gaps = await store.listGaps({ cluster });
    expect(gaps).toHaveLength(1);
    expect(gaps[0].endedAt).toBeDefined();
  });

  it('relists and reconciles deletions on 410 Gone', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('gone');
    for (let i = 0; i < 4; i++) sim.store.create(simPod(`db-${i}`, n));
    const first = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await first.stop();
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: n,
      name: 'db-1',
    });
    sim.faults.restart({ compact: true });

    const second = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(second.reflector.status.relists).toBe(1);
    const deleted = await knex('pods').where({ cluster, name: 'db-1' }).first();
    expect(deleted.deleted_at).not.toBeNull();

    // and while watching: the apiserver restarts with compaction, the resumed watch gets 410
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: n,
      name: 'db-2',
    });
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    sim.faults.restart({ compact: true });
    sim.store.create(simPod('db-9', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
  });

  it('backs off on 429 honouring Retry-After and on 5xx, then recovers', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('busy');
    sim.store.create(simPod('q-0', n));
    sim.faults.httpError({
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
      match: { resource: 'pods', watch: false },
    });
    sim.faults.httpError({
      status: 500,
      times: 2,
      match: { resource: 'pods', watch: false },
    });
    const started = Date.now();
    const { reflector } = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(reflector.status.lastError).toMatch(/500/);

    sim.faults.httpError({
      status: 503,
      retryAfterSeconds: 1,
      times: 2,
      match: { resource: 'pods', watch: true },
    });
    sim.faults.dropWatches({ resource: 'pods' });
    sim.store.create(simPod('q-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    const [state] = (await store.getSyncState(cluster)).filter(
      s => s.kind === `pods@${n}`,
    );
    expect(state.lastError).toBeDefined();
    const gaps = await store.listGaps({ cluster });
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(gaps.every(g => g.endedAt)).toBe(true);
  });

  it('survives dropped connections, cuts mid-event, malformed lines and random chunking', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('faulty');
    sim.store.create(simPod('f-0', n));
    const { reflector } = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(() => sim.openWatches() > 0);

    sim.faults.dropWatches({ resource: 'pods' });
    sim.store.create(simPod('f-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(reflector.status.relists).toBe(1);

    await waitFor(() => reflector.status.connected);
    sim.faults.closeMidChunk({ resource: 'pods' });
    sim.store.create(simPod('f-2', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));

    await waitFor(() => reflector.status.connected);
    sim.faults.malformedLine({ resource: 'pods' });
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: n,
      name: 'f-0',
    });
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(
      () => reflector.status.relists >= 2,
      5000,
      'relist after malformed line',
    );
  });

  it('cuts a silent stream after the inactivity timeout and catches up', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('stall');
    sim.store.create(simPod('s-0', n));
    const { reflector } = start(store, cluster, n, {
      inactivityTimeoutSeconds: 1,
    });
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(() => sim.openWatches() > 0);
    const restarts = reflector.status.watchRestarts;
    sim.faults.stall(4000, { resource: 'pods' });
    sim.store.create(simPod('s-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', {
      ...inNs(n),
      timeoutMs: 3500,
    });
    expect(reflector.status.watchRestarts).toBeGreaterThan(restarts);
    expect(reflector.status.relists).toBe(1);
  });

  it('relists on a requested resync (the periodic safety net)', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('resync');
    sim.store.create(simPod('r-0', n));
    const { reflector } = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(() => reflector.status.connected);
    reflector.resync();
    await waitFor(() => reflector.status.relists === 2, 5000, 'second list');
    sim.store.create(simPod('r-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(await store.listGaps({ cluster })).toEqual([]);
  });

  it('resumes without a relist after latency and a graceful apiserver restart', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('latency');
    sim.store.create(simPod('l-0', n));
    sim.faults.latency(300, { resource: 'pods' });
    const { reflector } = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(() => reflector.status.connected);
    sim.faults.clear();
    // graceful restart without compaction: streams end cleanly, the history is still there
    sim.faults.restart({ compact: false });
    sim.store.create(simPod('l-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    expect(reflector.status.relists).toBe(1);
  });

  it('handles a scripted ERROR event (500) and an undecodable stream', async () => {
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const n = ns('script');
    sim.store.create(simPod('e-0', n));
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'etcd hiccup',
    };
    sim.faults.script({
      match: { resource: 'pods', watch: true },
      chunks: [`${JSON.stringify({ type: 'ERROR', object: status })}\n`],
    });
    const { reflector } = start(store, cluster, n);
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(
      () => reflector.status.lastError?.includes('etcd hiccup'),
      5000,
      'the ERROR event',
    );
    expect(reflector.status.relists).toBe(1);
    await waitFor(() => reflector.status.connected);

    sim.faults.script({
      match: { resource: 'pods', watch: true },
      chunks: [
        '{"type":"ADDED","object":{"metadata":',
        '{}}}\n',
        '<html>proxy error</html>\n',
      ],
    });
    sim.faults.dropWatches({ resource: 'pods' });
    sim.store.create(simPod('e-1', n));
    await expectInSync(knex, sim, cluster, 'pods', 'core/pods', inNs(n));
    await waitFor(
      () => reflector.status.relists >= 2,
      5000,
      'relist after garbage',
    );
  });

  it('keeps retrying an unreachable cluster, recording the error and a gap', async () => {
    const { store } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    const unreachable = new KubeClient(
      kubeConfigForServer({
        name: 'down',
        url: 'https://127.0.0.1:1',
        token: 't',
        skipTLSVerify: true,
      }),
    );
    const reflector = new Reflector({
      cluster,
      kind: pods,
      client: unreachable,
      store,
      handler: createKindHandler({ cluster, kind: pods, store }),
      logger: testLogger(),
      settings: TEST_WATCH_SETTINGS,
    });
    const abort = new AbortController();
    const done = reflector.run(abort.signal);
    try {
      await waitFor(
        async () => (await store.getSyncState(cluster))[0]?.lastError,
        5000,
        'stored error',
      );
      const [state] = await store.getSyncState(cluster);
      expect(state.lastError).toMatch(/connection error/);
      expect((await store.listGaps({ cluster }))[0]).toMatchObject({
        endedAt: undefined,
      });
      expect(reflector.status.connected).toBe(false);
    } finally {
      abort.abort();
      await done;
    }
  });
});

describe('Reflector with random chunking and expiring continue tokens', () => {
  let sim: KubeSim;
  let client: KubeClient;
  afterAll(async () => {
    await sim?.close();
  });

  it('falls back to a full list and parses events split at any byte', async () => {
    ({ sim, client } = await startSim({
      watchChunking: 'random',
      continueTtlMs: 0,
    }));
    const { store, knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    sim.cluster.ensureNamespace('chunks');
    for (let i = 0; i < 8; i++) sim.store.create(simPod(`c-${i}`, 'chunks'));
    const reflector = new Reflector({
      cluster,
      kind: pods,
      client,
      store,
      handler: createKindHandler({ cluster, kind: pods, store }),
      logger: testLogger(),
      settings: TEST_WATCH_SETTINGS,
    });
    const abort = new AbortController();
    const done = reflector.run(abort.signal);
    try {
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      for (let i = 8; i < 40; i++) sim.store.create(simPod(`c-${i}`, 'chunks'));
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      expect(reflector.status.relists).toBe(1);
    } finally {
      abort.abort();
      await done;
    }
  });
});
