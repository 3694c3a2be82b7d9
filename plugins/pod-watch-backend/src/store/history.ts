import { Knex } from 'knex';
import {
  clampLimit,
  inTransaction,
  iso,
  isoRequired,
  num,
  opt,
  requireMs,
  StoreContext,
  takeExcluded,
  toMs,
  upsertRows,
} from './batching';
import { changedInputs, markDeleted, markMissingDeleted } from './objects';
import { parseJson, requiredString, safeJson, safeString } from './safeText';
import {
  HistoryInput,
  HistoryQuery,
  HistoryRow,
  HistoryVerb,
  Page,
  TimeInput,
  WatchedObjectInput,
  WatchedObjectRow,
  WriteResult,
} from './types';

/** Snapshots beyond this are replaced by a `{ truncated, bytes }` marker. */
export const SNAPSHOT_BYTES = 256 * 1024;

const HISTORY_COLUMNS = [
  'cluster',
  'object_uid',
  'api_version',
  'kind',
  'namespace',
  'name',
  'verb',
  'resource_version',
  'at',
  'snapshot_json',
  'diff_json',
] as const;

const VERBS: readonly HistoryVerb[] = ['create', 'update', 'delete'];

/**
 * Appends object history. (cluster, uid, resourceVersion, verb) is unique, so a replayed watch
 * event is ignored.
 */
export async function recordHistory(
  ctx: StoreContext,
  entries: readonly HistoryInput[],
): Promise<void> {
  const rows = entries.map(h => {
    if (!VERBS.includes(h.verb)) {
      throw new TypeError(`invalid history verb ${String(h.verb)}`);
    }
    return [
      requiredString(h.cluster, 253),
      requiredString(h.objectUid, 64),
      safeString(h.apiVersion, 253),
      requiredString(h.kind, 128),
      safeString(h.namespace, 253),
      requiredString(h.name, 253),
      h.verb,
      requiredString(h.resourceVersion, 64),
      requireMs(h.at, 'history at'),
      safeJson(h.snapshot, SNAPSHOT_BYTES),
      safeJson(h.diff, SNAPSHOT_BYTES),
    ];
  });
  await inTransaction(ctx, trx =>
    upsertRows(
      ctx,
      trx,
      {
        table: 'object_history',
        columns: HISTORY_COLUMNS,
        conflict: ['cluster', 'object_uid', 'resource_version', 'verb'],
      },
      rows,
    ),
  );
}

function toHistoryRow(r: Record<string, unknown>): HistoryRow {
  return {
    id: num(r.id) ?? 0,
    cluster: r.cluster as string,
    objectUid: r.object_uid as string,
    apiVersion: opt(r.api_version as string),
    kind: r.kind as string,
    namespace: opt(r.namespace as string),
    name: r.name as string,
    verb: r.verb as HistoryVerb,
    resourceVersion: r.resource_version as string,
    at: isoRequired(r.at),
    snapshot: parseJson(r.snapshot_json),
    diff: parseJson(r.diff_json),
  };
}

/** History by object(s), namespace, kind, name, verb and time, newest first, with the total. */
export async function listHistory(
  ctx: StoreContext,
  query: HistoryQuery,
): Promise<Page<HistoryRow>> {
  const limit = clampLimit(query.limit, 100, 1000);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const filter = (q: Knex.QueryBuilder) => {
    if (query.cluster !== undefined) q.where('cluster', query.cluster);
    if (query.objectUids) q.whereIn('object_uid', query.objectUids);
    if (query.namespace !== undefined) q.where('namespace', query.namespace);
    if (query.kind !== undefined) q.where('kind', query.kind);
    if (query.name !== undefined) q.where('name', query.name);
    if (query.verbs) q.whereIn('verb', query.verbs);
    if (query.since !== undefined)
      q.where('at', '>=', requireMs(query.since, 'since'));
    if (query.until !== undefined)
      q.where('at', '<=', requireMs(query.until, 'until'));
    return q;
  };
  const [rows, count] = await Promise.all([
    filter(ctx.knex('object_history').select('*'))
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset),
    filter(ctx.knex('object_history').count({ n: '*' })),
  ]);
  return {
    items: rows.map(toHistoryRow),
    total: num((count as Array<{ n: unknown }>)[0]?.n) ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// watched objects (custom resources)

const OBJECT_COLUMNS = [
  'cluster',
  'uid',
  'api_version',
  'kind',
  'namespace',
  'name',
  'labels_json',
  'status_json',
  'object_json',
  'resource_version',
  'created_at',
  'first_seen_at',
  'last_seen_at',
  'deleted_at',
] as const;

export async function upsertWatchedObjects(
  ctx: StoreContext,
  objects: readonly WatchedObjectInput[],
): Promise<WriteResult> {
  if (objects.length === 0) {
    return { written: 0, unchanged: 0 };
  }
  return inTransaction(ctx, async trx => {
    const changed = await changedInputs(ctx, trx, 'watched_objects', objects);
    const update = takeExcluded(OBJECT_COLUMNS, [
      'cluster',
      'uid',
      'first_seen_at',
    ]);
    update.last_seen_at =
      'CASE WHEN excluded.last_seen_at > watched_objects.last_seen_at THEN excluded.last_seen_at ELSE watched_objects.last_seen_at END';
    await upsertRows(
      ctx,
      trx,
      {
        table: 'watched_objects',
        columns: OBJECT_COLUMNS,
        conflict: ['cluster', 'uid'],
        update,
      },
      changed.map(o => {
        const seen = requireMs(o.seenAt, 'object seenAt');
        return [
          requiredString(o.cluster, 253),
          requiredString(o.uid, 64),
          requiredString(o.apiVersion, 253),
          requiredString(o.kind, 128),
          safeString(o.namespace, 253),
          requiredString(o.name, 253),
          safeJson(o.labels ?? {}, 64 * 1024) ?? '{}',
          safeJson(o.status, SNAPSHOT_BYTES),
          safeJson(o.object, SNAPSHOT_BYTES),
          safeString(o.resourceVersion, 64),
          toMs(o.createdAt) ?? null,
          seen,
          seen,
          toMs(o.deletedAt) ?? null,
        ];
      }),
    );
    return {
      written: changed.length,
      unchanged: objects.length - changed.length,
    };
  });
}

export async function markWatchedObjectsDeleted(
  ctx: StoreContext,
  cluster: string,
  uids: readonly string[],
  at: TimeInput,
): Promise<number> {
  return markDeleted(
    ctx,
    'watched_objects',
    cluster,
    uids,
    requireMs(at, 'deleted at'),
  );
}

export async function markMissingWatchedObjectsDeleted(
  ctx: StoreContext,
  options: {
    cluster: string;
    kind: string;
    namespace?: string;
    presentUids: readonly string[];
    at: TimeInput;
  },
): Promise<string[]> {
  return markMissingDeleted(ctx, 'watched_objects', {
    ...options,
    at: requireMs(options.at, 'deleted at'),
  });
}

export async function listWatchedObjects(
  ctx: StoreContext,
  query: {
    cluster?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    includeDeleted?: boolean;
    limit?: number;
  },
): Promise<WatchedObjectRow[]> {
  let q = ctx.knex('watched_objects');
  if (query.cluster !== undefined) q = q.where({ cluster: query.cluster });
  if (query.kind !== undefined) q = q.where({ kind: query.kind });
  if (query.namespace !== undefined)
    q = q.where({ namespace: query.namespace });
  if (query.name !== undefined) q = q.where({ name: query.name });
  if (!query.includeDeleted) q = q.whereNull('deleted_at');
  const rows = await q
    .orderBy(['kind', 'namespace', 'name'])
    .limit(clampLimit(query.limit, 500, 5000));
  return rows.map(r => ({
    cluster: r.cluster,
    uid: r.uid,
    apiVersion: r.api_version,
    kind: r.kind,
    namespace: opt(r.namespace),
    name: r.name,
    labels: parseJson<Record<string, string>>(r.labels_json) ?? {},
    status: parseJson(r.status_json),
    object: parseJson(r.object_json),
    resourceVersion: opt(r.resource_version),
    createdAt: iso(r.created_at),
    firstSeenAt: isoRequired(r.first_seen_at),
    lastSeenAt: isoRequired(r.last_seen_at),
    deletedAt: iso(r.deleted_at),
  }));
}
