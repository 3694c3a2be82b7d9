import {
  bool,
  iso,
  isoRequired,
  num,
  opt,
  requireMs,
  StoreContext,
  upsertRows,
} from './batching';
import { requiredString, safeString } from './safeText';
import { TimeInput } from './types';

/** Live status of one reflector (cluster + kind key), as the leader last reported it. */
export interface SyncStatusInput {
  cluster: string;
  kind: string;
  connected: boolean;
  lastEventAt?: TimeInput;
  lagMs?: number;
  /** the replica holding the watch */
  holder?: string;
  at: TimeInput;
}

export interface SyncStatusRow {
  cluster: string;
  kind: string;
  connected: boolean;
  resourceVersion?: string;
  lastEventAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  lagMs?: number;
  holder?: string;
  updatedAt: string;
}

const COLUMNS = [
  'cluster',
  'kind',
  'connected',
  'last_event_at',
  'lag_ms',
  'holder',
  'updated_at',
];

/** Upserts the live status of reflectors (one statement for all of a cluster's kinds). */
export async function recordSyncStatus(
  ctx: StoreContext,
  statuses: readonly SyncStatusInput[],
): Promise<void> {
  if (statuses.length === 0) return;
  await upsertRows(
    ctx,
    ctx.knex,
    {
      table: 'sync_state',
      columns: COLUMNS,
      conflict: ['cluster', 'kind'],
      update: {
        connected: 'excluded.connected',
        last_event_at:
          'COALESCE(excluded.last_event_at, sync_state.last_event_at)',
        lag_ms: 'COALESCE(excluded.lag_ms, sync_state.lag_ms)',
        holder: 'excluded.holder',
        updated_at: 'excluded.updated_at',
      },
    },
    statuses.map(s => [
      requiredString(s.cluster, 253),
      requiredString(s.kind, 253),
      Boolean(s.connected),
      s.lastEventAt === undefined
        ? null
        : requireMs(s.lastEventAt, 'lastEventAt'),
      s.lagMs === undefined ? null : Math.max(0, Math.round(s.lagMs)),
      safeString(s.holder, 253),
      requireMs(s.at, 'status at'),
    ]),
  );
}

/** Sync state with live status, per cluster and kind. */
export async function listSyncStatus(
  ctx: StoreContext,
  cluster?: string,
): Promise<SyncStatusRow[]> {
  let q = ctx.knex('sync_state');
  if (cluster !== undefined) q = q.where({ cluster });
  const rows = await q.orderBy(['cluster', 'kind']);
  return rows.map(r => ({
    cluster: r.cluster,
    kind: r.kind,
    connected: bool(r.connected) ?? false,
    resourceVersion: opt(r.resource_version),
    lastEventAt: iso(r.last_event_at),
    lastSuccessAt: iso(r.last_success_at),
    lastError: opt(r.last_error),
    lastErrorAt: iso(r.last_error_at),
    lagMs: num(r.lag_ms),
    holder: opt(r.holder),
    updatedAt: isoRequired(r.updated_at),
  }));
}
