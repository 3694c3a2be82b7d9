import { Knex } from 'knex';
import {
  clampLimit,
  iso,
  isoRequired,
  num,
  opt,
  requireMs,
  StoreContext,
} from './batching';
import {
  parseJson,
  requiredString,
  safeJson,
  safeString,
  safeText,
} from './safeText';
import {
  IncidentInput,
  IncidentQuery,
  IncidentWorkloadRef,
  IncidentRow,
  IncidentStats,
  IncidentStatsQuery,
  IncidentStatus,
  IncidentTypeStats,
  Page,
  TimeInput,
} from './types';

export const EVIDENCE_BYTES = 64 * 1024;

function toRow(r: Record<string, unknown>): IncidentRow {
  return {
    id: num(r.id) ?? 0,
    type: r.type as string,
    severity: r.severity as string,
    status: r.status as IncidentStatus,
    fingerprint: r.fingerprint as string,
    entityRef: opt(r.entity_ref as string),
    cluster: opt(r.cluster as string),
    namespace: opt(r.namespace as string),
    workloadKind: opt(r.workload_kind as string),
    workloadName: opt(r.workload_name as string),
    podUid: opt(r.pod_uid as string),
    podName: opt(r.pod_name as string),
    container: opt(r.container as string),
    summary: r.summary as string,
    rootCauseHint: opt(r.root_cause_hint as string),
    occurrences: num(r.occurrences) ?? 1,
    firstSeenAt: isoRequired(r.first_seen_at),
    lastSeenAt: isoRequired(r.last_seen_at),
    openedAt: isoRequired(r.opened_at),
    resolvedAt: iso(r.resolved_at),
    recurrenceOf: num(r.recurrence_of),
    evidence: parseJson(r.evidence_json),
    updatedAt: isoRequired(r.updated_at),
  };
}

/** The descriptive columns an update may change (identity and lifecycle columns excluded). */
function describedColumns(input: IncidentInput): Record<string, unknown> {
  return {
    type: requiredString(input.type, 64),
    severity: requiredString(input.severity, 16),
    entity_ref: safeString(input.entityRef, 512),
    cluster: safeString(input.cluster, 253),
    namespace: safeString(input.namespace, 253),
    workload_kind: safeString(input.workloadKind, 64),
    workload_name: safeString(input.workloadName, 253),
    pod_uid: safeString(input.podUid, 64),
    pod_name: safeString(input.podName, 253),
    container: safeString(input.container, 253),
    summary: safeText(input.summary, 4096) ?? '',
    root_cause_hint: safeText(input.rootCauseHint, 4096),
    evidence_json: safeJson(input.evidence, EVIDENCE_BYTES),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(e?.message ?? '')
  );
}

/**
 * Opens an incident for `fingerprint` or updates the open one. Occurrences are absolute and
 * times only move outwards, so applying the same observation twice changes nothing (not even
 * updated_at). A new incident links to the latest resolved one with the same fingerprint
 * (recurrence).
 */
export async function upsertIncident(
  ctx: StoreContext,
  input: IncidentInput,
  now: TimeInput = Date.now(),
): Promise<{ incident: IncidentRow; created: boolean }> {
  const nowMs = requireMs(now, 'now');
  const firstSeen = requireMs(input.firstSeenAt, 'incident firstSeenAt');
  const lastSeen = Math.max(
    firstSeen,
    requireMs(input.lastSeenAt, 'incident lastSeenAt'),
  );
  const fingerprint = requiredString(input.fingerprint, 128);
  const described = describedColumns(input);

  const attempt = () =>
    ctx.knex.transaction(async (trx: Knex.Transaction) => {
      let openQuery = trx('incidents')
        .where({ fingerprint, status: 'open' })
        .first();
      // PostgreSQL: lock the row so concurrent updates merge instead of losing one another
      // (SQLite serialises writers already)
      if (ctx.engine === 'pg') {
        openQuery = openQuery.forUpdate();
      }
      const open = await openQuery;
      if (open) {
        const next: Record<string, unknown> = {
          ...described,
          occurrences: Math.max(
            num(open.occurrences) ?? 0,
            Math.trunc(input.occurrences),
          ),
          first_seen_at: Math.min(
            num(open.first_seen_at) ?? firstSeen,
            firstSeen,
          ),
          last_seen_at: Math.max(num(open.last_seen_at) ?? lastSeen, lastSeen),
        };
        const changed = Object.entries(next).some(([column, value]) => {
          const stored = open[column];
          return typeof value === 'number'
            ? num(stored) !== value
            : (stored ?? null) !== (value ?? null);
        });
        if (!changed) {
          return { incident: toRow(open), created: false };
        }
        await trx('incidents')
          .where({ id: open.id })
          .update({ ...next, updated_at: nowMs });
        const row = await trx('incidents').where({ id: open.id }).first();
        return { incident: toRow(row), created: false };
      }
      const previous = await trx('incidents')
        .select('id')
        .where({ fingerprint, status: 'resolved' })
        .orderBy([
          { column: 'opened_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .first();
      const [inserted] = await trx('incidents')
        .insert({
          ...described,
          fingerprint,
          status: 'open',
          occurrences: Math.max(1, Math.trunc(input.occurrences)),
          first_seen_at: firstSeen,
          last_seen_at: lastSeen,
          opened_at: nowMs,
          resolved_at: null,
          recurrence_of: previous?.id ?? null,
          updated_at: nowMs,
        })
        .returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      const row = await trx('incidents').where({ id }).first();
      return { incident: toRow(row), created: true };
    });

  try {
    return await attempt();
  } catch (error) {
    // another writer opened the same fingerprint between our read and insert: update it instead
    if (isUniqueViolation(error)) {
      return attempt();
    }
    throw error;
  }
}

/** Resolves an open incident; false when it was not open. */
export async function resolveIncident(
  ctx: StoreContext,
  id: number,
  at: TimeInput,
): Promise<boolean> {
  const atMs = requireMs(at, 'resolved at');
  const changed = await ctx
    .knex('incidents')
    .where({ id, status: 'open' })
    .update({ status: 'resolved', resolved_at: atMs, updated_at: atMs });
  return changed > 0;
}

export async function getIncident(
  ctx: StoreContext,
  id: number,
): Promise<IncidentRow | undefined> {
  const row = await ctx.knex('incidents').where({ id }).first();
  return row ? toRow(row) : undefined;
}

export async function findOpenIncident(
  ctx: StoreContext,
  fingerprint: string,
): Promise<IncidentRow | undefined> {
  const row = await ctx
    .knex('incidents')
    .where({ fingerprint, status: 'open' })
    .first();
  return row ? toRow(row) : undefined;
}

/** OR of the subjects in `about`; nothing when it names none. */
function aboutAnyOf(
  b: Knex.QueryBuilder,
  about: NonNullable<IncidentQuery['about']>,
): void {
  let any = false;
  if (about.entityRef !== undefined) {
    b.orWhere('entity_ref', about.entityRef);
    any = true;
  }
  if (about.podUids?.length) {
    b.orWhereIn('pod_uid', about.podUids);
    any = true;
  }
  // one IN list per (cluster, namespace, kind): few clauses even for many workloads
  const groups = new Map<
    string,
    { key: IncidentWorkloadRef; names: string[] }
  >();
  for (const w of about.workloads ?? []) {
    const k = `${w.cluster}\u0000${w.namespace}\u0000${w.kind}`;
    const g = groups.get(k) ?? { key: w, names: [] };
    g.names.push(w.name);
    groups.set(k, g);
  }
  for (const { key, names } of groups.values()) {
    b.orWhere(w =>
      w
        .where({
          cluster: key.cluster,
          namespace: key.namespace,
          workload_kind: key.kind,
        })
        .whereIn('workload_name', names),
    );
    any = true;
  }
  if (!any) b.whereRaw('1 = 0');
}

/** Incidents by entity, status, type, pod and time, newest first, with the total. */
export async function listIncidents(
  ctx: StoreContext,
  query: IncidentQuery,
): Promise<Page<IncidentRow>> {
  const limit = clampLimit(query.limit, 100, 1000);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const filter = (q: Knex.QueryBuilder) => {
    if (query.entityRef !== undefined) q.where('entity_ref', query.entityRef);
    if (query.about) {
      const about = query.about;
      q.where(b => aboutAnyOf(b, about));
    }
    if (query.statuses) q.whereIn('status', query.statuses);
    if (query.types) q.whereIn('type', query.types);
    if (query.cluster !== undefined) q.where('cluster', query.cluster);
    if (query.podUid !== undefined) q.where('pod_uid', query.podUid);
    if (query.fingerprints) q.whereIn('fingerprint', query.fingerprints);
    if (query.namespace !== undefined) q.where('namespace', query.namespace);
    if (query.workloadKind !== undefined)
      q.where('workload_kind', query.workloadKind);
    if (query.workloadName !== undefined)
      q.where('workload_name', query.workloadName);
    if (query.since !== undefined)
      q.where('last_seen_at', '>=', requireMs(query.since, 'since'));
    if (query.until !== undefined)
      q.where('opened_at', '<=', requireMs(query.until, 'until'));
    return q;
  };
  const [rows, count] = await Promise.all([
    filter(ctx.knex('incidents').select('*'))
      .orderBy([
        { column: 'opened_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset),
    filter(ctx.knex('incidents').count({ n: '*' })),
  ]);
  return {
    items: rows.map(toRow),
    total: num((count as Array<{ n: unknown }>)[0]?.n) ?? 0,
  };
}

const emptyStats = (): IncidentTypeStats => ({
  total: 0,
  open: 0,
  recurrences: 0,
  resolvedDurationMs: 0,
});

/**
 * Per-entity incident statistics by type: counts, recurrences and MTTR (mean of resolved_at −
 * first_seen_at). One grouped query; engine-neutral SQL.
 */
export async function incidentStats(
  ctx: StoreContext,
  query: IncidentStatsQuery,
): Promise<IncidentStats> {
  const q = ctx
    .knex('incidents')
    .select('type', 'status')
    .count({ n: '*' })
    .select(
      ctx.knex.raw(
        'SUM(CASE WHEN recurrence_of IS NULL THEN 0 ELSE 1 END) AS recurrences',
      ),
      ctx.knex.raw(
        'SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE resolved_at - first_seen_at END) AS duration',
      ),
    )
    .groupBy('type', 'status');
  if (query.entityRef !== undefined) q.where('entity_ref', query.entityRef);
  if (query.cluster !== undefined) q.where('cluster', query.cluster);
  if (query.namespace !== undefined) q.where('namespace', query.namespace);
  if (query.workloadKind !== undefined)
    q.where('workload_kind', query.workloadKind);
  if (query.workloadName !== undefined)
    q.where('workload_name', query.workloadName);
  if (query.podName !== undefined) q.where('pod_name', query.podName);
  if (query.since !== undefined)
    q.where('opened_at', '>=', requireMs(query.since, 'since'));
  const rows = (await q) as Array<Record<string, unknown>>;
  const total = emptyStats();
  const byType: Record<string, IncidentTypeStats> = {};
  const resolvedCount = new Map<IncidentTypeStats, number>();
  for (const r of rows) {
    const n = num(r.n) ?? 0;
    const t = (byType[r.type as string] ??= emptyStats());
    for (const s of [t, total]) {
      s.total += n;
      s.recurrences += num(r.recurrences) ?? 0;
      if (r.status === 'open') {
        s.open += n;
      } else {
        s.resolvedDurationMs += num(r.duration) ?? 0;
        resolvedCount.set(s, (resolvedCount.get(s) ?? 0) + n);
      }
    }
  }
  for (const s of [total, ...Object.values(byType)]) {
    const resolved = resolvedCount.get(s) ?? 0;
    if (resolved > 0) s.mttrMs = Math.round(s.resolvedDurationMs / resolved);
  }
  return { ...total, byType };
}
