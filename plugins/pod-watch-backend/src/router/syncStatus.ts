import type {
  ClusterSyncStatus,
  KindSyncStatus,
  SyncStatus,
} from '@pod-watch/plugin-pod-watch-common';
import type { ClusterRow, SyncStatusRow } from '../store';

/** A kind whose last success is older than this is `stale`. */
export const STALE_AFTER_SECONDS = 600;

const RANK: Record<SyncStatus, number> = {
  error: 0,
  stale: 1,
  unknown: 2,
  ok: 3,
};

function lagSeconds(at: string | undefined, now: number): number | undefined {
  return at === undefined
    ? undefined
    : Math.max(0, Math.round((now - Date.parse(at)) / 1000));
}

function kindStatus(s: SyncStatusRow, now: number): KindSyncStatus {
  const failedLast =
    s.lastErrorAt !== undefined &&
    (s.lastSuccessAt === undefined || s.lastErrorAt > s.lastSuccessAt);
  // a connected watch is current up to its processing lag, however quiet the kind is
  const lag =
    s.connected && s.lagMs !== undefined
      ? Math.round(s.lagMs / 1000)
      : lagSeconds(s.lastSuccessAt, now);
  let status: SyncStatus;
  if (failedLast && !s.connected) status = 'error';
  else if (s.connected)
    status = lag !== undefined && lag > STALE_AFTER_SECONDS ? 'stale' : 'ok';
  else if (lag === undefined) status = 'unknown';
  else status = lag > STALE_AFTER_SECONDS ? 'stale' : 'ok';
  return {
    kind: s.kind,
    status,
    connected: s.connected,
    lastEventAt: s.lastEventAt,
    lastSuccessAt: s.lastSuccessAt,
    lagSeconds: lag,
    ...(failedLast
      ? { lastError: s.lastError, lastErrorAt: s.lastErrorAt }
      : {}),
  };
}

/**
 * A cluster's sync status from its per-kind sync state: the worst kind decides, and the lag is
 * the oldest per-kind success (what an entity page must admit to).
 */
export function clusterSyncStatus(
  name: string,
  cluster: ClusterRow | undefined,
  states: readonly SyncStatusRow[],
  now: number = Date.now(),
): ClusterSyncStatus {
  const kinds = states
    .filter(s => s.cluster === name)
    .map(s => kindStatus(s, now));
  let status: SyncStatus = kinds.length ? 'ok' : 'unknown';
  let lag: number | undefined;
  let error: KindSyncStatus | undefined;
  for (const k of kinds) {
    if (RANK[k.status] < RANK[status]) status = k.status;
    if (k.lagSeconds !== undefined) lag = Math.max(lag ?? 0, k.lagSeconds);
    if (k.lastErrorAt && (!error || k.lastErrorAt > error.lastErrorAt!)) {
      error = k;
    }
  }
  return {
    cluster: name,
    status,
    lastSeenAt: cluster?.lastSeenAt,
    lagSeconds: lag,
    ...(error
      ? { lastError: error.lastError, lastErrorAt: error.lastErrorAt }
      : {}),
    kinds,
  };
}

/** Sync status of the named clusters, or of every known cluster. */
export function clusterSyncStatuses(
  clusters: readonly ClusterRow[],
  states: readonly SyncStatusRow[],
  only?: readonly string[],
  now: number = Date.now(),
): ClusterSyncStatus[] {
  const names = new Set<string>(clusters.map(c => c.name));
  for (const s of states) names.add(s.cluster);
  const wanted = only ? [...new Set(only)] : [...names].sort();
  return wanted.map(name =>
    clusterSyncStatus(
      name,
      clusters.find(c => c.name === name),
      states,
      now,
    ),
  );
}
