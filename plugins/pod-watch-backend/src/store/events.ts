import { Knex } from 'knex';
import {
  clampLimit,
  distinct,
  int,
  isoRequired,
  least,
  num,
  opt,
  requireMs,
  StoreContext,
  toMs,
  upsertRows,
} from './batching';
import { requiredString, safeString, safeText } from './safeText';
import { EventInput, EventQuery, EventRow, Page, TimeInput } from './types';

export const EVENT_COLUMNS = [
  'cluster',
  'uid',
  'namespace',
  'name',
  'type',
  'reason',
  'message',
  'regarding_kind',
  'regarding_namespace',
  'regarding_name',
  'regarding_uid',
  'regarding_field_path',
  'reporting_controller',
  'reporting_instance',
  'action',
  'count',
  'first_at',
  'last_at',
  'resource_version',
] as const;

/** Kubernetes caps events.k8s.io notes at 1 kB; core/v1 messages are unbounded. */
const MESSAGE_BYTES = 4096;

export function eventValues(e: EventInput): unknown[] {
  const lastAt = requireMs(e.lastAt, 'event lastAt');
  const firstAt = toMs(e.firstAt) ?? lastAt;
  return [
    requiredString(e.cluster, 253),
    requiredString(e.uid, 64),
    safeString(e.namespace, 253),
    requiredString(e.name, 253),
    safeString(e.type, 16),
    safeString(e.reason, 128),
    safeText(e.message, MESSAGE_BYTES),
    safeString(e.regarding?.kind, 64),
    safeString(e.regarding?.namespace, 253),
    safeString(e.regarding?.name, 253),
    safeString(e.regarding?.uid, 64),
    safeString(e.regarding?.fieldPath, 253),
    safeString(e.reportingController, 253),
    safeString(e.reportingInstance, 253),
    safeString(e.action, 128),
    Math.max(1, int(e.count) ?? 1),
    Math.min(firstAt, lastAt),
    lastAt,
    safeString(e.resourceVersion, 64),
  ];
}

/**
 * Upserts Events: one row per Event uid. A MODIFIED Event (new resourceVersion) updates count,
 * message and last time; replaying an event already stored, or an older state arriving late,
 * writes nothing.
 */
export async function upsertEvents(
  ctx: StoreContext,
  events: readonly EventInput[],
  db: Knex | Knex.Transaction = ctx.knex,
): Promise<void> {
  const update: Record<string, string> = {};
  for (const c of EVENT_COLUMNS) {
    if (c !== 'cluster' && c !== 'uid') update[c] = `excluded.${c}`;
  }
  update.first_at = least(ctx, 'events.first_at', 'excluded.first_at');
  const rows = events.map(eventValues);
  const write = (trx: Knex | Knex.Transaction) =>
    upsertRows(
      ctx,
      trx,
      {
        table: 'events',
        columns: EVENT_COLUMNS,
        conflict: ['cluster', 'uid'],
        update,
        where: `(excluded.resource_version IS NULL OR ${distinct(
          ctx,
          'events.resource_version',
          'excluded.resource_version',
        )}) AND excluded.last_at >= events.last_at`,
      },
      rows,
    );
  if (rows.length <= 500 || db !== ctx.knex) {
    await write(db);
  } else {
    await ctx.knex.transaction(trx => write(trx));
  }
}

function toRow(r: Record<string, unknown>): EventRow {
  return {
    id: num(r.id) ?? 0,
    cluster: r.cluster as string,
    uid: r.uid as string,
    namespace: opt(r.namespace as string),
    name: r.name as string,
    type: opt(r.type as string),
    reason: opt(r.reason as string),
    message: opt(r.message as string),
    regarding: {
      kind: opt(r.regarding_kind as string),
      namespace: opt(r.regarding_namespace as string),
      name: opt(r.regarding_name as string),
      uid: opt(r.regarding_uid as string),
      fieldPath: opt(r.regarding_field_path as string),
    },
    reportingController: opt(r.reporting_controller as string),
    reportingInstance: opt(r.reporting_instance as string),
    action: opt(r.action as string),
    count: num(r.count) ?? 1,
    firstAt: isoRequired(r.first_at),
    lastAt: isoRequired(r.last_at),
    resourceVersion: opt(r.resource_version as string),
  };
}

/** Events by object, namespace, kind, type/reason and time, newest first, with the total. */
export async function listEvents(
  ctx: StoreContext,
  query: EventQuery,
): Promise<Page<EventRow>> {
  const limit = clampLimit(query.limit, 100, 1000);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const filter = (q: Knex.QueryBuilder) => {
    if (query.cluster !== undefined) q.where('cluster', query.cluster);
    if (query.regardingUids) q.whereIn('regarding_uid', query.regardingUids);
    if (query.namespace !== undefined) q.where('namespace', query.namespace);
    if (query.regardingKind !== undefined)
      q.where('regarding_kind', query.regardingKind);
    if (query.regardingName !== undefined)
      q.where('regarding_name', query.regardingName);
    if (query.type !== undefined) q.where('type', query.type);
    if (query.reasons) q.whereIn('reason', query.reasons);
    if (query.since !== undefined)
      q.where('last_at', '>=', requireMs(query.since, 'since'));
    if (query.until !== undefined)
      q.where('last_at', '<=', requireMs(query.until, 'until'));
    return q;
  };
  const [rows, count] = await Promise.all([
    filter(ctx.knex('events').select('*'))
      .orderBy([
        { column: 'last_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset(offset),
    filter(ctx.knex('events').count({ n: '*' })),
  ]);
  return {
    items: rows.map(toRow),
    total: num((count as Array<{ n: unknown }>)[0]?.n) ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// normalising the two Event APIs to one shape

type Time = Date | string | null | undefined;
interface Meta {
  uid?: string;
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  creationTimestamp?: Time;
}
interface ObjectRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
}
interface Series {
  count?: number;
  lastObservedTime?: Time;
}

/** The fields of a core/v1 Event we read (client-node V1Event or raw JSON). */
export interface CoreEventLike {
  metadata?: Meta;
  involvedObject?: ObjectRef;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: Time;
  lastTimestamp?: Time;
  eventTime?: Time;
  series?: Series;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
}

/** The fields of an events.k8s.io/v1 Event we read. */
export interface EventsV1EventLike {
  metadata?: Meta;
  regarding?: ObjectRef;
  reason?: string;
  note?: string;
  type?: string;
  eventTime?: Time;
  series?: Series;
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: Time;
  deprecatedLastTimestamp?: Time;
  deprecatedSource?: { component?: string; host?: string };
}

const first = (...times: Time[]): TimeInput | undefined =>
  times.find(t => toMs(t ?? undefined) !== undefined) ?? undefined;

export function normalizeCoreEvent(
  cluster: string,
  e: CoreEventLike,
): EventInput {
  const firstAt = first(
    e.firstTimestamp,
    e.eventTime,
    e.metadata?.creationTimestamp,
  );
  const lastAt =
    first(e.series?.lastObservedTime, e.lastTimestamp, e.eventTime) ??
    firstAt ??
    Date.now();
  return {
    cluster,
    uid: e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`,
    namespace: e.metadata?.namespace,
    name: e.metadata?.name ?? '',
    type: e.type,
    reason: e.reason,
    message: e.message,
    regarding: e.involvedObject,
    reportingController:
      e.reportingComponent || e.source?.component || undefined,
    reportingInstance: e.reportingInstance || e.source?.host || undefined,
    action: e.action,
    count: e.series?.count ?? e.count ?? 1,
    firstAt: firstAt ?? lastAt,
    lastAt,
    resourceVersion: e.metadata?.resourceVersion,
  };
}

export function normalizeEventsV1Event(
  cluster: string,
  e: EventsV1EventLike,
): EventInput {
  const firstAt = first(
    e.deprecatedFirstTimestamp,
    e.eventTime,
    e.metadata?.creationTimestamp,
  );
  const lastAt =
    first(e.series?.lastObservedTime, e.deprecatedLastTimestamp, e.eventTime) ??
    firstAt ??
    Date.now();
  return {
    cluster,
    uid: e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`,
    namespace: e.metadata?.namespace,
    name: e.metadata?.name ?? '',
    type: e.type,
    reason: e.reason,
    message: e.note,
    regarding: e.regarding,
    reportingController:
      e.reportingController || e.deprecatedSource?.component || undefined,
    reportingInstance:
      e.reportingInstance || e.deprecatedSource?.host || undefined,
    action: e.action,
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    firstAt: firstAt ?? lastAt,
    lastAt,
    resourceVersion: e.metadata?.resourceVersion,
  };
}
