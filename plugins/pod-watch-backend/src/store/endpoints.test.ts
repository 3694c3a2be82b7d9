import {
  dump,
  storeTestDatabases,
  uniqueCluster,
} from './__testUtils__/databases';

const { each, shared } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('service endpoints', () => {
  it.each(each)(
    'upserts, keeps first seen, and prunes per service and slice on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      const base = { cluster, namespace: 'shop', service: 'cart' };
      const ep = (n: number, ready = true) => ({
        ip: `10.0.0.${n}`,
        podUid: `pod-${n}`,
        podName: `cart-${n}`,
        ready,
        serving: ready,
        terminating: false,
      });
      await store.replaceServiceEndpoints({
        ...base,
        slice: 'cart-a',
        endpoints: [ep(1), ep(2)],
        seenAt: T0,
      });
      await store.replaceServiceEndpoints({
        ...base,
        slice: 'cart-b',
        endpoints: [ep(3)],
        seenAt: T0,
      });
      const before = await dump(knex, 'service_endpoints', { cluster });
      // same slice state again: nothing changes
      expect(
        await store.replaceServiceEndpoints({
          ...base,
          slice: 'cart-a',
          endpoints: [ep(1), ep(2)],
          seenAt: T0,
        }),
      ).toEqual({ upserted: 2, pruned: 0 });
      expect(await dump(knex, 'service_endpoints', { cluster })).toEqual(
        before,
      );

      // pod 2 goes unready and terminating, pod 1 leaves the slice; slice b untouched
      const result = await store.replaceServiceEndpoints({
        ...base,
        slice: 'cart-a',
        endpoints: [{ ...ep(2, false), terminating: true }],
        seenAt: T0 + 5000,
      });
      expect(result).toEqual({ upserted: 1, pruned: 1 });
      const rows = await store.listEndpoints({ cluster, service: 'cart' });
      expect(rows.map(r => [r.slice, r.ip, r.ready, r.terminating])).toEqual([
        ['cart-a', '10.0.0.2', false, true],
        ['cart-b', '10.0.0.3', true, false],
      ]);
      expect(rows[0].firstSeenAt).toBe(new Date(T0).toISOString());
      expect(rows[0].lastSeenAt).toBe(new Date(T0 + 5000).toISOString());
      expect(
        (await store.listEndpoints({ cluster, podUids: ['pod-3'] }))[0].service,
      ).toBe('cart');

      // whole-service replacement (no slice): prunes across every slice
      await store.replaceServiceEndpoints({
        ...base,
        endpoints: [],
        seenAt: T0 + 9000,
      });
      expect(await store.listEndpoints({ cluster })).toEqual([]);
    },
  );
});
