import {
  dump,
  storeTestDatabases,
  uniqueCluster,
} from './__testUtils__/databases';
import { parseLabelSelector } from './selector';
import { WorkloadInput } from './types';

const { each, shared } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

function workload(
  cluster: string,
  overrides: Partial<WorkloadInput>,
): WorkloadInput {
  return {
    cluster,
    uid: 'dep-1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'cart',
    desiredReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 2,
    updatedReplicas: 3,
    generation: 4,
    observedGeneration: 4,
    labels: { 'backstage.io/kubernetes-id': 'cart' },
    selector: { matchLabels: { app: 'cart' } },
    conditions: [{ type: 'Available', status: 'True' }],
    resourceVersion: '10',
    seenAt: T0,
    ...overrides,
  };
}

describe('workloads', () => {
  it.each(each)(
    'stores replica counts and owner links idempotently on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      const items = [
        workload(cluster, {}),
        workload(cluster, {
          uid: 'rs-1',
          kind: 'ReplicaSet',
          name: 'cart-abc',
          owner: { kind: 'Deployment', name: 'cart', uid: 'dep-1' },
          labels: { app: 'cart', 'pod-template-hash': 'abc' },
        }),
        workload(cluster, {
          uid: 'job-1',
          kind: 'Job',
          name: 'migrate',
          desiredReplicas: undefined,
          succeeded: 1,
          failed: 2,
          active: 0,
          labels: { 'backstage.io/kubernetes-id': 'cart' },
        }),
      ];
      expect(await store.upsertWorkloads(items)).toEqual({
        written: 3,
        unchanged: 0,
      });
      const before = await dump(knex, 'workloads', { cluster });
      expect(await store.upsertWorkloads(items)).toEqual({
        written: 0,
        unchanged: 3,
      });
      expect(await dump(knex, 'workloads', { cluster })).toEqual(before);

      const owned = await store.listWorkloads({ cluster, ownerUid: 'dep-1' });
      expect(owned.items.map(w => w.name)).toEqual(['cart-abc']);
      const entity = await store.listWorkloads({
        clusters: [cluster],
        selector: parseLabelSelector('backstage.io/kubernetes-id=cart'),
      });
      expect(entity.items.map(w => [w.kind, w.name])).toEqual([
        ['Deployment', 'cart'],
        ['Job', 'migrate'],
      ]);
      expect(entity.items[0]).toMatchObject({
        desiredReplicas: 3,
        readyReplicas: 2,
        generation: 4,
        conditions: [{ type: 'Available', status: 'True' }],
        selector: { matchLabels: { app: 'cart' } },
      });
      expect(entity.items[1]).toMatchObject({
        succeeded: 1,
        failed: 2,
        active: 0,
      });

      await store.upsertWorkloads([
        workload(cluster, {
          readyReplicas: 3,
          resourceVersion: '11',
          seenAt: T0 + 1000,
        }),
      ]);
      expect(
        (await store.listWorkloads({ cluster, kinds: ['Deployment'] })).items[0]
          .readyReplicas,
      ).toBe(3);
      expect(
        await store.markMissingWorkloadsDeleted({
          cluster,
          kind: 'Job',
          presentUids: [],
          at: T0 + 2000,
        }),
      ).toEqual(['job-1']);
      expect((await store.listWorkloads({ cluster })).total).toBe(2);
      expect(
        await store.markWorkloadsDeleted(cluster, ['rs-1'], T0 + 3000),
      ).toBe(1);
      expect(
        (await store.listWorkloads({ cluster, includeDeleted: true })).total,
      ).toBe(3);
    },
  );
});
