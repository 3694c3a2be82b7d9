import { storeTestDatabases, uniqueCluster } from './__testUtils__/databases';

const { each, shared } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('clusters, sync state and observation gaps', () => {
  it.each(each)(
    'tracks resourceVersion, last success and last error per kind on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.upsertClusters([{ name: cluster }], T0);
      await store.upsertClusters([{ name: cluster, seenAt: T0 + 5 }], T0 + 10);
      await store.upsertClusters([{ name: cluster, seenAt: T0 + 1 }], T0 + 20);
      expect(
        (await store.listClusters()).find(c => c.name === cluster),
      ).toEqual({
        name: cluster,
        createdAt: new Date(T0).toISOString(),
        lastSeenAt: new Date(T0 + 5).toISOString(),
      });

      await store.recordSyncSuccess({
        cluster,
        kind: 'pods',
        resourceVersion: '100',
        at: T0,
      });
      await store.recordSyncError({
        cluster,
        kind: 'pods',
        error: new Error('watch \u0000closed'),
        at: T0 + 1000,
      });
      let [state] = await store.getSyncState(cluster);
      expect(state).toMatchObject({
        kind: 'pods',
        resourceVersion: '100',
        lastSuccessAt: new Date(T0).toISOString(),
        lastError: 'watch closed',
        lastErrorAt: new Date(T0 + 1000).toISOString(),
      });
      await store.recordSyncError({
        cluster,
        kind: 'pods',
        error: '410 Gone',
        at: T0 + 2000,
        resetResourceVersion: true,
      });
      [state] = await store.getSyncState(cluster);
      expect(state.resourceVersion).toBeUndefined();
      await store.recordSyncSuccess({
        cluster,
        kind: 'pods',
        resourceVersion: '200',
        at: T0 + 3000,
      });
      await store.recordSyncSuccess({ cluster, kind: 'events', at: T0 + 3000 });
      const states = await store.getSyncState(cluster);
      expect(states.map(s => [s.kind, s.resourceVersion, s.lastError])).toEqual(
        [
          ['events', undefined, undefined],
          ['pods', '200', '410 Gone'],
        ],
      );
    },
  );

  it.each(each)(
    'opens and closes observation gaps idempotently on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.openGap({
        cluster,
        kind: 'pods',
        startedAt: T0,
        reason: 'watch failed',
      });
      await store.openGap({
        cluster,
        kind: 'pods',
        startedAt: T0,
        reason: 'watch failed',
      });
      await store.openGap({
        cluster,
        kind: 'logs',
        namespace: 'shop',
        startedAt: T0 + 10,
      });
      expect(
        await store.closeGaps({ cluster, kind: 'pods', endedAt: T0 + 5000 }),
      ).toBe(1);
      expect(
        await store.closeGaps({ cluster, kind: 'pods', endedAt: T0 + 6000 }),
      ).toBe(0);
      const gaps = await store.listGaps({ cluster });
      expect(gaps.map(g => [g.kind, g.namespace, g.endedAt])).toEqual([
        ['logs', 'shop', undefined],
        ['pods', undefined, new Date(T0 + 5000).toISOString()],
      ]);
      expect(
        (await store.listGaps({ cluster, since: T0 + 5001 })).map(g => g.kind),
      ).toEqual(['logs']);
    },
  );
});
