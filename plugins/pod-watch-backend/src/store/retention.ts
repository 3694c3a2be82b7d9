import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { Knex } from 'knex';
import { Binding, chunk, num, placeholders, StoreContext } from './batching';
import { affected, rowsOf } from './objects';
import { RetentionPolicy, RetentionResult } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RETENTION_DAYS = 14;
/** rows per delete statement, sized so one batch holds its locks for ~100 ms at 1M rows */
export const DEFAULT_RETENTION_BATCH = { sqlite: 1000, pg: 5000 } as const;

/**
 * Reads `podWatch.retention`:
 *   days            default for every table (14)
 *   events | logs | history | incidents | gaps | deletedObjects   per-table override, days
 *   batchSize       rows per delete statement (1000 on SQLite, 5000 on PostgreSQL)
 *   intervalMinutes how often the task runs (60)
 */
export function readRetentionConfig(config: Config): RetentionPolicy & {
  intervalMinutes: number;
} {
  const c = config.getOptionalConfig('podWatch.retention');
  const positive = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`podWatch.retention.${key} must be a positive number`);
    }
    return value;
  };
  const days = positive('days', DEFAULT_RETENTION_DAYS);
  return {
    events: positive('events', days),
    logs: positive('logs', days),
    history: positive('history', days),
    incidents: positive('incidents', days),
    gaps: positive('gaps', days),
    deletedObjects: positive('deletedObjects', days),
    batchSize: c?.has('batchSize')
      ? Math.max(1, Math.trunc(positive('batchSize', 1)))
      : undefined,
    intervalMinutes: positive('intervalMinutes', 60),
  };
}

export function defaultRetentionPolicy(): RetentionPolicy {
  const d = DEFAULT_RETENTION_DAYS;
  return {
    events: d,
    logs: d,
    history: d,
    incidents: d,
    gaps: d,
    deletedObjects: d,
  };
}

const yieldToEventLoop = () => new Promise(resolve => setImmediate(resolve));

/**
 * Deletes by id in bounded batches: each statement touches at most `batch` rows and runs in its
 * own implicit transaction, so no lock is held for long and writers interleave between batches.
 */
async function deleteByIdBatches(
  ctx: StoreContext,
  table: string,
  condition: string,
  bindings: Binding[],
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await ctx.knex.raw(
      `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} LIMIT ?)`,
      [...bindings, batch],
    );
    const n = affected(ctx, result);
    total += n;
    if (n < batch) return total;
    await yieldToEventLoop();
  }
}

/** Deleted objects keyed by (cluster, uid) and their child rows, batch by batch. */
async function deleteObjectBatches(
  ctx: StoreContext,
  table: 'pods' | 'workloads' | 'watched_objects',
  children: Array<{ table: string; uidColumn: string }>,
  cutoff: number,
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const keys = rowsOf<{ cluster: string; uid: string }>(
      ctx,
      await ctx.knex.raw(
        `SELECT cluster, uid FROM ${table} WHERE deleted_at IS NOT NULL AND deleted_at < ? LIMIT ?`,
        [cutoff, batch],
      ),
    );
    if (keys.length === 0) return total;
    const byCluster = new Map<string, string[]>();
    for (const k of keys) {
      byCluster.set(k.cluster, [...(byCluster.get(k.cluster) ?? []), k.uid]);
    }
    await ctx.knex.transaction(async (trx: Knex.Transaction) => {
      for (const [cluster, uids] of byCluster) {
        for (const part of chunk(uids, 900)) {
          for (const child of children) {
            await trx.raw(
              `DELETE FROM ${child.table} WHERE cluster = ? AND ${
                child.uidColumn
              } IN (${placeholders(part.length)})`,
              [cluster, ...part],
            );
          }
          await trx.raw(
            `DELETE FROM ${table} WHERE cluster = ? AND uid IN (${placeholders(
              part.length,
            )})`,
            [cluster, ...part],
          );
        }
      }
    });
    total += keys.length;
    if (keys.length < batch) return total;
    await yieldToEventLoop();
  }
}

/** Applies the retention policy once; returns rows deleted per table. */
export async function applyRetention(
  ctx: StoreContext,
  policy: RetentionPolicy,
  now: number = Date.now(),
): Promise<RetentionResult> {
  const cutoff = (days: number) => now - days * DAY_MS;
  const batch = Math.max(
    1,
    Math.trunc(policy.batchSize ?? DEFAULT_RETENTION_BATCH[ctx.engine]),
  );
  const deleted: Record<string, number> = {};
  deleted.events = await deleteByIdBatches(
    ctx,
    'events',
    'last_at < ?',
    [cutoff(policy.events)],
    batch,
  );
  deleted.log_lines = await deleteByIdBatches(
    ctx,
    'log_lines',
    'at < ?',
    [cutoff(policy.logs)],
    batch,
  );
  deleted.object_history = await deleteByIdBatches(
    ctx,
    'object_history',
    'at < ?',
    [cutoff(policy.history)],
    batch,
  );
  // open incidents are live state, never aged out
  deleted.incidents = await deleteByIdBatches(
    ctx,
    'incidents',
    "status = 'resolved' AND resolved_at < ?",
    [cutoff(policy.incidents)],
    batch,
  );
  deleted.observation_gaps = await deleteByIdBatches(
    ctx,
    'observation_gaps',
    'ended_at IS NOT NULL AND ended_at < ?',
    [cutoff(policy.gaps)],
    batch,
  );
  const objects = cutoff(policy.deletedObjects);
  deleted.pods = await deleteObjectBatches(
    ctx,
    'pods',
    [
      { table: 'pod_labels', uidColumn: 'pod_uid' },
      { table: 'containers', uidColumn: 'pod_uid' },
    ],
    objects,
    batch,
  );
  deleted.workloads = await deleteObjectBatches(
    ctx,
    'workloads',
    [{ table: 'workload_labels', uidColumn: 'workload_uid' }],
    objects,
    batch,
  );
  deleted.watched_objects = await deleteObjectBatches(
    ctx,
    'watched_objects',
    [],
    objects,
    batch,
  );
  // endpoints are pruned on every slice update; this only catches services whose slices
  // vanished while nobody watched
  let endpoints = 0;
  for (;;) {
    const result = await ctx.knex.raw(
      `DELETE FROM service_endpoints WHERE (cluster, namespace, service, slice, ip) IN (SELECT cluster, namespace, service, slice, ip FROM service_endpoints WHERE last_seen_at < ? LIMIT ?)`,
      [objects, batch],
    );
    const n = affected(ctx, result);
    endpoints += n;
    if (n < batch) break;
    await yieldToEventLoop();
  }
  deleted.service_endpoints = endpoints;
  await refreshStatistics(ctx);
  return { deleted };
}

/**
 * Refreshes planner statistics. Selector queries join pods with pod_labels; without statistics
 * (fresh tables) PostgreSQL may pick a nested loop that is ~100x slower. Autovacuum normally
 * covers this within a minute; the retention task calls it too, and the collector may call it
 * after an initial list. SQLite: bounded ANALYZE (analysis_limit) so it stays cheap at 1M rows.
 */
export async function refreshStatistics(ctx: StoreContext): Promise<void> {
  if (ctx.engine === 'pg') {
    await ctx.knex.raw(
      'ANALYZE pods, pod_labels, containers, workloads, workload_labels, events, log_lines, object_history, incidents',
    );
    return;
  }
  await ctx.knex.raw('PRAGMA analysis_limit = 1000');
  await ctx.knex.raw('ANALYZE');
}

/** Row counts per table, for tests, the bench and the health route. */
export async function countRows(
  ctx: StoreContext,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await ctx.knex(table).count({ n: '*' });
    out[table] = num((row as { n: unknown }).n) ?? 0;
  }
  return out;
}

/**
 * Registers the retention task with the scheduler (global scope: one replica runs it).
 * To be called from plugin.ts.
 */
export async function scheduleRetention(options: {
  scheduler: SchedulerService;
  config: Config;
  logger: LoggerService;
  run: (policy: RetentionPolicy) => Promise<RetentionResult>;
}): Promise<void> {
  const { intervalMinutes, ...policy } = readRetentionConfig(options.config);
  await options.scheduler.scheduleTask({
    id: 'pod-watch-retention',
    scope: 'global',
    frequency: { minutes: intervalMinutes },
    timeout: { minutes: Math.max(5, intervalMinutes) },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const started = Date.now();
      const { deleted } = await options.run(policy);
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      options.logger.info(
        `Pod Watch retention deleted ${total} rows in ${
          Date.now() - started
        } ms`,
        { deleted: JSON.stringify(deleted) },
      );
    },
  });
}
