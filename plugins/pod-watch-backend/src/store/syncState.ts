import {
  greatest,
  iso,
  isoRequired,
  num,
  opt,
  requireMs,
  StoreContext,
  upsertRows,
} from './batching';
import { requiredString, safeString, safeText } from './safeText';
import { ClusterRow, GapInput, GapRow, SyncStateRow, TimeInput } from './types';

/** Registers clusters (idempotent) and records when each was last reached. */
export async function upsertClusters(
  ctx: StoreContext,
  clusters: readonly { name: string; seenAt?: TimeInput }[],
  now: TimeInput = Date.now(),
): Promise<void> {
  const nowMs = requireMs(now, 'now');
  await upsertRows(
    ctx,
    ctx.knex,
    {
      table: 'clusters',
      columns: ['name', 'created_at', 'last_seen_at'],
      conflict: ['name'],
      update: {
        last_seen_at: `CASE WHEN clusters.last_seen_at IS NULL THEN excluded.last_seen_at WHEN excluded.last_seen_at IS NULL THEN clusters.last_seen_at ELSE ${greatest(
          ctx,
          'clusters.last_seen_at',
          'excluded.last_seen_at',
        )} END`,
      },
    },
    clusters.map(c => [
      requiredString(c.name, 253),
      nowMs,
      c.seenAt === undefined ? null : requireMs(c.seenAt, 'cluster seenAt'),
    ]),
  );
}

export async function listClusters(ctx: StoreContext): Promise<ClusterRow[]> {
  const rows = await ctx.knex('clusters').orderBy('name');
  return rows.map(r => ({
    name: r.name,
    createdAt: isoRequired(r.created_at),
    lastSeenAt: iso(r.last_seen_at),
  }));
}

const SYNC_COLUMNS = [
  'cluster',
  'kind',
  'resource_version',
  'last_success_at',
  'last_error',
  'last_error_at',
  'updated_at',
];

/**
 * A successful list/watch step: stores the resourceVersion to resume from. The last error is
 * kept (with its time) so the UI can still say "recovered after …".
 */
export async function recordSyncSuccess(
  ctx: StoreContext,
  input: {
    cluster: string;
    kind: string;
    resourceVersion?: string;
    at: TimeInput;
  },
): Promise<void> {
  const at = requireMs(input.at, 'sync at');
  await upsertRows(
    ctx,
    ctx.knex,
    {
      table: 'sync_state',
      columns: SYNC_COLUMNS,
      conflict: ['cluster', 'kind'],
      update: {
        resource_version:
          'COALESCE(excluded.resource_version, sync_state.resource_version)',
        last_success_at: 'excluded.last_success_at',
        updated_at: 'excluded.updated_at',
      },
    },
    [
      [
        requiredString(input.cluster, 253),
        requiredString(input.kind, 253),
        safeString(input.resourceVersion, 128),
        at,
        null,
        null,
        at,
      ],
    ],
  );
}

export async function recordSyncError(
  ctx: StoreContext,
  input: {
    cluster: string;
    kind: string;
    error: string | Error;
    at: TimeInput;
    /** a 410 Gone: the stored resourceVersion is useless, forget it */
    resetResourceVersion?: boolean;
  },
): Promise<void> {
  const at = requireMs(input.at, 'sync at');
  const message =
    input.error instanceof Error ? input.error.message : String(input.error);
  const update: Record<string, string> = {
    last_error: 'excluded.last_error',
    last_error_at: 'excluded.last_error_at',
    updated_at: 'excluded.updated_at',
  };
  if (input.resetResourceVersion) {
    update.resource_version = 'NULL';
  }
  await upsertRows(
    ctx,
    ctx.knex,
    {
      table: 'sync_state',
      columns: SYNC_COLUMNS,
      conflict: ['cluster', 'kind'],
      update,
    },
    [
      [
        requiredString(input.cluster, 253),
        requiredString(input.kind, 253),
        null,
        null,
        safeText(message, 4096),
        at,
        at,
      ],
    ],
  );
}

export async function getSyncState(
  ctx: StoreContext,
  cluster?: string,
): Promise<SyncStateRow[]> {
  let q = ctx.knex('sync_state');
  if (cluster !== undefined) {
    q = q.where({ cluster });
  }
  const rows = await q.orderBy(['cluster', 'kind']);
  return rows.map(r => ({
    cluster: r.cluster,
    kind: r.kind,
    resourceVersion: opt(r.resource_version),
    lastSuccessAt: iso(r.last_success_at),
    lastError: opt(r.last_error),
    lastErrorAt: iso(r.last_error_at),
    updatedAt: isoRequired(r.updated_at),
  }));
}

// ---------------------------------------------------------------------------------------------
// observation gaps

/** Opens a gap (idempotent on cluster + kind + namespace + start). */
export async function openGap(ctx: StoreContext, gap: GapInput): Promise<void> {
  await upsertRows(
    ctx,
    ctx.knex,
    {
      table: 'observation_gaps',
      columns: ['cluster', 'kind', 'namespace', 'started_at', 'reason'],
      conflict: ['cluster', 'kind', 'namespace', 'started_at'],
    },
    [
      [
        requiredString(gap.cluster, 253),
        requiredString(gap.kind, 253),
        requiredString(gap.namespace ?? '', 253),
        requireMs(gap.startedAt, 'gap start'),
        safeText(gap.reason, 4096),
      ],
    ],
  );
}

/** Closes the open gaps of a cluster/kind(/namespace). Returns how many it closed. */
export async function closeGaps(
  ctx: StoreContext,
  input: {
    cluster: string;
    kind: string;
    namespace?: string;
    endedAt: TimeInput;
  },
): Promise<number> {
  const endedAt = requireMs(input.endedAt, 'gap end');
  return ctx
    .knex('observation_gaps')
    .where({
      cluster: input.cluster,
      kind: input.kind,
      namespace: input.namespace ?? '',
    })
    .whereNull('ended_at')
    .where('started_at', '<=', endedAt)
    .update({ ended_at: endedAt });
}

/** Gaps overlapping [since, until] (open gaps overlap everything after their start). */
export async function listGaps(
  ctx: StoreContext,
  query: {
    cluster?: string;
    kind?: string;
    since?: TimeInput;
    until?: TimeInput;
  },
): Promise<GapRow[]> {
  let q = ctx.knex('observation_gaps');
  if (query.cluster !== undefined) q = q.where({ cluster: query.cluster });
  if (query.kind !== undefined) q = q.where({ kind: query.kind });
  if (query.since !== undefined) {
    const since = requireMs(query.since, 'since');
    q = q.where(b => b.whereNull('ended_at').orWhere('ended_at', '>=', since));
  }
  if (query.until !== undefined) {
    q = q.where('started_at', '<=', requireMs(query.until, 'until'));
  }
  const rows = await q.orderBy('started_at', 'desc').limit(1000);
  return rows.map(r => ({
    id: num(r.id) ?? 0,
    cluster: r.cluster,
    kind: r.kind,
    namespace: r.namespace === '' ? undefined : r.namespace,
    startedAt: isoRequired(r.started_at),
    endedAt: iso(r.ended_at),
    reason: opt(r.reason),
  }));
}
