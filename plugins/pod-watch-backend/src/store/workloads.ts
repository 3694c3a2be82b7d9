import {
  Binding,
  clampLimit,
  inTransaction,
  int,
  iso,
  isoRequired,
  num,
  opt,
  placeholders,
  requireMs,
  StoreContext,
  takeExcluded,
  toMs,
  upsertRows,
} from './batching';
import {
  changedInputs,
  markDeleted,
  markMissingDeleted,
  replaceLabels,
  rowsOf,
} from './objects';
import { parseJson, requiredString, safeJson, safeString } from './safeText';
import { compileSelector } from './selector';
import {
  Page,
  SelectorRequirement,
  TimeInput,
  WorkloadInput,
  WorkloadRow,
  WriteResult,
} from './types';

const COLUMNS = [
  'cluster',
  'uid',
  'kind',
  'namespace',
  'name',
  'desired_replicas',
  'current_replicas',
  'ready_replicas',
  'available_replicas',
  'updated_replicas',
  'succeeded',
  'failed',
  'active',
  'generation',
  'observed_generation',
  'owner_kind',
  'owner_name',
  'owner_uid',
  'labels_json',
  'selector_json',
  'conditions_json',
  'resource_version',
  'created_at',
  'first_seen_at',
  'last_seen_at',
  'deleted_at',
] as const;

function values(w: WorkloadInput): unknown[] {
  const seen = requireMs(w.seenAt, 'workload seenAt');
  return [
    requiredString(w.cluster, 253),
    requiredString(w.uid, 64),
    requiredString(w.kind, 64),
    requiredString(w.namespace, 253),
    requiredString(w.name, 253),
    int(w.desiredReplicas),
    int(w.currentReplicas),
    int(w.readyReplicas),
    int(w.availableReplicas),
    int(w.updatedReplicas),
    int(w.succeeded),
    int(w.failed),
    int(w.active),
    w.generation ?? null,
    w.observedGeneration ?? null,
    safeString(w.owner?.kind, 64),
    safeString(w.owner?.name, 253),
    safeString(w.owner?.uid, 64),
    safeJson(w.labels ?? {}, 64 * 1024) ?? '{}',
    safeJson(w.selector, 16 * 1024),
    safeJson(w.conditions, 16 * 1024),
    safeString(w.resourceVersion, 64),
    toMs(w.createdAt) ?? null,
    seen,
    seen,
    toMs(w.deletedAt) ?? null,
  ];
}

/** Writes Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs; unchanged ones are skipped. */
export async function upsertWorkloads(
  ctx: StoreContext,
  workloads: readonly WorkloadInput[],
): Promise<WriteResult> {
  if (workloads.length === 0) {
    return { written: 0, unchanged: 0 };
  }
  return inTransaction(ctx, async trx => {
    const changed = await changedInputs(ctx, trx, 'workloads', workloads);
    const update = takeExcluded(COLUMNS, ['cluster', 'uid', 'first_seen_at']);
    update.last_seen_at =
      'CASE WHEN excluded.last_seen_at > workloads.last_seen_at THEN excluded.last_seen_at ELSE workloads.last_seen_at END';
    await upsertRows(
      ctx,
      trx,
      {
        table: 'workloads',
        columns: COLUMNS,
        conflict: ['cluster', 'uid'],
        update,
      },
      changed.map(values),
    );
    await replaceLabels(ctx, trx, 'workload_labels', 'workload_uid', changed);
    return {
      written: changed.length,
      unchanged: workloads.length - changed.length,
    };
  });
}

export async function markWorkloadsDeleted(
  ctx: StoreContext,
  cluster: string,
  uids: readonly string[],
  at: TimeInput,
): Promise<number> {
  return markDeleted(
    ctx,
    'workloads',
    cluster,
    uids,
    requireMs(at, 'deleted at'),
  );
}

export async function markMissingWorkloadsDeleted(
  ctx: StoreContext,
  options: {
    cluster: string;
    kind: string;
    namespace?: string;
    presentUids: readonly string[];
    at: TimeInput;
  },
): Promise<string[]> {
  return markMissingDeleted(ctx, 'workloads', {
    ...options,
    at: requireMs(options.at, 'deleted at'),
  });
}

function toRow(r: Record<string, unknown>): WorkloadRow {
  return {
    cluster: r.cluster as string,
    uid: r.uid as string,
    kind: r.kind as string,
    namespace: r.namespace as string,
    name: r.name as string,
    desiredReplicas: num(r.desired_replicas),
    currentReplicas: num(r.current_replicas),
    readyReplicas: num(r.ready_replicas),
    availableReplicas: num(r.available_replicas),
    updatedReplicas: num(r.updated_replicas),
    succeeded: num(r.succeeded),
    failed: num(r.failed),
    active: num(r.active),
    generation: num(r.generation),
    observedGeneration: num(r.observed_generation),
    owner: r.owner_kind
      ? {
          kind: r.owner_kind as string,
          name: r.owner_name as string,
          uid: opt(r.owner_uid as string),
        }
      : undefined,
    labels: parseJson<Record<string, string>>(r.labels_json) ?? {},
    selector: parseJson(r.selector_json),
    conditions: parseJson<unknown[]>(r.conditions_json),
    resourceVersion: opt(r.resource_version as string),
    createdAt: iso(r.created_at),
    firstSeenAt: isoRequired(r.first_seen_at),
    lastSeenAt: isoRequired(r.last_seen_at),
    deletedAt: iso(r.deleted_at),
  };
}

export interface WorkloadQuery {
  cluster?: string;
  namespace?: string;
  kinds?: string[];
  /** workloads owned by this uid (ReplicaSets of a Deployment, Jobs of a CronJob) */
  ownerUid?: string;
  uids?: string[];
  /** label selector over the workloads' own labels */
  selector?: SelectorRequirement[];
  clusters?: string[];
  namespaces?: string[];
  includeDeleted?: boolean;
  limit?: number;
  offset?: number;
}

export async function listWorkloads(
  ctx: StoreContext,
  query: WorkloadQuery,
): Promise<Page<WorkloadRow>> {
  const where: string[] = [];
  const bindings: Binding[] = [];
  if (query.selector) {
    const s = compileSelector(query.selector, {
      table: 'workload_labels',
      uidColumn: 'workload_uid',
      outer: 'w',
    });
    where.push(s.sql);
    bindings.push(...s.bindings);
  }
  const inList = (column: string, list: readonly Binding[] | undefined) => {
    if (!list) return;
    if (list.length === 0) {
      where.push('1 = 0');
      return;
    }
    where.push(`${column} IN (${placeholders(list.length)})`);
    bindings.push(...list);
  };
  if (query.cluster !== undefined) inList('w.cluster', [query.cluster]);
  if (query.namespace !== undefined) inList('w.namespace', [query.namespace]);
  if (query.ownerUid !== undefined) inList('w.owner_uid', [query.ownerUid]);
  inList('w.kind', query.kinds);
  inList('w.uid', query.uids);
  inList('w.cluster', query.clusters);
  inList('w.namespace', query.namespaces);
  if (!query.includeDeleted) {
    where.push('w.deleted_at IS NULL');
  }
  const whereSql = where.length ? where.join(' AND ') : '1 = 1';
  const limit = clampLimit(query.limit, 500, 5000);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const [rows, count] = await Promise.all([
    ctx.knex.raw(
      `SELECT w.* FROM workloads w WHERE ${whereSql} ORDER BY w.namespace, w.kind, w.name, w.uid LIMIT ? OFFSET ?`,
      [...bindings, limit, offset],
    ),
    ctx.knex.raw(
      `SELECT COUNT(*) AS n FROM workloads w WHERE ${whereSql}`,
      bindings,
    ),
  ]);
  return {
    items: rowsOf<Record<string, unknown>>(ctx, rows).map(toRow),
    total: num(rowsOf<{ n: unknown }>(ctx, count)[0]?.n) ?? 0,
  };
}
