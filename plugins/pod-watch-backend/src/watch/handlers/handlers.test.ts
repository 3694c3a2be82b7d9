import { describePod } from '@pod-watch/plugin-pod-watch-common';
import { KubeSim } from '@pod-watch/kube-sim';
import { KubeClient } from '../../clusters/KubeClient';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../../store/__testUtils__/databases';
import {
  BUILTIN_WATCHED_KINDS,
  customResourceKind,
  WatchedKind,
} from '../kinds';
import { Reflector } from '../Reflector';
import {
  expectInSync,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from '../__testUtils__/harness';
import { createKindHandler } from '.';

jest.setTimeout(60_000);

const { shared } = storeTestDatabases();

describe('kind handlers against the simulator', () => {
  let sim: KubeSim;
  let client: KubeClient;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    ({ sim, client } = await startSim({
      scenario: ['readiness-failure', 'job-failure'],
      timeScale: 20,
    }));
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await sim.close();
  });

  async function watch(cluster: string, kind: WatchedKind) {
    const { store } = await shared('SQLITE_3');
    const reflector = new Reflector({
      cluster,
      kind,
      client,
      store,
      handler: createKindHandler({ cluster, kind, store }),
      logger: testLogger(),
      settings: TEST_WATCH_SETTINGS,
    });
    const abort = new AbortController();
    const done = reflector.run(abort.signal);
    stops.push(async () => {
      abort.abort();
      await done;
    });
    return reflector;
  }

  it('re-evaluates time-dependent pod health without a change to the pod', async () => {
    const { store } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    sim.cluster.ensureNamespace('slow');
    const created = sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'starting',
        namespace: 'slow',
        creationTimestamp: new Date().toISOString(),
      },
      spec: {
        containers: [{ name: 'app', image: 'busybox' }],
        nodeName: 'node-1',
      },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            image: 'busybox',
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    });
    const reflector = await watch(cluster, BUILTIN_WATCHED_KINDS.pods);
    const stored = await waitFor(
      async () => (await store.findPodsByName(cluster, 'slow', 'starting'))[0],
      10_000,
      'pod',
    );
    const later = new Date(Date.now() + 30 * 60_000);
    const expected = describePod(created as any, { now: later });
    expect(expected.health).not.toBe(stored.health);
    await reflector.tick(later);
    const [after] = await store.findPodsByName(cluster, 'slow', 'starting');
    expect(after).toMatchObject({
      health: expected.health,
      attention: expected.attention,
      resourceVersion: stored.resourceVersion,
    });
    // nothing changed since: a second tick writes nothing
    await reflector.tick(later);
  });

  it('stores custom resources with history, and their deletion', async () => {
    const { knex, store } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    sim.store.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    sim.cluster.ensureNamespace('crs');
    const widget = (name: string, size: number) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name, namespace: 'crs' },
      spec: { size },
      status: { phase: 'Ready' },
    });
    sim.store.create(widget('a', 1));
    sim.store.create(widget('b', 2));
    const kind = customResourceKind({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      namespaced: true,
    });
    expect(kind).toMatchObject({
      id: 'example.com/v1/widgets',
      kind: 'Widget',
    });
    await watch(cluster, kind);
    await expectInSync(
      knex,
      sim,
      cluster,
      'watched_objects',
      'example.com/widgets',
    );
    sim.store.patch(
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        namespace: 'crs',
        name: 'a',
      },
      o => {
        o.spec.size = 5;
      },
    );
    sim.store.delete({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      namespace: 'crs',
      name: 'b',
    });
    await expectInSync(
      knex,
      sim,
      cluster,
      'watched_objects',
      'example.com/widgets',
    );
    const live = await store.listWatchedObjects({ cluster, kind: 'Widget' });
    expect(JSON.stringify(live)).toContain('"size":5');
    const history = await store.listHistory({ cluster, kind: 'Widget' });
    const update = history.items.find(h => h.verb === 'update');
    expect(update?.diff).toEqual(
      expect.objectContaining({ spec: { size: 5 } }),
    );
    expect(history.items.some(h => h.verb === 'delete' && h.name === 'b')).toBe(
      true,
    );
  });

  it.each([
    ['core/v1', BUILTIN_WATCHED_KINDS.events],
    ['events.k8s.io/v1', BUILTIN_WATCHED_KINDS['events.k8s.io/events']],
  ])('stores Events from %s with the ledger counts', async (_group, kind) => {
    const { knex } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    await watch(cluster, kind);
    await waitFor(
      async () => {
        const expected = sim.ledger.events();
        const rows = await knex('events').where({ cluster });
        const stored = new Map(rows.map((r: any) => [r.uid, Number(r.count)]));
        return (
          expected.some(e => e.type === 'Warning') &&
          expected.every(e => stored.get(e.metadata.uid!) === (e.count ?? 1))
        );
      },
      20_000,
      'events equal to the ledger',
    );
    const warning = await knex('events')
      .where({ cluster, type: 'Warning' })
      .first();
    expect(warning).toMatchObject({ type: 'Warning' });
    expect(warning.regarding_uid).toBeTruthy();
  });

  it('stores workloads with replica counts and EndpointSlice endpoints per pod', async () => {
    const { knex, store } = await shared('SQLITE_3');
    const cluster = uniqueCluster();
    for (const id of ['deployments', 'replicasets', 'jobs', 'endpointslices']) {
      await watch(cluster, BUILTIN_WATCHED_KINDS[id]);
    }
    await expectInSync(knex, sim, cluster, 'workloads', 'apps/deployments', {
      where: { kind: 'Deployment' },
    });
    await expectInSync(knex, sim, cluster, 'workloads', 'batch/jobs', {
      where: { kind: 'Job' },
    });
    const [deployment] = (
      await store.listWorkloads({ cluster, kinds: ['Deployment'] })
    ).items;
    expect(deployment).toMatchObject({ name: 'inventory', desiredReplicas: 2 });
    await waitFor(
      async () => {
        const endpoints = await store.listEndpoints({
          cluster,
          namespace: 'inventory',
        });
        return (
          endpoints.length === 2 &&
          endpoints.every(e => e.podUid && e.ready === false)
        );
      },
      20_000,
      'not-ready endpoints of the readiness-failure pods',
    );
  });
});
