import {
  Binding,
  bool,
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
  deleteChildren,
  markDeleted,
  markMissingDeleted,
  markSeen,
  replaceLabels,
  rowsOf,
} from './objects';
import {
  parseJson,
  requiredString,
  safeJson,
  safeString,
  safeText,
} from './safeText';
import { compileSelector } from './selector';
import {
  ContainerRow,
  POD_HEALTH_VALUES,
  PodHealth,
  PodInput,
  PodRow,
  PodSelectorQuery,
  PodSelectorResult,
  TimeInput,
  WriteResult,
} from './types';

const POD_COLUMNS = [
  'cluster',
  'uid',
  'namespace',
  'name',
  'node_name',
  'phase',
  'status',
  'ready',
  'restarts',
  'last_restart_at',
  'health',
  'attention',
  'top_issue_reason',
  'top_issue_message',
  'top_issue_container',
  'top_issue_severity',
  'owner_kind',
  'owner_name',
  'owner_uid',
  'workload_kind',
  'workload_name',
  'pod_ip',
  'labels_json',
  'resource_version',
  'created_at',
  'first_seen_at',
  'last_seen_at',
  'deleted_at',
] as const;

const CONTAINER_COLUMNS = [
  'cluster',
  'pod_uid',
  'name',
  'type',
  'position',
  'image',
  'ready',
  'state',
  'state_reason',
  'state_message',
  'state_since_at',
  'restart_count',
  'last_term_reason',
  'last_term_exit_code',
  'last_term_finished_at',
  'updated_at',
] as const;

const MESSAGE_BYTES = 4096;

function podValues(p: PodInput): unknown[] {
  const seen = requireMs(p.seenAt, 'pod seenAt');
  return [
    requiredString(p.cluster, 253),
    requiredString(p.uid, 64),
    requiredString(p.namespace, 253),
    requiredString(p.name, 253),
    safeString(p.nodeName, 253),
    safeString(p.phase, 32),
    requiredString(p.status, 128),
    requiredString(p.ready, 16),
    int(p.restarts) ?? 0,
    toMs(p.lastRestartAt) ?? null,
    POD_HEALTH_VALUES.includes(p.health) ? p.health : 'unknown',
    Math.max(0, Math.min(100, int(p.attention) ?? 0)),
    safeString(p.topIssue?.reason, 253),
    safeText(p.topIssue?.message, MESSAGE_BYTES),
    safeString(p.topIssue?.container, 253),
    safeString(p.topIssue?.severity, 16),
    safeString(p.owner?.kind, 64),
    safeString(p.owner?.name, 253),
    safeString(p.owner?.uid, 64),
    safeString(p.workload?.kind, 64),
    safeString(p.workload?.name, 253),
    safeString(p.podIp, 64),
    safeJson(p.labels ?? {}, 64 * 1024) ?? '{}',
    safeString(p.resourceVersion, 64),
    toMs(p.createdAt) ?? null,
    seen,
    seen,
    toMs(p.deletedAt) ?? null,
  ];
}

/**
 * Writes pods (and their labels and containers) from watch events or a list.
 * Unchanged pods (same resourceVersion) are skipped, so replaying an event writes nothing.
 */
export async function upsertPods(
  ctx: StoreContext,
  pods: readonly PodInput[],
): Promise<WriteResult> {
  if (pods.length === 0) {
    return { written: 0, unchanged: 0 };
  }
  const result = await inTransaction(ctx, async trx => {
    const changed = await changedInputs(ctx, trx, 'pods', pods);
    const update = takeExcluded(POD_COLUMNS, [
      'cluster',
      'uid',
      'first_seen_at',
    ]);
    // a late event must not move last_seen backwards
    update.last_seen_at =
      'CASE WHEN excluded.last_seen_at > pods.last_seen_at THEN excluded.last_seen_at ELSE pods.last_seen_at END';
    await upsertRows(
      ctx,
      trx,
      {
        table: 'pods',
        columns: POD_COLUMNS,
        conflict: ['cluster', 'uid'],
        update,
      },
      changed.map(podValues),
    );
    await replaceLabels(ctx, trx, 'pod_labels', 'pod_uid', changed);
    const withContainers = changed.filter(p => p.containers !== undefined);
    await deleteChildren(trx, ctx, 'containers', 'pod_uid', withContainers);
    const rows: unknown[][] = [];
    for (const p of withContainers) {
      const seen = requireMs(p.seenAt, 'pod seenAt');
      (p.containers ?? []).forEach((c, position) => {
        rows.push([
          p.cluster,
          p.uid,
          requiredString(c.name, 253),
          c.type,
          position,
          safeString(c.image, 512),
          Boolean(c.ready),
          c.state,
          safeString(c.stateReason, 128),
          safeText(c.stateMessage, MESSAGE_BYTES),
          toMs(c.stateSince) ?? null,
          int(c.restartCount) ?? 0,
          safeString(c.lastTermination?.reason, 128),
          int(c.lastTermination?.exitCode),
          toMs(c.lastTermination?.finishedAt) ?? null,
          seen,
        ]);
      });
    }
    await upsertRows(
      ctx,
      trx,
      {
        table: 'containers',
        columns: CONTAINER_COLUMNS,
        conflict: ['cluster', 'pod_uid', 'name'],
        update: takeExcluded(CONTAINER_COLUMNS, ['cluster', 'pod_uid', 'name']),
      },
      rows,
    );
    return { written: changed.length, unchanged: pods.length - changed.length };
  });
  await keepStatisticsFresh(ctx, result.written);
  return result;
}

/** After a relist: the listed pods were seen at `at` (see markSeen). */
/**
 * PostgreSQL plans the selector join from table statistics. On tables never analyzed (a fresh
 * install after its first list) it picks a nested loop that took 0.6–2 s at 10k pods instead of
 * ~2 ms; autovacuum fixes that only after its next round. So while the pod table grows, this
 * process analyzes pods and labels itself when its writes reach 200, 2 000, 20 000 … pods:
 * a handful of ~50 ms ANALYZE runs per process lifetime. SQLite plans well without statistics.
 */
async function keepStatisticsFresh(
  ctx: StoreContext,
  written: number,
): Promise<void> {
  const stats = ctx.podStatistics;
  stats.written += written;
  if (stats.written < stats.analyzeAt) {
    return;
  }
  while (stats.analyzeAt <= stats.written) {
    stats.analyzeAt *= 10;
  }
  if (ctx.engine === 'pg') {
    await ctx.knex.raw('ANALYZE pods, pod_labels, containers');
  }
}

export async function markPodsSeen(
  ctx: StoreContext,
  cluster: string,
  uids: readonly string[],
  at: TimeInput,
): Promise<number> {
  return markSeen(ctx, 'pods', cluster, uids, requireMs(at, 'seen at'));
}

export async function markPodsDeleted(
  ctx: StoreContext,
  cluster: string,
  uids: readonly string[],
  at: TimeInput,
): Promise<number> {
  return markDeleted(ctx, 'pods', cluster, uids, requireMs(at, 'deleted at'));
}

/** After a relist: marks deleted the live pods of the cluster (or namespace) the list lacked. */
export async function markMissingPodsDeleted(
  ctx: StoreContext,
  options: {
    cluster: string;
    namespace?: string;
    presentUids: readonly string[];
    at: TimeInput;
  },
): Promise<string[]> {
  return markMissingDeleted(ctx, 'pods', {
    ...options,
    at: requireMs(options.at, 'deleted at'),
  });
}

export function toPodRow(r: Record<string, unknown>): PodRow {
  return {
    cluster: r.cluster as string,
    uid: r.uid as string,
    namespace: r.namespace as string,
    name: r.name as string,
    nodeName: opt(r.node_name as string),
    phase: opt(r.phase as string),
    status: r.status as string,
    ready: r.ready as string,
    restarts: num(r.restarts) ?? 0,
    lastRestartAt: iso(r.last_restart_at),
    health: r.health as PodHealth,
    attention: num(r.attention) ?? 0,
    topIssue: r.top_issue_reason
      ? {
          reason: r.top_issue_reason as string,
          message: opt(r.top_issue_message as string),
          container: opt(r.top_issue_container as string),
          severity: (r.top_issue_severity as string) ?? 'warning',
        }
      : undefined,
    owner: r.owner_kind
      ? {
          kind: r.owner_kind as string,
          name: r.owner_name as string,
          uid: opt(r.owner_uid as string),
        }
      : undefined,
    workload: r.workload_kind
      ? { kind: r.workload_kind as string, name: r.workload_name as string }
      : undefined,
    podIp: opt(r.pod_ip as string),
    labels: parseJson<Record<string, string>>(r.labels_json) ?? {},
    resourceVersion: opt(r.resource_version as string),
    createdAt: iso(r.created_at),
    firstSeenAt: isoRequired(r.first_seen_at),
    lastSeenAt: isoRequired(r.last_seen_at),
    deletedAt: iso(r.deleted_at),
  };
}

export async function getPod(
  ctx: StoreContext,
  cluster: string,
  uid: string,
): Promise<PodRow | undefined> {
  const row = await ctx.knex('pods').where({ cluster, uid }).first();
  return row ? toPodRow(row) : undefined;
}

/** Pods by (namespace, name), newest first: the same name may have been reused over time. */
export async function findPodsByName(
  ctx: StoreContext,
  cluster: string,
  namespace: string,
  name: string,
): Promise<PodRow[]> {
  const rows = await ctx
    .knex('pods')
    .where({ cluster, namespace, name })
    .orderBy('first_seen_at', 'desc');
  return rows.map(toPodRow);
}

/**
 * The pods of an entity: label selector + optional cluster/namespace filters evaluated in SQL,
 * most attention first, with health counts over every match for the roll-up.
 */
export async function listPodsForSelector(
  ctx: StoreContext,
  query: PodSelectorQuery,
): Promise<PodSelectorResult> {
  const limit = clampLimit(query.limit, 500, 5000);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const selector = compileSelector(query.selector, {
    table: 'pod_labels',
    uidColumn: 'pod_uid',
    outer: 'p',
  });
  const where: string[] = [selector.sql];
  const bindings: Binding[] = [...selector.bindings];
  if (!query.includeDeleted) {
    where.push('p.deleted_at IS NULL');
  }
  if (query.clusters) {
    if (query.clusters.length === 0) {
      where.push('1 = 0');
    } else {
      where.push(`p.cluster IN (${placeholders(query.clusters.length)})`);
      bindings.push(...query.clusters);
    }
  }
  if (query.namespaces) {
    if (query.namespaces.length === 0) {
      where.push('1 = 0');
    } else {
      where.push(`p.namespace IN (${placeholders(query.namespaces.length)})`);
      bindings.push(...query.namespaces);
    }
  }
  const whereSql = where.join(' AND ');
  const [rows, counts] = await Promise.all([
    ctx.knex.raw(
      `SELECT p.* FROM pods p WHERE ${whereSql} ORDER BY p.attention DESC, p.namespace, p.name, p.uid LIMIT ? OFFSET ?`,
      [...bindings, limit, offset],
    ),
    ctx.knex.raw(
      `SELECT p.health AS health, COUNT(*) AS n FROM pods p WHERE ${whereSql} GROUP BY p.health`,
      bindings,
    ),
  ]);
  const health = Object.fromEntries(
    POD_HEALTH_VALUES.map(h => [h, 0]),
  ) as Record<PodHealth, number>;
  let total = 0;
  for (const c of rowsOf<{ health: PodHealth; n: unknown }>(ctx, counts)) {
    const n = num(c.n) ?? 0;
    health[c.health] = (health[c.health] ?? 0) + n;
    total += n;
  }
  return {
    items: rowsOf<Record<string, unknown>>(ctx, rows).map(toPodRow),
    total,
    health,
  };
}

function toContainerRow(r: Record<string, unknown>): ContainerRow {
  const hasTermination =
    r.last_term_reason !== null ||
    r.last_term_exit_code !== null ||
    r.last_term_finished_at !== null;
  return {
    cluster: r.cluster as string,
    podUid: r.pod_uid as string,
    name: r.name as string,
    type: r.type as ContainerRow['type'],
    position: num(r.position) ?? 0,
    image: opt(r.image as string),
    ready: bool(r.ready) ?? false,
    state: r.state as ContainerRow['state'],
    stateReason: opt(r.state_reason as string),
    stateMessage: opt(r.state_message as string),
    stateSince: iso(r.state_since_at),
    restartCount: num(r.restart_count) ?? 0,
    lastTermination: hasTermination
      ? {
          reason: opt(r.last_term_reason as string),
          exitCode: num(r.last_term_exit_code),
          finishedAt: iso(r.last_term_finished_at),
        }
      : undefined,
    updatedAt: isoRequired(r.updated_at),
  };
}

/** Containers of the given pods: init first, then app, then ephemeral, in spec order. */
export async function listContainers(
  ctx: StoreContext,
  cluster: string,
  podUids: readonly string[],
): Promise<ContainerRow[]> {
  if (podUids.length === 0) {
    return [];
  }
  const rows = await ctx
    .knex('containers')
    .where({ cluster })
    .whereIn('pod_uid', podUids as string[]);
  const typeOrder = { init: 0, app: 1, ephemeral: 2 } as Record<string, number>;
  return rows
    .map(toContainerRow)
    .sort(
      (a, b) =>
        a.podUid.localeCompare(b.podUid) ||
        (typeOrder[a.type] ?? 3) - (typeOrder[b.type] ?? 3) ||
        a.position - b.position,
    );
}
