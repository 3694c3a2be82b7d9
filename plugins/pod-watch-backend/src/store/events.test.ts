import {
  dump,
  storeTestDatabases,
  uniqueCluster,
} from './__testUtils__/databases';
import { normalizeCoreEvent, normalizeEventsV1Event } from './events';
import { EventInput } from './types';

const { each, shared } = storeTestDatabases();

const T0 = Date.parse('2026-11-20T10:00:00Z');

function event(
  cluster: string,
  n: number,
  overrides: Partial<EventInput> = {},
): EventInput {
  return {
    cluster,
    uid: `ev-${n}`,
    namespace: 'shop',
    name: `cart-${n}.17a`,
    type: n % 2 ? 'Warning' : 'Normal',
    reason: n % 2 ? 'BackOff' : 'Pulled',
    message: `Back-off restarting failed container app in pod cart-${n}`,
    regarding: {
      kind: 'Pod',
      namespace: 'shop',
      name: `cart-${n % 3}`,
      uid: `pod-${n % 3}`,
    },
    reportingController: 'kubelet',
    reportingInstance: 'node-a',
    count: 1,
    firstAt: T0 + n * 1000,
    lastAt: T0 + n * 1000,
    resourceVersion: `${n}`,
    ...overrides,
  };
}

describe('events', () => {
  it.each(each)(
    'one row per Event uid; replay and stale states write nothing on %p',
    async id => {
      const { knex, store } = await shared(id);
      const cluster = uniqueCluster();
      await store.upsertEvents([event(cluster, 1), event(cluster, 2)]);
      const before = await dump(knex, 'events', { cluster });
      await store.upsertEvents([event(cluster, 1), event(cluster, 2)]);
      expect(await dump(knex, 'events', { cluster })).toEqual(before);

      // MODIFIED: count and last time move, first time stays
      const modified = event(cluster, 1, {
        count: 5,
        lastAt: T0 + 60_000,
        message: 'Back-off 5m0s',
        resourceVersion: '77',
      });
      await store.upsertEvents([modified]);
      // an older state arriving late is ignored
      await store.upsertEvents([
        event(cluster, 1, {
          count: 2,
          lastAt: T0 + 30_000,
          resourceVersion: '50',
        }),
      ]);
      const page = await store.listEvents({
        cluster,
        regardingUids: ['pod-1'],
      });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        uid: 'ev-1',
        count: 5,
        message: 'Back-off 5m0s',
        firstAt: new Date(T0 + 1000).toISOString(),
        lastAt: new Date(T0 + 60_000).toISOString(),
        regarding: { kind: 'Pod', name: 'cart-1', uid: 'pod-1' },
      });
      expect(await knex('events').where({ cluster }).count({ n: '*' })).toEqual(
        [{ n: expect.anything() }],
      );
      expect(
        Number(
          (await knex('events').where({ cluster }).count({ n: '*' }))[0].n,
        ),
      ).toBe(2);
    },
  );

  it.each(each)(
    'batches beyond the bound-variable limit, duplicates collapse on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      // 19 columns × 2000 rows = 38000 variables: more than SQLite's 32766 in one statement
      const events = Array.from({ length: 2000 }, (_, n) => event(cluster, n));
      events.push(
        event(cluster, 7, {
          count: 9,
          lastAt: T0 + 10_000_000,
          resourceVersion: 'x',
        }),
      );
      await store.upsertEvents(events);
      const page = await store.listEvents({ cluster, limit: 3 });
      expect(page.total).toBe(2000);
      expect(page.items[0]).toMatchObject({ uid: 'ev-7', count: 9 });
    },
  );

  it.each(each)(
    'filters by object, namespace, kind, type, reason and time with totals on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.upsertEvents([
        ...Array.from({ length: 30 }, (_, n) => event(cluster, n)),
        event(cluster, 100, {
          namespace: 'ops',
          regarding: {
            kind: 'Deployment',
            name: 'cart',
            uid: 'dep-1',
            namespace: 'ops',
          },
          reason: 'ScalingReplicaSet',
          type: 'Normal',
        }),
      ]);
      const warnings = await store.listEvents({
        cluster,
        type: 'Warning',
        limit: 5,
      });
      expect(warnings.total).toBe(15);
      expect(warnings.items).toHaveLength(5);
      // newest first
      expect(warnings.items.map(e => e.uid)).toEqual([
        'ev-29',
        'ev-27',
        'ev-25',
        'ev-23',
        'ev-21',
      ]);
      const second = await store.listEvents({
        cluster,
        type: 'Warning',
        limit: 5,
        offset: 5,
      });
      expect(second.items[0].uid).toBe('ev-19');
      expect(
        (await store.listEvents({ cluster, regardingUids: ['pod-0', 'pod-2'] }))
          .total,
      ).toBe(20);
      expect(
        (await store.listEvents({ cluster, namespace: 'ops' })).total,
      ).toBe(1);
      expect(
        (await store.listEvents({ cluster, regardingKind: 'Deployment' }))
          .items[0].uid,
      ).toBe('ev-100');
      expect(
        (
          await store.listEvents({
            cluster,
            regardingKind: 'Pod',
            regardingName: 'cart-0',
          })
        ).total,
      ).toBe(10);
      expect(
        (await store.listEvents({ cluster, reasons: ['Pulled'] })).total,
      ).toBe(15);
      const window = await store.listEvents({
        cluster,
        since: new Date(T0 + 10_000),
        until: new Date(T0 + 14_000).toISOString(),
      });
      expect(window.items.map(e => e.uid)).toEqual([
        'ev-14',
        'ev-13',
        'ev-12',
        'ev-11',
        'ev-10',
      ]);
    },
  );

  it.each(each)(
    'core/v1 and events.k8s.io/v1 normalise to the same row on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      const core = normalizeCoreEvent(cluster, {
        metadata: {
          uid: 'e-1',
          name: 'cart.1',
          namespace: 'shop',
          resourceVersion: '10',
        },
        involvedObject: {
          kind: 'Pod',
          name: 'cart',
          namespace: 'shop',
          uid: 'p-1',
          fieldPath: 'spec.containers{app}',
        },
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        type: 'Warning',
        count: 3,
        firstTimestamp: new Date(T0),
        lastTimestamp: new Date(T0 + 5000),
        source: { component: 'kubelet', host: 'node-a' },
      });
      const v1 = normalizeEventsV1Event(cluster, {
        metadata: {
          uid: 'e-1',
          name: 'cart.1',
          namespace: 'shop',
          resourceVersion: '10',
        },
        regarding: {
          kind: 'Pod',
          name: 'cart',
          namespace: 'shop',
          uid: 'p-1',
          fieldPath: 'spec.containers{app}',
        },
        reason: 'BackOff',
        note: 'Back-off restarting failed container',
        type: 'Warning',
        eventTime: null,
        deprecatedCount: 3,
        deprecatedFirstTimestamp: new Date(T0).toISOString(),
        deprecatedLastTimestamp: new Date(T0 + 5000).toISOString(),
        deprecatedSource: { component: 'kubelet', host: 'node-a' },
      });
      expect({
        ...v1,
        firstAt: new Date(v1.firstAt as string),
        lastAt: new Date(v1.lastAt as string),
      }).toEqual(core);
      await store.upsertEvents([core]);
      await store.upsertEvents([v1]);
      const page = await store.listEvents({ cluster });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        count: 3,
        reportingController: 'kubelet',
        reportingInstance: 'node-a',
        regarding: { fieldPath: 'spec.containers{app}' },
      });
      // a series (events.k8s.io/v1 with series) updates the same row
      await store.upsertEvents([
        normalizeEventsV1Event(cluster, {
          metadata: {
            uid: 'e-1',
            name: 'cart.1',
            namespace: 'shop',
            resourceVersion: '11',
          },
          regarding: { kind: 'Pod', name: 'cart', uid: 'p-1' },
          reason: 'BackOff',
          note: 'Back-off restarting failed container',
          type: 'Warning',
          eventTime: new Date(T0),
          series: { count: 8, lastObservedTime: new Date(T0 + 90_000) },
          reportingController: 'kubelet',
        }),
      ]);
      const after = await store.listEvents({ cluster });
      expect(after.items[0]).toMatchObject({
        count: 8,
        firstAt: new Date(T0).toISOString(),
        lastAt: new Date(T0 + 90_000).toISOString(),
      });
    },
  );

  it.each(each)('hostile messages are cleaned and capped on %p', async id => {
    const { store } = await shared(id);
    const cluster = uniqueCluster();
    await store.upsertEvents([
      event(cluster, 1, {
        message: `nul\u0000 and \udc00 and ${'é'.repeat(5000)}`,
        reason: 'R'.repeat(300),
      }),
    ]);
    const [row] = (await store.listEvents({ cluster })).items;
    expect(row.message?.startsWith('nul and \ufffd and éé')).toBe(true);
    expect(Buffer.byteLength(row.message ?? '')).toBeLessThanOrEqual(4096);
    expect(row.reason).toHaveLength(128);

    // array-literal and SQL metacharacters survive the PostgreSQL unnest path unchanged
    const tricky = `{"a","b"},\\ NULL ) '; DROP TABLE events; -- \t\n\u2028 😀`;
    await store.upsertEvents([
      event(cluster, 2, { message: tricky, reason: 'NULL', name: '{}' }),
    ]);
    const [again] = (await store.listEvents({ cluster, reasons: ['NULL'] }))
      .items;
    expect(again).toMatchObject({
      message: tricky,
      reason: 'NULL',
      name: '{}',
    });
  });
});
