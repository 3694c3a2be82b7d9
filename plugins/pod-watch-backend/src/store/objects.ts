import { Knex } from 'knex';
import {
  chunk,
  placeholders,
  rowsPerStatement,
  StoreContext,
  upsertRows,
} from './batching';
import { safeString } from './safeText';

/** Tables of current-state objects keyed by (cluster, uid) with soft delete. */
export type ObjectTable = 'pods' | 'workloads' | 'watched_objects';

interface Existing {
  resourceVersion: string | null;
  deleted: boolean;
}

const key = (cluster: string, uid: string) => `${cluster}\u0000${uid}`;

function groupByCluster<T extends { cluster: string; uid: string }>(
  items: readonly T[],
): Map<string, string[]> {
  const byCluster = new Map<string, string[]>();
  for (const item of items) {
    const list = byCluster.get(item.cluster) ?? [];
    list.push(item.uid);
    byCluster.set(item.cluster, list);
  }
  return byCluster;
}

/** Stored resourceVersion and deleted flag of the given objects, keyed by cluster + uid. */
async function selectExisting(
  ctx: StoreContext,
  db: Knex | Knex.Transaction,
  table: ObjectTable,
  items: readonly { cluster: string; uid: string }[],
): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  for (const [cluster, uids] of groupByCluster(items)) {
    for (const part of chunk(uids, Math.min(ctx.maxVariables - 1, 5000))) {
      const rows: Array<{
        uid: string;
        resource_version: string | null;
        deleted_at: unknown;
      }> = await db
        .raw(
          `SELECT uid, resource_version, deleted_at FROM ${table} WHERE cluster = ? AND uid IN (${placeholders(
            part.length,
          )})`,
          [cluster, ...part],
        )
        .then(r => (ctx.engine === 'pg' ? r.rows : r));
      for (const row of rows) {
        out.set(key(cluster, row.uid), {
          resourceVersion: row.resource_version,
          deleted: row.deleted_at !== null && row.deleted_at !== undefined,
        });
      }
    }
  }
  return out;
}

/**
 * Keeps only inputs that change something: a watch event replayed with the resourceVersion
 * already stored (same deletion state) is dropped before any write. Inputs without a
 * resourceVersion are always written. Later duplicates of the same object win.
 */
export async function changedInputs<
  T extends {
    cluster: string;
    uid: string;
    resourceVersion?: string;
    deletedAt?: unknown;
  },
>(
  ctx: StoreContext,
  db: Knex | Knex.Transaction,
  table: ObjectTable,
  inputs: readonly T[],
): Promise<T[]> {
  const last = new Map<string, T>();
  for (const input of inputs) {
    last.set(key(input.cluster, input.uid), input);
  }
  const unique = [...last.values()];
  const existing = await selectExisting(ctx, db, table, unique);
  return unique.filter(input => {
    const stored = existing.get(key(input.cluster, input.uid));
    if (!stored || !input.resourceVersion) {
      return true;
    }
    return (
      stored.resourceVersion !== input.resourceVersion ||
      stored.deleted !==
        (input.deletedAt !== undefined && input.deletedAt !== null)
    );
  });
}

/**
 * Replaces the label rows of the given objects: one delete and one multi-row insert per batch
 * instead of a diff per object.
 */
export async function replaceLabels(
  ctx: StoreContext,
  trx: Knex.Transaction,
  table: 'pod_labels' | 'workload_labels',
  uidColumn: 'pod_uid' | 'workload_uid',
  objects: readonly {
    cluster: string;
    uid: string;
    labels?: Record<string, string>;
  }[],
): Promise<void> {
  await deleteChildren(trx, ctx, table, uidColumn, objects);
  const rows: unknown[][] = [];
  for (const obj of objects) {
    for (const [k, v] of Object.entries(obj.labels ?? {})) {
      rows.push([
        obj.cluster,
        obj.uid,
        safeString(k, 317),
        safeString(String(v), 63),
      ]);
    }
  }
  await upsertRows(
    ctx,
    trx,
    {
      table,
      columns: ['cluster', uidColumn, 'key', 'value'],
      conflict: ['cluster', uidColumn, 'key'],
      update: { value: 'excluded.value' },
    },
    rows,
  );
}

/** Deletes child rows (labels, containers) of the given objects. */
export async function deleteChildren(
  db: Knex | Knex.Transaction,
  ctx: StoreContext,
  table: string,
  uidColumn: string,
  objects: readonly { cluster: string; uid: string }[],
): Promise<void> {
  for (const [cluster, uids] of groupByCluster(objects)) {
    for (const part of chunk(uids, rowsPerStatement(ctx, 1) * 2)) {
      await db.raw(
        `DELETE FROM ${table} WHERE cluster = ? AND ${uidColumn} IN (${placeholders(
          part.length,
        )})`,
        [cluster, ...part],
      );
    }
  }
}

/**
 * Bumps last_seen_at of live objects a relist returned unchanged (their upsert was skipped as
 * a no-op), so "last seen" stays true without rewriting the rows.
 */
export async function markSeen(
  ctx: StoreContext,
  table: ObjectTable,
  cluster: string,
  uids: readonly string[],
  atMs: number,
): Promise<number> {
  let changed = 0;
  for (const part of chunk(uids, Math.min(ctx.maxVariables - 2, 5000))) {
    const result = await ctx.knex.raw(
      `UPDATE ${table} SET last_seen_at = ? WHERE cluster = ? AND deleted_at IS NULL AND last_seen_at < ? AND uid IN (${placeholders(
        part.length,
      )})`,
      [atMs, cluster, atMs, ...part],
    );
    changed += affected(ctx, result);
  }
  return changed;
}

/** Marks objects deleted (soft delete), keeping their last state for "last seen". */
export async function markDeleted(
  ctx: StoreContext,
  table: ObjectTable,
  cluster: string,
  uids: readonly string[],
  atMs: number,
): Promise<number> {
  let changed = 0;
  for (const part of chunk(uids, Math.min(ctx.maxVariables - 2, 5000))) {
    const result = await ctx.knex.raw(
      `UPDATE ${table} SET deleted_at = ? WHERE cluster = ? AND deleted_at IS NULL AND uid IN (${placeholders(
        part.length,
      )})`,
      [atMs, cluster, ...part],
    );
    changed += affected(ctx, result);
  }
  return changed;
}

/**
 * After a relist: marks deleted every live object of the cluster (optionally one namespace and
 * kind) that the list did not return. Returns the uids it marked.
 */
export async function markMissingDeleted(
  ctx: StoreContext,
  table: ObjectTable,
  options: {
    cluster: string;
    namespace?: string;
    kind?: string;
    presentUids: readonly string[];
    at: number;
  },
): Promise<string[]> {
  let query = ctx
    .knex(table)
    .select('uid')
    .where({ cluster: options.cluster })
    .whereNull('deleted_at');
  if (options.namespace !== undefined) {
    query = query.where({ namespace: options.namespace });
  }
  if (options.kind !== undefined) {
    query = query.where({ kind: options.kind });
  }
  const stored: Array<{ uid: string }> = await query;
  const present = new Set(options.presentUids);
  const missing = stored.map(r => r.uid).filter(uid => !present.has(uid));
  await markDeleted(ctx, table, options.cluster, missing, options.at);
  return missing;
}

/** Rows changed by an UPDATE/DELETE through knex.raw on either engine. */
export function affected(ctx: StoreContext, result: unknown): number {
  if (ctx.engine === 'pg') {
    return (result as { rowCount?: number }).rowCount ?? 0;
  }
  // knex's better-sqlite3 raw() returns the run() info for writes
  const r = result as { changes?: number } | unknown[];
  return Array.isArray(r) ? 0 : r.changes ?? 0;
}

/** Rows of a SELECT through knex.raw on either engine. */
export function rowsOf<T>(ctx: StoreContext, result: unknown): T[] {
  return ctx.engine === 'pg'
    ? (result as { rows: T[] }).rows ?? []
    : (result as T[]);
}
