import { storeTestDatabases } from './__testUtils__/databases';
import { IncidentInput } from './types';

const { each, fresh } = storeTestDatabases();
const T0 = Date.parse('2026-11-20T10:00:00Z');
const MIN = 60_000;

const input = (overrides: Partial<IncidentInput> = {}): IncidentInput => ({
  type: 'crash-loop',
  severity: 'critical',
  fingerprint: 'crash-loop|prod|shop|Deployment/cart|app',
  cluster: 'prod',
  namespace: 'shop',
  workloadKind: 'Deployment',
  workloadName: 'cart',
  container: 'app',
  summary: 'cart crash loop',
  occurrences: 1,
  firstSeenAt: T0,
  lastSeenAt: T0,
  ...overrides,
});

describe('incident lookups by fingerprint and per-entity statistics', () => {
  it.each(each)('counts recurrences and MTTR per type on %p', async id => {
    const { store } = await fresh(id);
    const a = await store.upsertIncident(input(), T0);
    await store.resolveIncident(a.incident.id, T0 + 10 * MIN);
    const b = await store.upsertIncident(
      input({ firstSeenAt: T0 + 20 * MIN, lastSeenAt: T0 + 20 * MIN }),
      T0 + 20 * MIN,
    );
    await store.resolveIncident(b.incident.id, T0 + 50 * MIN);
    await store.upsertIncident(
      input({ firstSeenAt: T0 + 60 * MIN, lastSeenAt: T0 + 60 * MIN }),
      T0 + 60 * MIN,
    );
    await store.upsertIncident(
      input({
        type: 'oom-killed',
        fingerprint: 'oom-killed|prod|shop|Deployment/cart|app',
      }),
      T0,
    );
    await store.upsertIncident(
      input({
        workloadName: 'other',
        fingerprint: 'crash-loop|prod|shop|Deployment/other|app',
      }),
      T0,
    );

    const stats = await store.incidentStats({
      cluster: 'prod',
      namespace: 'shop',
      workloadKind: 'Deployment',
      workloadName: 'cart',
    });
    expect(stats).toMatchObject({
      total: 4,
      open: 2,
      recurrences: 2,
      mttrMs: 20 * MIN,
      resolvedDurationMs: 40 * MIN,
    });
    expect(stats.byType['crash-loop']).toMatchObject({
      total: 3,
      open: 1,
      recurrences: 2,
      mttrMs: 20 * MIN,
    });
    expect(stats.byType['oom-killed']).toEqual({
      total: 1,
      open: 1,
      recurrences: 0,
      resolvedDurationMs: 0,
    });

    const latestResolved = await store.listIncidents({
      fingerprints: [input().fingerprint],
      statuses: ['resolved'],
      limit: 1,
    });
    expect(latestResolved.items[0].id).toBe(b.incident.id);
    expect(
      (await store.listIncidents({ workloadName: 'other', namespace: 'shop' }))
        .total,
    ).toBe(1);
  });
});
