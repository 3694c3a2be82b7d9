import { ConfigReader } from '@backstage/config';
import { storeTestDatabases } from './__testUtils__/databases';
import { readRetentionConfig } from './retention';
import { RetentionPolicy } from './types';

const { each, fresh } = storeTestDatabases();
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-20T00:00:00Z');

describe('retention', () => {
  it.each(each)(
    'deletes expired rows of every table in bounded batches on %p',
    async id => {
      const { store } = await fresh(id);
      const cluster = 'prod';
      const old = NOW - 20 * DAY;
      const recent = NOW - 1 * DAY;
      const times = (n: number) => (n % 2 ? old : recent);

      await store.upsertEvents(
        Array.from({ length: 23 }, (_, n) => ({
          cluster,
          uid: `e-${n}`,
          name: `e-${n}`,
          count: 1,
          firstAt: times(n),
          lastAt: times(n),
        })),
      );
      await store.insertLogLines(
        Array.from({ length: 17 }, (_, n) => ({
          cluster,
          namespace: 'ns',
          podUid: 'p',
          podName: 'p',
          container: 'c',
          instance: 0,
          source: 'live' as const,
          at: times(n),
          level: 'info' as const,
          text: `l${n}`,
        })),
      );
      await store.recordHistory(
        Array.from({ length: 9 }, (_, n) => ({
          cluster,
          objectUid: 'o',
          kind: 'Deployment',
          name: 'd',
          verb: 'update' as const,
          resourceVersion: `${n}`,
          at: times(n),
        })),
      );
      const pods = Array.from({ length: 11 }, (_, n) => ({
        cluster,
        uid: `p-${n}`,
        namespace: 'ns',
        name: `p-${n}`,
        status: 'Running',
        ready: '1/1',
        restarts: 0,
        health: 'healthy' as const,
        attention: 0,
        labels: { app: 'a' },
        containers: [
          {
            name: 'c',
            type: 'app' as const,
            ready: true,
            state: 'running' as const,
            restartCount: 0,
          },
        ],
        seenAt: old,
      }));
      await store.upsertPods(pods);
      // odd pods were deleted long ago, even ones recently or not at all
      await store.markPodsDeleted(
        cluster,
        pods.filter((_, n) => n % 2).map(p => p.uid),
        old,
      );
      await store.markPodsDeleted(cluster, ['p-0'], recent);
      await store.upsertWorkloads([
        {
          cluster,
          uid: 'w-old',
          kind: 'Job',
          namespace: 'ns',
          name: 'old',
          labels: { a: 'b' },
          seenAt: old,
          deletedAt: old,
        },
        {
          cluster,
          uid: 'w-live',
          kind: 'Job',
          namespace: 'ns',
          name: 'live',
          labels: { a: 'b' },
          seenAt: old,
        },
      ]);
      await store.upsertWatchedObjects([
        {
          cluster,
          uid: 'cr-old',
          apiVersion: 'x/v1',
          kind: 'W',
          name: 'old',
          seenAt: old,
          deletedAt: old,
        },
      ]);
      await store.replaceServiceEndpoints({
        cluster,
        namespace: 'ns',
        service: 's',
        slice: 'gone',
        endpoints: [{ ip: '10.0.0.1' }],
        seenAt: old,
      });
      const first = await store.upsertIncident(
        {
          type: 't',
          severity: 'error',
          fingerprint: 'a',
          summary: 's',
          occurrences: 1,
          firstSeenAt: old,
          lastSeenAt: old,
        },
        old,
      );
      await store.resolveIncident(first.incident.id, old);
      await store.upsertIncident(
        {
          type: 't',
          severity: 'error',
          fingerprint: 'b',
          summary: 's',
          occurrences: 1,
          firstSeenAt: old,
          lastSeenAt: old,
        },
        old,
      );
      await store.openGap({ cluster, kind: 'pods', startedAt: old - 1 });
      await store.closeGaps({ cluster, kind: 'pods', endedAt: old });
      await store.openGap({ cluster, kind: 'events', startedAt: old });

      const policy: RetentionPolicy = {
        events: 14,
        logs: 14,
        history: 14,
        incidents: 14,
        gaps: 14,
        deletedObjects: 14,
        batchSize: 4, // forces several batches per table
      };
      const result = await store.applyRetention(policy, NOW);
      expect(result.deleted).toEqual({
        events: 11,
        log_lines: 8,
        object_history: 4,
        incidents: 1,
        observation_gaps: 1,
        pods: 5,
        workloads: 1,
        watched_objects: 1,
        service_endpoints: 1,
      });
      expect(await store.countRows()).toMatchObject({
        events: 12,
        log_lines: 9,
        object_history: 5,
        pods: 6,
        pod_labels: 6,
        containers: 6,
        workloads: 1,
        workload_labels: 1,
        watched_objects: 0,
        service_endpoints: 0,
        incidents: 1, // the open one stays however old
        observation_gaps: 1, // the open gap stays
      });
      // a second run finds nothing
      const again = await store.applyRetention(policy, NOW);
      expect(Object.values(again.deleted).every(n => n === 0)).toBe(true);
      // shorter retention for one table only
      const logs = await store.applyRetention({ ...policy, logs: 0.5 }, NOW);
      expect(logs.deleted.log_lines).toBe(9);
      expect(logs.deleted.events).toBe(0);
    },
  );
});

describe('readRetentionConfig', () => {
  it('defaults to 14 days and reads per-table overrides', () => {
    expect(readRetentionConfig(new ConfigReader({}))).toEqual({
      events: 14,
      logs: 14,
      history: 14,
      incidents: 14,
      gaps: 14,
      deletedObjects: 14,
      batchSize: undefined,
      intervalMinutes: 60,
    });
    expect(
      readRetentionConfig(
        new ConfigReader({
          podWatch: { retention: { days: 30, logs: 3, batchSize: 100 } },
        }),
      ),
    ).toMatchObject({ events: 30, logs: 3, incidents: 30, batchSize: 100 });
    expect(() =>
      readRetentionConfig(
        new ConfigReader({ podWatch: { retention: { events: -1 } } }),
      ),
    ).toThrow('podWatch.retention.events must be a positive number');
  });
});
