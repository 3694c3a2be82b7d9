import { storeTestDatabases, uniqueCluster } from './__testUtils__/databases';
import { PodInput } from './types';

const { each, shared } = storeTestDatabases();

const T0 = Date.parse('2026-11-20T10:00:00Z');

function pod(cluster: string, n: number, o: Partial<PodInput> = {}): PodInput {
  return {
    cluster,
    uid: `uid-${n}`,
    namespace: 'shop',
    name: `cart-${n}`,
    phase: 'Running',
    status: 'Running',
    ready: '1/1',
    restarts: 0,
    health: 'healthy',
    attention: 0,
    labels: { app: 'cart' },
    seenAt: T0,
    ...o,
  };
}

describe('countByCluster', () => {
  it.each(each)(
    'counts live pods by phase and health, workloads by kind on %p',
    async id => {
      const { store } = await shared(id);
      const a = uniqueCluster('a');
      const b = uniqueCluster('b');
      await store.upsertPods([
        pod(a, 1),
        pod(a, 2, {
          phase: 'Pending',
          status: 'Pending',
          health: 'initializing',
        }),
        pod(a, 3, { status: 'CrashLoopBackOff', health: 'failing' }),
        pod(a, 4, { deletedAt: T0 }),
        pod(b, 1),
      ]);
      await store.upsertWorkloads([
        {
          cluster: a,
          uid: 'd1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'cart',
          labels: {},
          seenAt: T0,
        },
        {
          cluster: a,
          uid: 'r1',
          kind: 'ReplicaSet',
          namespace: 'shop',
          name: 'cart-1',
          labels: {},
          seenAt: T0,
        },
      ]);
      const counts = (await store.countByCluster()).filter(c =>
        [a, b].includes(c.cluster),
      );
      expect(counts).toEqual([
        {
          cluster: a,
          pods: 3,
          phases: { Running: 2, Pending: 1 },
          health: {
            failing: 1,
            degraded: 0,
            initializing: 1,
            healthy: 1,
            completed: 0,
            terminating: 0,
            unknown: 0,
          },
          workloads: { Deployment: 1, ReplicaSet: 1 },
        },
        expect.objectContaining({ cluster: b, pods: 1, workloads: {} }),
      ]);
    },
  );
});
