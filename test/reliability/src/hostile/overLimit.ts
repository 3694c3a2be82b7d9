/**
 * With the default `logs.limitBytes`, a line longer than the limit must not stop the capture
 * of the lines after it (each tail run reads from the last stored line on).
 */
import { POD_WATCH_DEFAULTS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import { LogCollector } from '@pod-watch/plugin-pod-watch-backend/src/collector/LogCollector';
import { ScratchDatabase } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { Collection, putPod, runningPod, waitFor } from './capture';
import { storedLines } from './store';

/** Returns the lines stored for a container that logged before / over-limit / after. */
export async function captureAroundOverLimitLine(
  db: ScratchDatabase,
  collection: Collection,
  namespace: string,
): Promise<{ stored: string[]; written: number; limit: number }> {
  const { sim, cluster } = collection;
  const limit = POD_WATCH_DEFAULTS.logs.limitBytes;
  sim.cluster.ensureNamespace(namespace);
  const containers = [
    {
      name: 'app',
      lines: ['before', `huge ${'y'.repeat(limit + 1024)}`, 'after-1'],
    },
  ];
  const pod = putPod(
    sim,
    runningPod(namespace, 'over-limit', containers),
    containers,
  );
  await waitFor(
    async () =>
      (
        await db
          .knex('containers')
          .where({ cluster, pod_uid: pod.metadata.uid })
      ).length > 0,
    30_000,
    'over-limit pod stored',
  );
  const collector = new LogCollector({
    cluster,
    client: collection.client,
    store: db.store,
    logger: collection.logger,
    config: {
      logs: POD_WATCH_DEFAULTS.logs,
      namespaces: POD_WATCH_DEFAULTS.namespaces,
    },
  });
  await collector.collectTails(namespace);
  sim.logs.append(namespace, pod.metadata.name, 'app', {
    ts: sim.clock.now(),
    text: 'after-2',
  });
  await collector.collectTails(namespace);
  await collector.collectTails(namespace);
  return {
    stored: await storedLines(db.knex, cluster, pod.metadata.name, 'app'),
    written: 4,
    limit,
  };
}
