import { storeTestDatabases } from './__testUtils__/databases';
import { IncidentInput } from './types';

const { each, fresh } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');

const input = (overrides: Partial<IncidentInput> = {}): IncidentInput => ({
  type: 'crash-loop',
  severity: 'critical',
  fingerprint: 'crash-loop:prod:shop:Deployment/cart:app',
  entityRef: 'component:default/cart',
  cluster: 'prod',
  namespace: 'shop',
  workloadKind: 'Deployment',
  workloadName: 'cart',
  podUid: 'pod-1',
  podName: 'cart-1',
  container: 'app',
  summary: 'cart/app is crash looping',
  rootCauseHint: 'OOMKilled (exit 137): memory limit too low?',
  occurrences: 3,
  firstSeenAt: T0,
  lastSeenAt: T0 + 60_000,
  evidence: { events: [1, 2], logLines: [7], changes: [] },
  ...overrides,
});

describe('incidents', () => {
  it.each(each)(
    'opens, updates idempotently, resolves and links recurrences on %p',
    async id => {
      const { store } = await fresh(id);
      const opened = await store.upsertIncident(input(), T0 + 60_000);
      expect(opened.created).toBe(true);
      expect(opened.incident).toMatchObject({
        status: 'open',
        occurrences: 3,
        openedAt: new Date(T0 + 60_000).toISOString(),
        evidence: { events: [1, 2], logLines: [7], changes: [] },
      });
      // same observation again, later: nothing changes, not even updatedAt
      const again = await store.upsertIncident(input(), T0 + 120_000);
      expect(again).toEqual({ incident: opened.incident, created: false });
      // more occurrences
      const grown = await store.upsertIncident(
        input({ occurrences: 5, lastSeenAt: T0 + 180_000 }),
        T0 + 180_000,
      );
      expect(grown.incident).toMatchObject({
        id: opened.incident.id,
        occurrences: 5,
        lastSeenAt: new Date(T0 + 180_000).toISOString(),
      });
      // a stale, smaller count does not go backwards
      const stale = await store.upsertIncident(
        input({ occurrences: 2 }),
        T0 + 190_000,
      );
      expect(stale.incident.occurrences).toBe(5);

      expect(
        await store.resolveIncident(opened.incident.id, T0 + 300_000),
      ).toBe(true);
      expect(
        await store.resolveIncident(opened.incident.id, T0 + 400_000),
      ).toBe(false);
      expect(await store.findOpenIncident(input().fingerprint)).toBeUndefined();

      const recurrence = await store.upsertIncident(
        input({ firstSeenAt: T0 + 500_000, lastSeenAt: T0 + 500_000 }),
        T0 + 500_000,
      );
      expect(recurrence.created).toBe(true);
      expect(recurrence.incident.recurrenceOf).toBe(opened.incident.id);

      await store.upsertIncident(
        input({
          type: 'image-pull',
          fingerprint: 'image-pull:x',
          entityRef: 'component:default/other',
          severity: 'error',
        }),
        T0 + 600_000,
      );
      const byEntity = await store.listIncidents({
        entityRef: 'component:default/cart',
      });
      expect(byEntity.total).toBe(2);
      expect(byEntity.items.map(i => i.status)).toEqual(['open', 'resolved']);
      expect((await store.listIncidents({ statuses: ['open'] })).total).toBe(2);
      expect(
        (await store.listIncidents({ types: ['image-pull'] })).items[0]
          .entityRef,
      ).toBe('component:default/other');
      expect(
        (
          await store.listIncidents({
            since: T0 + 450_000,
            until: T0 + 550_000,
          })
        ).items.map(i => i.id),
      ).toEqual([recurrence.incident.id]);
      expect((await store.getIncident(opened.incident.id))?.resolvedAt).toBe(
        new Date(T0 + 300_000).toISOString(),
      );
    },
  );

  it.each(each)(
    'concurrent opens of one fingerprint end in one open incident on %p',
    async id => {
      const { store } = await fresh(id);
      const results = await Promise.all(
        [1, 2, 3, 4].map(n =>
          store.upsertIncident(input({ occurrences: n }), T0),
        ),
      );
      expect(new Set(results.map(r => r.incident.id)).size).toBe(1);
      const open = await store.listIncidents({ statuses: ['open'] });
      expect(open.total).toBe(1);
      expect(open.items[0].occurrences).toBe(4);
    },
  );
});

describe('incidents about an entity', () => {
  it.each(each)(
    'match by entity ref, pod uid or workload (OR) on %p',
    async id => {
      const { store } = await fresh(id);
      const open = (fingerprint: string, o: Partial<IncidentInput>) =>
        store.upsertIncident(
          input({
            fingerprint,
            entityRef: undefined,
            workloadKind: undefined,
            workloadName: undefined,
            podUid: undefined,
            ...o,
          }),
          T0,
        );
      await open('by-ref', { entityRef: 'component:default/cart' });
      await open('by-pod', { podUid: 'pod-7' });
      await open('by-workload', {
        workloadKind: 'Deployment',
        workloadName: 'cart',
      });
      await open('other-namespace', {
        namespace: 'other',
        workloadKind: 'Deployment',
        workloadName: 'cart',
      });
      await open('other-kind', {
        workloadKind: 'StatefulSet',
        workloadName: 'cart',
      });
      const fingerprints = async (about: object) =>
        (await store.listIncidents({ about })).items
          .map(i => i.fingerprint)
          .sort();
      expect(
        await fingerprints({
          entityRef: 'component:default/cart',
          podUids: ['pod-7'],
          workloads: [
            {
              cluster: 'prod',
              namespace: 'shop',
              kind: 'Deployment',
              name: 'cart',
            },
            {
              cluster: 'prod',
              namespace: 'shop',
              kind: 'Deployment',
              name: 'web',
            },
          ],
        }),
      ).toEqual(['by-pod', 'by-ref', 'by-workload']);
      expect(await fingerprints({ podUids: ['pod-7'] })).toEqual(['by-pod']);
      expect(await fingerprints({})).toEqual([]);
      expect(await fingerprints({ podUids: [], workloads: [] })).toEqual([]);
    },
  );
});
