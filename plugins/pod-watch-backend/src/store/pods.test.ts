import {
  dump,
  storeTestDatabases,
  uniqueCluster,
} from './__testUtils__/databases';
import { parseLabelSelector } from './selector';
import { PodHealth, PodInput } from './types';

const { each, shared } = storeTestDatabases();

const T0 = Date.parse('2026-11-20T10:00:00Z');

function pod(
  cluster: string,
  n: number,
  overrides: Partial<PodInput> = {},
): PodInput {
  return {
    cluster,
    uid: `uid-${n}`,
    namespace: 'shop',
    name: `cart-${n}`,
    nodeName: 'node-a',
    phase: 'Running',
    status: 'Running',
    ready: '1/1',
    restarts: 0,
    health: 'healthy',
    attention: 0,
    owner: { kind: 'ReplicaSet', name: 'cart-abc', uid: 'rs-1' },
    workload: { kind: 'Deployment', name: 'cart' },
    labels: { app: 'cart', 'backstage.io/kubernetes-id': 'cart' },
    resourceVersion: `${100 + n}`,
    createdAt: new Date(T0),
    seenAt: new Date(T0),
    containers: [
      {
        name: 'init-db',
        type: 'init',
        ready: false,
        state: 'terminated',
        stateReason: 'Completed',
        restartCount: 0,
      },
      {
        name: 'app',
        type: 'app',
        image: 'cart:1',
        ready: true,
        state: 'running',
        stateSince: T0,
        restartCount: 0,
      },
    ],
    ...overrides,
  };
}

describe('pods', () => {
  it.each(each)(
    'replaying the same pod events changes nothing on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      const pods = [1, 2, 3].map(n => pod(cluster, n));
      expect(await store.upsertPods(pods)).toEqual({
        written: 3,
        unchanged: 0,
      });
      const before = await Promise.all(
        ['pods', 'pod_labels', 'containers'].map(t =>
          dump(knex, t, { cluster }),
        ),
      );
      // same events again, observed later: nothing is written
      const replay = pods.map(p => ({ ...p, seenAt: T0 + 60_000 }));
      expect(await store.upsertPods(replay)).toEqual({
        written: 0,
        unchanged: 3,
      });
      const after = await Promise.all(
        ['pods', 'pod_labels', 'containers'].map(t =>
          dump(knex, t, { cluster }),
        ),
      );
      expect(after).toEqual(before);
      expect(before[1]).toHaveLength(6);
      expect(before[2]).toHaveLength(6);
    },
  );

  it.each(each)(
    'a modified pod updates state, labels and containers on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.upsertPods([pod(cluster, 1)]);
      await store.upsertPods([
        pod(cluster, 1, {
          resourceVersion: '999',
          status: 'CrashLoopBackOff',
          ready: '0/1',
          restarts: 4,
          lastRestartAt: T0 + 5000,
          health: 'failing',
          attention: 90,
          topIssue: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 40s',
            container: 'app',
            severity: 'critical',
          },
          labels: { app: 'cart', tier: 'web' },
          seenAt: T0 + 10_000,
          containers: [
            {
              name: 'app',
              type: 'app',
              ready: false,
              state: 'waiting',
              stateReason: 'CrashLoopBackOff',
              restartCount: 4,
              lastTermination: {
                reason: 'Error',
                exitCode: 137,
                finishedAt: '2026-11-20T10:00:04Z',
              },
            },
          ],
        }),
      ]);
      const stored = await store.getPod(cluster, 'uid-1');
      expect(stored).toMatchObject({
        status: 'CrashLoopBackOff',
        restarts: 4,
        health: 'failing',
        attention: 90,
        lastRestartAt: new Date(T0 + 5000).toISOString(),
        topIssue: {
          reason: 'CrashLoopBackOff',
          container: 'app',
          severity: 'critical',
        },
        labels: { app: 'cart', tier: 'web' },
        firstSeenAt: new Date(T0).toISOString(),
        lastSeenAt: new Date(T0 + 10_000).toISOString(),
        workload: { kind: 'Deployment', name: 'cart' },
      });
      const containers = await store.listContainers(cluster, ['uid-1']);
      expect(containers).toHaveLength(1);
      expect(containers[0]).toMatchObject({
        name: 'app',
        ready: false,
        state: 'waiting',
        restartCount: 4,
        lastTermination: {
          reason: 'Error',
          exitCode: 137,
          finishedAt: '2026-11-20T10:00:04.000Z',
        },
      });
      // the old label is gone from the index: the selector no longer matches it
      const byId = await store.listPodsForSelector({
        clusters: [cluster],
        selector: parseLabelSelector('backstage.io/kubernetes-id=cart'),
      });
      expect(byId.total).toBe(0);
    },
  );

  it.each(each)(
    'selectors run in SQL with Kubernetes semantics on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      const health: PodHealth[] = [
        'healthy',
        'failing',
        'degraded',
        'healthy',
        'completed',
      ];
      await store.upsertPods([
        pod(cluster, 1, {
          labels: { app: 'cart', env: 'prod' },
          attention: 10,
        }),
        pod(cluster, 2, {
          labels: { app: 'cart', env: 'dev' },
          attention: 95,
          health: health[1],
        }),
        pod(cluster, 3, {
          labels: { app: 'cart' },
          attention: 50,
          health: health[2],
        }),
        pod(cluster, 4, { labels: { app: 'web', env: 'prod' }, attention: 70 }),
        pod(cluster, 5, {
          labels: { app: 'cart', env: 'prod', canary: 'true' },
          attention: 5,
          health: 'completed',
          namespace: 'other',
        }),
      ]);
      const names = async (selector: string, extra: object = {}) =>
        (
          await store.listPodsForSelector({
            clusters: [cluster],
            selector: parseLabelSelector(selector),
            ...extra,
          })
        ).items.map(p => p.uid);

      // sorted by attention, most first
      expect(await names('app=cart')).toEqual([
        'uid-2',
        'uid-3',
        'uid-1',
        'uid-5',
      ]);
      expect(await names('app==cart,env=prod')).toEqual(['uid-1', 'uid-5']);
      // != and notin match pods without the key too
      expect(await names('app=cart,env!=prod')).toEqual(['uid-2', 'uid-3']);
      expect(await names('env in (prod, dev)')).toEqual([
        'uid-2',
        'uid-4',
        'uid-1',
        'uid-5',
      ]);
      expect(await names('app=cart,env notin (prod)')).toEqual([
        'uid-2',
        'uid-3',
      ]);
      expect(await names('env')).toEqual(['uid-2', 'uid-4', 'uid-1', 'uid-5']);
      expect(await names('app=cart,!env')).toEqual(['uid-3']);
      expect(await names('app=cart,!canary,env=prod')).toEqual(['uid-1']);
      expect(await names('app=cart', { namespaces: ['other'] })).toEqual([
        'uid-5',
      ]);
      expect(await names('app=nope')).toEqual([]);
      expect(await names('app=cart', { clusters: [uniqueCluster()] })).toEqual(
        [],
      );

      const rollup = await store.listPodsForSelector({
        clusters: [cluster],
        selector: parseLabelSelector('app=cart'),
        limit: 1,
      });
      expect(rollup.items.map(p => p.uid)).toEqual(['uid-2']);
      expect(rollup.total).toBe(4);
      expect(rollup.health).toMatchObject({
        failing: 1,
        degraded: 1,
        healthy: 1,
        completed: 1,
        unknown: 0,
      });
    },
  );

  it.each(each)(
    'deleted pods drop out of selections and relists reconcile on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.upsertPods([1, 2, 3, 4].map(n => pod(cluster, n)));
      // DELETED watch event: final state stored, pod marked deleted
      await store.upsertPods([
        pod(cluster, 1, {
          resourceVersion: '500',
          deletedAt: T0 + 1000,
          status: 'Terminating',
        }),
      ]);
      expect(await store.markPodsDeleted(cluster, ['uid-2'], T0 + 2000)).toBe(
        1,
      );
      // relist returned only uid-3: uid-4 vanished while the watch was down
      expect(
        await store.markMissingPodsDeleted({
          cluster,
          presentUids: ['uid-3'],
          at: T0 + 3000,
        }),
      ).toEqual(['uid-4']);
      const live = await store.listPodsForSelector({
        clusters: [cluster],
        selector: parseLabelSelector('app=cart'),
      });
      expect(live.items.map(p => p.uid)).toEqual(['uid-3']);
      const all = await store.listPodsForSelector({
        clusters: [cluster],
        selector: parseLabelSelector('app=cart'),
        includeDeleted: true,
      });
      expect(all.total).toBe(4);
      expect((await store.getPod(cluster, 'uid-1'))?.deletedAt).toBe(
        new Date(T0 + 1000).toISOString(),
      );
      expect(
        (await store.findPodsByName(cluster, 'shop', 'cart-1'))[0].status,
      ).toBe('Terminating');
      // a relist that returned uid-3 unchanged bumps its last seen only
      expect(
        await store.markPodsSeen(cluster, ['uid-3', 'uid-4'], T0 + 4000),
      ).toBe(1);
      expect((await store.getPod(cluster, 'uid-3'))?.lastSeenAt).toBe(
        new Date(T0 + 4000).toISOString(),
      );
      expect(await store.markPodsSeen(cluster, ['uid-3'], T0 + 4000)).toBe(0);
    },
  );

  it.each(each)('hostile text is stored safely on %p', async id => {
    const { store } = await shared(id);
    const cluster = uniqueCluster();
    const hostile = `bad\u0000nul \ud800 lone ${'x'.repeat(10_000)}`;
    await store.upsertPods([
      pod(cluster, 1, {
        name: `n\u0000ame${'y'.repeat(400)}`,
        status: 'S'.repeat(500),
        topIssue: { reason: 'R\u0000', message: hostile, severity: 'warning' },
        labels: { 'app\u0000': 'v\u0000', 'x/y': "'; DROP TABLE pods; --" },
      }),
    ]);
    const stored = await store.getPod(cluster, 'uid-1');
    expect(stored?.name).toHaveLength(253);
    expect(stored?.name.startsWith('name')).toBe(true);
    expect(stored?.status).toHaveLength(128);
    expect(stored?.topIssue?.reason).toBe('R');
    expect(stored?.topIssue?.message).toMatch(
      /^badnul \ufffd lone x+…\[truncated\]$/,
    );
    expect(
      Buffer.byteLength(stored?.topIssue?.message ?? ''),
    ).toBeLessThanOrEqual(4096);
    const found = await store.listPodsForSelector({
      clusters: [cluster],
      selector: [
        { key: 'x/y', operator: '=', values: ["'; DROP TABLE pods; --"] },
      ],
    });
    expect(found.total).toBe(1);
  });

  it.each(each)('writes more pods than fit one statement on %p', async id => {
    const { store } = await shared(id);
    const cluster = uniqueCluster();
    const many = Array.from({ length: 1200 }, (_, n) =>
      pod(cluster, n, {
        containers: undefined,
        labels: { app: 'bulk', n: String(n % 7) },
      }),
    );
    // the same pod twice in one batch: last one wins, no "affect row twice" error
    many.push(
      pod(cluster, 0, {
        resourceVersion: 'later',
        attention: 77,
        labels: { app: 'bulk' },
        containers: undefined,
      }),
    );
    expect((await store.upsertPods(many)).written).toBe(1200);
    const result = await store.listPodsForSelector({
      clusters: [cluster],
      selector: parseLabelSelector('app=bulk,n notin (1,2)'),
      limit: 5,
    });
    expect(result.items[0]).toMatchObject({ uid: 'uid-0', attention: 77 });
    const expected = Array.from({ length: 1200 }, (_, n) => n).filter(
      n => n === 0 || ![1, 2].includes(n % 7),
    ).length;
    expect(result.total).toBe(expected);
    // crossing 200 written pods refreshed planner statistics (ANALYZE on PostgreSQL)
    expect(store.ctx.podStatistics.analyzeAt).toBeGreaterThanOrEqual(2000);
  });
});
