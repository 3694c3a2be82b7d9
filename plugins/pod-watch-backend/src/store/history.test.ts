import {
  dump,
  storeTestDatabases,
  uniqueCluster,
} from './__testUtils__/databases';
import { HistoryInput } from './types';

const { each, shared } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('object history and watched objects', () => {
  it.each(each)(
    'records history once per change and queries it on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      const entries: HistoryInput[] = [
        {
          cluster,
          objectUid: 'dep-1',
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'cart',
          verb: 'create',
          resourceVersion: '1',
          at: T0,
          snapshot: { spec: { replicas: 1 } },
        },
        {
          cluster,
          objectUid: 'dep-1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'cart',
          verb: 'update',
          resourceVersion: '2',
          at: T0 + 1000,
          diff: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
        },
        {
          cluster,
          objectUid: 'w-1',
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          namespace: 'ops',
          name: 'w',
          verb: 'create',
          resourceVersion: '3',
          at: T0 + 2000,
          snapshot: { huge: 'x'.repeat(300 * 1024) },
        },
        {
          cluster,
          objectUid: 'dep-1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'cart',
          verb: 'delete',
          resourceVersion: '4',
          at: T0 + 3000,
        },
      ];
      await store.recordHistory(entries);
      const before = await dump(knex, 'object_history', { cluster });
      await store.recordHistory(entries);
      expect(await dump(knex, 'object_history', { cluster })).toEqual(before);

      const dep = await store.listHistory({ cluster, objectUids: ['dep-1'] });
      expect(dep.total).toBe(3);
      expect(dep.items.map(h => h.verb)).toEqual([
        'delete',
        'update',
        'create',
      ]);
      expect(dep.items[1].diff).toEqual([
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ]);
      expect(dep.items[2].snapshot).toEqual({ spec: { replicas: 1 } });
      const widget = await store.listHistory({ cluster, kind: 'Widget' });
      expect(widget.items[0].snapshot).toEqual({
        truncated: true,
        bytes: expect.any(Number),
      });
      expect(
        (
          await store.listHistory({
            cluster,
            namespace: 'shop',
            verbs: ['update', 'delete'],
          })
        ).total,
      ).toBe(2);
      const page = await store.listHistory({
        cluster,
        since: T0 + 1000,
        until: T0 + 2000,
        limit: 1,
      });
      expect(page).toMatchObject({ total: 2, items: [{ kind: 'Widget' }] });
      await expect(
        store.recordHistory([{ ...entries[0], verb: 'patch' as any }]),
      ).rejects.toThrow('invalid history verb');
    },
  );

  it.each(each)(
    'watched custom resources are upserted idempotently on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      const widget = {
        cluster,
        uid: 'w-1',
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        namespace: 'ops',
        name: 'w',
        labels: { app: 'w' },
        status: { phase: 'Ready' },
        object: { spec: { size: 1 } },
        resourceVersion: '5',
        seenAt: T0,
      };
      await store.upsertWatchedObjects([widget]);
      const before = await dump(knex, 'watched_objects', { cluster });
      expect(await store.upsertWatchedObjects([widget])).toEqual({
        written: 0,
        unchanged: 1,
      });
      expect(await dump(knex, 'watched_objects', { cluster })).toEqual(before);
      await store.upsertWatchedObjects([
        {
          ...widget,
          status: { phase: 'Failed' },
          resourceVersion: '6',
          seenAt: T0 + 1,
        },
      ]);
      const [row] = await store.listWatchedObjects({ cluster, kind: 'Widget' });
      expect(row).toMatchObject({
        status: { phase: 'Failed' },
        labels: { app: 'w' },
        firstSeenAt: new Date(T0).toISOString(),
      });
      expect(
        await store.markMissingWatchedObjectsDeleted({
          cluster,
          kind: 'Widget',
          presentUids: [],
          at: T0 + 5,
        }),
      ).toEqual(['w-1']);
      expect(await store.listWatchedObjects({ cluster })).toEqual([]);
      expect(
        await store.markWatchedObjectsDeleted(cluster, ['w-1'], T0 + 6),
      ).toBe(0);
    },
  );
});
