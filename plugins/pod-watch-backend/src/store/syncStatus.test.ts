import { storeTestDatabases, uniqueCluster } from './__testUtils__/databases';
import { listSyncStatus, recordSyncStatus } from './syncStatus';

const { each, shared } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('sync status', () => {
  it.each(each)(
    'records live status next to the sync state on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.recordSyncSuccess({
        cluster,
        kind: 'pods',
        resourceVersion: '7',
        at: T0,
      });
      await recordSyncStatus(store.ctx, [
        {
          cluster,
          kind: 'pods',
          connected: true,
          lastEventAt: T0 + 5,
          lagMs: 12,
          holder: 'a',
          at: T0 + 10,
        },
        { cluster, kind: 'events', connected: false, at: T0 + 10 },
      ]);
      await recordSyncStatus(store.ctx, [
        { cluster, kind: 'pods', connected: false, holder: 'a', at: T0 + 20 },
      ]);
      expect(await listSyncStatus(store.ctx, cluster)).toEqual([
        expect.objectContaining({
          kind: 'events',
          connected: false,
          lastEventAt: undefined,
        }),
        expect.objectContaining({
          kind: 'pods',
          connected: false,
          resourceVersion: '7',
          lastEventAt: new Date(T0 + 5).toISOString(),
          lagMs: 12,
          holder: 'a',
        }),
      ]);
    },
  );
});
