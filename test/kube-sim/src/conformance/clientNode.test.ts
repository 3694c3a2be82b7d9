import {
  CoreV1Api,
  AppsV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  Log,
  V1Pod,
  VersionApi,
  Watch,
  makeInformer,
} from '@kubernetes/client-node';
import https from 'node:https';
import { PassThrough } from 'node:stream';
import { KubeSim, startKubeSim } from '../index';

/** (a) @kubernetes/client-node against the simulator: list, watch, informer and log calls. */

jest.setTimeout(20000);

/** Raw HTTPS GET (client-node drops the body of 401 responses). */
function rawGet(
  sim: KubeSim,
  path: string,
  token: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${sim.url}${path}`,
        { ca: sim.caPem, headers: { Authorization: `Bearer ${token}` } },
        res => {
          let text = '';
          res.on('data', d => {
            text += d;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: JSON.parse(text) }),
          );
        },
      )
      .on('error', reject);
  });
}

const waitFor = async (fn: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error('timed out waiting for condition');
};

function pod(
  name: string,
  ns: string,
  labels: Record<string, string> = {},
  extra: Partial<V1Pod> = {},
): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [{ name: 'app', image: 'busybox' }],
      nodeName: 'node-1',
    },
    status: { phase: 'Running' },
    ...extra,
  };
}

describe('client-node conformance', () => {
  let sim: KubeSim;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    sim = await startKubeSim({
      port: 0,
      bookmarkIntervalMs: 200,
      timeScale: 50,
    });
    kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    core = kc.makeApiClient(CoreV1Api);
    sim.cluster.ensureNamespace('a');
    sim.cluster.ensureNamespace('b');
    for (let i = 0; i < 5; i++) {
      sim.store.create(
        pod(`p${i}`, i < 3 ? 'a' : 'b', {
          app: i % 2 ? 'odd' : 'even',
          tier: `t${i}`,
        }),
      );
    }
  });

  afterAll(async () => {
    await sim.close();
  });

  it('serves discovery and version', async () => {
    const v = await kc.makeApiClient(VersionApi).getCode();
    expect(v.gitVersion).toMatch(/^v1\.\d+/);
    const res = await core.getAPIResources();
    expect(res.resources.map(r => r.name)).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/log',
        'events',
        'namespaces',
        'nodes',
      ]),
    );
  });

  it('lists cluster-wide and namespaced with label and field selectors', async () => {
    const all = await core.listPodForAllNamespaces();
    expect(all.items.map(p => p.metadata!.name)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
    expect(Number(all.metadata!.resourceVersion)).toBeGreaterThan(0);
    const inA = await core.listNamespacedPod({ namespace: 'a' });
    expect(inA.items).toHaveLength(3);
    const sel = async (labelSelector: string) =>
      (await core.listPodForAllNamespaces({ labelSelector })).items.map(
        p => p.metadata!.name,
      );
    expect(await sel('app=odd')).toEqual(['p1', 'p3']);
    expect(await sel('app!=odd')).toEqual(['p0', 'p2', 'p4']);
    expect(await sel('tier in (t0,t4)')).toEqual(['p0', 'p4']);
    expect(await sel('tier notin (t0,t4),app')).toEqual(['p1', 'p2', 'p3']);
    expect(await sel('!app')).toEqual([]);
    const byField = await core.listPodForAllNamespaces({
      fieldSelector: 'metadata.namespace=b,metadata.name!=p3',
    });
    expect(byField.items.map(p => p.metadata!.name)).toEqual(['p4']);
    const byNode = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName=node-1,status.phase=Running',
    });
    expect(byNode.items).toHaveLength(5);
  });

  it('rejects unsupported field labels with a 400 Status', async () => {
    await expect(
      core.listPodForAllNamespaces({ fieldSelector: 'spec.bogus=x' }),
    ).rejects.toMatchObject({
      code: 400,
      body: expect.stringContaining('field label not supported: spec.bogus'),
    });
  });

  it('paginates with limit + continue at a consistent resourceVersion', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    expect(first.items.map(p => p.metadata!.name)).toEqual(['p0', 'p1']);
    expect(first.metadata!.remainingItemCount).toBe(3);
    // a change between pages is not visible in the continued list
    sim.store.create(pod('p00', 'a'));
    const second = await core.listPodForAllNamespaces({
      limit: 2,
      _continue: first.metadata!._continue,
    });
    expect(second.items.map(p => p.metadata!.name)).toEqual(['p2', 'p3']);
    expect(second.metadata!.resourceVersion).toBe(
      first.metadata!.resourceVersion,
    );
    const third = await core.listPodForAllNamespaces({
      limit: 2,
      _continue: second.metadata!._continue,
    });
    expect(third.items.map(p => p.metadata!.name)).toEqual(['p4']);
    expect(third.metadata!._continue).toBeFalsy();
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'a',
      name: 'p00',
    });
  });

  it('reads single objects and returns NotFound Status objects', async () => {
    const p = await core.readNamespacedPod({ name: 'p0', namespace: 'a' });
    expect(p.metadata!.uid).toBeTruthy();
    const err: any = await core
      .readNamespacedPod({ name: 'nope', namespace: 'a' })
      .catch(e => e);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
      message: 'pods "nope" not found',
    });
  });

  it('answers 401 for a wrong token and 403 for forbidden resources', async () => {
    const bad = new KubeConfig();
    bad.loadFromString(sim.kubeconfigYaml.replace(sim.token, 'wrong'));
    const e401: any = await bad
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .catch(e => e);
    expect(e401.code).toBe(401);
    const raw = await rawGet(sim, '/api/v1/namespaces', 'wrong');
    expect(raw).toEqual({
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });
    const undo = sim.auth.forbid({
      verbs: ['list'],
      resources: ['pods'],
      namespace: 'b',
    });
    const e403: any = await core
      .listNamespacedPod({ namespace: 'b' })
      .catch(e => e);
    expect(e403.code).toBe(403);
    expect(JSON.parse(e403.body)).toMatchObject({
      reason: 'Forbidden',
      message: expect.stringContaining(
        'cannot list resource "pods" in API group "" in the namespace "b"',
      ),
    });
    await expect(
      core.listNamespacedPod({ namespace: 'a' }),
    ).resolves.toBeTruthy();
    undo();
  });

  it('watches from a resourceVersion with bookmarks, and reports 410 for a too-old one', async () => {
    const list = await core.listNamespacedPod({ namespace: 'a' });
    const rv = list.metadata!.resourceVersion!;
    const seen: Array<[string, string | undefined]> = [];
    const watch = new Watch(kc);
    let done = false;
    const ctl = await watch.watch(
      '/api/v1/namespaces/a/pods',
      { resourceVersion: rv, allowWatchBookmarks: true },
      (type, obj) => seen.push([type, obj.metadata?.name]),
      () => {
        done = true;
      },
    );
    sim.store.create(pod('w1', 'a'));
    sim.store.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'w1' },
      o => {
        o.metadata.labels = { x: 'y' };
      },
    );
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'a',
      name: 'w1',
    });
    sim.store.create(pod('other-ns', 'b'));
    await waitFor(
      () =>
        seen.some(s => s[0] === 'BOOKMARK') &&
        seen.filter(s => s[0] !== 'BOOKMARK').length >= 3,
    );
    expect(seen.filter(s => s[0] !== 'BOOKMARK')).toEqual([
      ['ADDED', 'w1'],
      ['MODIFIED', 'w1'],
      ['DELETED', 'w1'],
    ]);
    ctl.abort();
    await waitFor(() => done);

    // a tiny history window: the old resourceVersion falls out of it
    const small = await startKubeSim({
      port: 0,
      historyWindow: 3,
      tls: undefined,
    });
    try {
      const kc2 = new KubeConfig();
      kc2.loadFromString(small.kubeconfigYaml);
      for (let i = 0; i < 6; i++) small.store.create(pod(`x${i}`, 'default'));
      const events: any[] = [];
      let ended = false;
      await new Watch(kc2).watch(
        '/api/v1/pods',
        { resourceVersion: '2' },
        (t, o) => events.push([t, o]),
        () => {
          ended = true;
        },
      );
      await waitFor(() => ended);
      expect(events).toHaveLength(1);
      expect(events[0][0]).toBe('ERROR');
      expect(events[0][1]).toMatchObject({
        kind: 'Status',
        code: 410,
        reason: 'Expired',
      });
      expect(events[0][1].message).toMatch(
        /^too old resource version: 2 \(\d+\)$/,
      );
    } finally {
      await small.close();
    }
  });

  it('streams initial events with sendInitialEvents and the initial-events-end bookmark', async () => {
    const seen: any[] = [];
    const ctl = await new Watch(kc).watch(
      '/api/v1/namespaces/b/pods',
      {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
      (type, obj) => seen.push({ type, obj }),
      () => undefined,
    );
    await waitFor(() => seen.some(s => s.type === 'BOOKMARK'));
    const endIdx = seen.findIndex(
      s =>
        s.obj.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true',
    );
    expect(endIdx).toBeGreaterThan(0);
    expect(seen.slice(0, endIdx).every(s => s.type === 'ADDED')).toBe(true);
    ctl.abort();
  });

  it('ends watches after timeoutSeconds', async () => {
    let ended = false;
    const t0 = Date.now();
    await new Watch(kc).watch(
      '/api/v1/pods',
      { timeoutSeconds: 1, resourceVersion: String(sim.store.resourceVersion) },
      () => undefined,
      () => {
        ended = true;
      },
    );
    await waitFor(() => ended, 4000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('keeps an informer in sync and relists after a 410 (restart with compaction)', async () => {
    sim.cluster.ensureNamespace('inf');
    sim.store.create(pod('i1', 'inf'));
    let lists = 0;
    const informer = makeInformer(kc, '/api/v1/namespaces/inf/pods', () => {
      lists++;
      return core.listNamespacedPod({ namespace: 'inf' });
    });
    const adds: string[] = [];
    const updates: string[] = [];
    const deletes: string[] = [];
    const errors: any[] = [];
    informer.on('add', o => adds.push(o.metadata!.name!));
    informer.on('update', o => updates.push(o.metadata!.name!));
    informer.on('delete', o => deletes.push(o.metadata!.name!));
    informer.on('error', e => errors.push(e));
    await informer.start();
    await waitFor(() => adds.includes('i1'));
    sim.store.create(pod('i2', 'inf'));
    await waitFor(() => adds.includes('i2'));
    sim.store.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: 'inf', name: 'i1' },
      o => {
        o.status.phase = 'Failed';
      },
    );
    await waitFor(() => updates.includes('i1'));

    // the "apiserver" restarts and compacts: the informer's resourceVersion is now too old
    expect(lists).toBe(1);
    // (a change it does not see first, so its resourceVersion is behind the compaction point)
    sim.store.create(pod('elsewhere', 'a'));
    sim.faults.restart({ compact: true });
    sim.store.delete({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'inf',
      name: 'i2',
    });
    sim.store.create(pod('i3', 'inf'));
    await waitFor(() => adds.includes('i3') && deletes.includes('i2'), 10000);
    expect(
      informer
        .list('inf')
        .map(p => p.metadata!.name)
        .sort(),
    ).toEqual(['i1', 'i3']);
    expect(lists).toBe(2); // the 410 forced exactly one relist
    await informer.stop();
    expect(errors).toEqual([]);
  });

  it('reads logs: container, tailLines, previous, timestamps, limitBytes and the real error messages', async () => {
    sim.scenarios.run('crashloop');
    const ns = 'payments';
    // 50x: 20 s of running is 0.4 s of wall time; wait for a restart
    await waitFor(
      () =>
        sim.store
          .listIn('core/pods', ns)
          .some(
            p =>
              (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 &&
              p.status?.containerStatuses?.[0]?.state?.running,
          ),
      15000,
    );
    const p = sim.store
      .listIn('core/pods', ns)
      .find(x => x.status?.containerStatuses?.[0]?.restartCount >= 1)!;
    const name = p.metadata.name!;
    const prev = await core.readNamespacedPodLog({
      name,
      namespace: ns,
      previous: true,
      tailLines: 3,
    });
    expect(prev.trimEnd().split('\n')).toHaveLength(3);
    expect(prev).toContain('Caused by: java.net.ConnectException');
    const cur = await core.readNamespacedPodLog({
      name,
      namespace: ns,
      container: 'app',
      timestamps: true,
    });
    expect(cur.split('\n')[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /,
    );
    const limited = await core.readNamespacedPodLog({
      name,
      namespace: ns,
      limitBytes: 10,
    });
    expect(Buffer.byteLength(limited)).toBe(10);

    // no previous instance
    sim.cluster.ensureNamespace('logs');
    sim.store.create(
      pod(
        'fresh',
        'logs',
        {},
        {
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'app',
                ready: true,
                restartCount: 0,
                image: 'x',
                imageID: '',
                state: { running: { startedAt: new Date() } },
              },
            ],
          } as any,
        },
      ),
    );
    const e1: any = await core
      .readNamespacedPodLog({
        name: 'fresh',
        namespace: 'logs',
        previous: true,
      })
      .catch(e => e);
    expect(e1.code).toBe(400);
    expect(JSON.parse(e1.body).message).toBe(
      'previous terminated container "app" in pod "fresh" not found',
    );
    // multi-container pod without container=
    sim.store.create(
      pod(
        'multi',
        'logs',
        {},
        {
          spec: {
            nodeName: 'node-1',
            containers: [
              { name: 'app', image: 'a' },
              { name: 'proxy', image: 'b' },
            ],
          } as any,
        },
      ),
    );
    const e2: any = await core
      .readNamespacedPodLog({ name: 'multi', namespace: 'logs' })
      .catch(e => e);
    expect(e2.code).toBe(400);
    expect(JSON.parse(e2.body)).toMatchObject({
      reason: 'BadRequest',
      message:
        'a container name must be specified for pod multi, choose one of: [app proxy]',
    });

    // follow through the Log helper
    const out = new PassThrough();
    let text = '';
    out.on('data', d => {
      text += d.toString();
    });
    const running = sim.store
      .listIn('core/pods', ns)
      .find(x => x.status?.containerStatuses?.[0]?.state?.running)!;
    let ended = false;
    out.on('end', () => {
      ended = true;
    });
    await new Log(kc).log(ns, running.metadata.name!, 'app', out, {
      follow: true,
      tailLines: 1,
    });
    sim.logs.append(ns, running.metadata.name!, 'app', {
      ts: sim.clock.now(),
      text: 'followed-line',
    });
    await waitFor(() => text.includes('followed-line'));
    // the container stops: the server ends the follow stream
    sim.logs.endInstance(ns, running.metadata.name!, 'app');
    await waitFor(() => ended);
  });

  it('serves events in core/v1 and events.k8s.io/v1 with involvedObject field selectors', async () => {
    const p = sim.store.listIn('core/pods', 'payments')[0];
    const evs = await core.listNamespacedEvent({
      namespace: 'payments',
      fieldSelector: `involvedObject.name=${p.metadata.name},involvedObject.kind=Pod`,
    });
    expect(evs.items.length).toBeGreaterThan(0);
    expect(
      evs.items.every(e => e.involvedObject.name === p.metadata.name),
    ).toBe(true);
    const v1 = await kc.makeApiClient(EventsV1Api).listNamespacedEvent({
      namespace: 'payments',
      fieldSelector: `regarding.name=${p.metadata.name}`,
    });
    expect(v1.items.length).toBe(evs.items.length);
    expect(v1.items[0].regarding?.name).toBe(p.metadata.name);
    // aggregation: a repeated event bumps count on the same object
    const backoff = evs.items.find(
      e =>
        e.reason === 'Pulled' ||
        e.reason === 'Created' ||
        e.reason === 'Started',
    );
    expect(backoff).toBeTruthy();
  });

  it('serves apps/v1 workloads and custom resources from a CRD', async () => {
    const deps = await kc
      .makeApiClient(AppsV1Api)
      .listNamespacedDeployment({ namespace: 'payments' });
    expect(deps.items[0].metadata!.name).toBe('payments-api');
    sim.store.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: {
          plural: 'widgets',
          singular: 'widget',
          kind: 'Widget',
          listKind: 'WidgetList',
        },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
    });
    sim.store.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'a' },
      spec: { size: 3 },
    });
    const co = kc.makeApiClient(CustomObjectsApi);
    const list: any = await co.listNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'a',
      plural: 'widgets',
    });
    expect(list.kind).toBe('WidgetList');
    expect(list.items[0]).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { size: 3 },
    });
  });
});

describe('client-node writes', () => {
  let sim: KubeSim;
  let core: CoreV1Api;

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    core = kc.makeApiClient(CoreV1Api);
  });

  afterAll(async () => {
    await sim.close();
  });

  it('creates, patches, replaces and deletes with the real status codes', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'c' }, data: { a: '1' } },
    });
    expect(cm.metadata!.resourceVersion).toBeTruthy();
    const dup: any = await core
      .createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'c' } },
      })
      .catch(e => e);
    expect(dup.code).toBe(409);
    const missingNs: any = await core
      .createNamespacedConfigMap({
        namespace: 'nope',
        body: { metadata: { name: 'c' } },
      })
      .catch(e => e);
    expect(missingNs.code).toBe(404);
    const stale: any = await core
      .replaceNamespacedConfigMap({
        name: 'c',
        namespace: 'default',
        body: {
          ...cm,
          metadata: { ...cm.metadata, resourceVersion: '1' },
          data: { a: '2' },
        },
      })
      .catch(e => e);
    expect(stale.code).toBe(409);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'c',
      namespace: 'default',
      body: { ...cm, data: { a: '3' } },
    });
    expect(replaced.data).toEqual({ a: '3' });
    await core.deleteNamespacedConfigMap({ name: 'c', namespace: 'default' });
    expect(
      sim.ledger.changes({ kind: 'ConfigMap', name: 'c' }).map(c => c.type),
    ).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });
});
