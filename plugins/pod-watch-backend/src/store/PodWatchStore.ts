import { Knex } from 'knex';
import { createStoreContext, StoreContext, StoreOptions } from './batching';
import { countByCluster } from './counts';
import { listSyncStatus } from './syncStatus';
import { listEndpoints, replaceServiceEndpoints } from './endpoints';
import { listEvents, upsertEvents } from './events';
import {
  createLease,
  getLease,
  releaseLease,
  renewLease,
  takeLease,
} from './leases';
import {
  listHistory,
  listWatchedObjects,
  markMissingWatchedObjectsDeleted,
  markWatchedObjectsDeleted,
  recordHistory,
  upsertWatchedObjects,
} from './history';
import {
  findOpenIncident,
  getIncident,
  incidentStats,
  listIncidents,
  resolveIncident,
  upsertIncident,
} from './incidents';
import { insertLogLines, lastLogTime, listLogs } from './logs';
import {
  findPodsByName,
  getPod,
  listContainers,
  listPodsForSelector,
  markMissingPodsDeleted,
  markPodsDeleted,
  markPodsSeen,
  upsertPods,
} from './pods';
import {
  applyRetention,
  countRows,
  defaultRetentionPolicy,
  refreshStatistics,
} from './retention';
import {
  closeGaps,
  getSyncState,
  listClusters,
  listGaps,
  openGap,
  recordSyncError,
  recordSyncSuccess,
  upsertClusters,
} from './syncState';
import { EventInput, RetentionPolicy, TimeInput } from './types';
import {
  listWorkloads,
  markMissingWorkloadsDeleted,
  markWorkloadsDeleted,
  upsertWorkloads,
} from './workloads';

/** The parameters of a store function after its context. */
type Args<F> = F extends (ctx: StoreContext, ...rest: infer R) => unknown
  ? R
  : never;

/** Every table of the store, children before parents (delete order). */
export const STORE_TABLES = [
  'pod_labels',
  'containers',
  'pods',
  'workload_labels',
  'workloads',
  'service_endpoints',
  'watched_objects',
  'object_history',
  'events',
  'log_lines',
  'incidents',
  'observation_gaps',
  'sync_state',
  'clusters',
  'leases',
] as const;

/**
 * Pod Watch's data access: the only place that writes SQL. Every write is a batched, idempotent
 * upsert; every list is bounded. Works on SQLite and PostgreSQL (run `applyMigrations` first).
 */
export class PodWatchStore {
  static async create(
    knex: Knex,
    options?: StoreOptions,
  ): Promise<PodWatchStore> {
    return new PodWatchStore(await createStoreContext(knex, options));
  }

  private constructor(readonly ctx: StoreContext) {}

  get engine() {
    return this.ctx.engine;
  }

  // clusters, sync state, gaps
  upsertClusters(...a: Args<typeof upsertClusters>) {
    return upsertClusters(this.ctx, ...a);
  }
  listClusters(...a: Args<typeof listClusters>) {
    return listClusters(this.ctx, ...a);
  }
  recordSyncSuccess(...a: Args<typeof recordSyncSuccess>) {
    return recordSyncSuccess(this.ctx, ...a);
  }
  recordSyncError(...a: Args<typeof recordSyncError>) {
    return recordSyncError(this.ctx, ...a);
  }
  getSyncState(...a: Args<typeof getSyncState>) {
    return getSyncState(this.ctx, ...a);
  }
  /** Sync state with the watch engine's live status (connected, last event, lag). */
  listSyncStatus(...a: Args<typeof listSyncStatus>) {
    return listSyncStatus(this.ctx, ...a);
  }
  openGap(...a: Args<typeof openGap>) {
    return openGap(this.ctx, ...a);
  }
  closeGaps(...a: Args<typeof closeGaps>) {
    return closeGaps(this.ctx, ...a);
  }
  listGaps(...a: Args<typeof listGaps>) {
    return listGaps(this.ctx, ...a);
  }

  // leadership leases (see collector/LeaseElector)
  getLease(...a: Args<typeof getLease>) {
    return getLease(this.ctx, ...a);
  }
  createLease(...a: Args<typeof createLease>) {
    return createLease(this.ctx, ...a);
  }
  takeLease(...a: Args<typeof takeLease>) {
    return takeLease(this.ctx, ...a);
  }
  renewLease(...a: Args<typeof renewLease>) {
    return renewLease(this.ctx, ...a);
  }
  releaseLease(...a: Args<typeof releaseLease>) {
    return releaseLease(this.ctx, ...a);
  }

  /** Live pods (by phase and health) and workloads (by kind) per cluster. */
  countByCluster() {
    return countByCluster(this.ctx);
  }

  // pods and containers
  upsertPods(...a: Args<typeof upsertPods>) {
    return upsertPods(this.ctx, ...a);
  }
  markPodsSeen(...a: Args<typeof markPodsSeen>) {
    return markPodsSeen(this.ctx, ...a);
  }
  markPodsDeleted(...a: Args<typeof markPodsDeleted>) {
    return markPodsDeleted(this.ctx, ...a);
  }
  markMissingPodsDeleted(...a: Args<typeof markMissingPodsDeleted>) {
    return markMissingPodsDeleted(this.ctx, ...a);
  }
  getPod(...a: Args<typeof getPod>) {
    return getPod(this.ctx, ...a);
  }
  findPodsByName(...a: Args<typeof findPodsByName>) {
    return findPodsByName(this.ctx, ...a);
  }
  listPodsForSelector(...a: Args<typeof listPodsForSelector>) {
    return listPodsForSelector(this.ctx, ...a);
  }
  listContainers(...a: Args<typeof listContainers>) {
    return listContainers(this.ctx, ...a);
  }

  // workloads
  upsertWorkloads(...a: Args<typeof upsertWorkloads>) {
    return upsertWorkloads(this.ctx, ...a);
  }
  markWorkloadsDeleted(...a: Args<typeof markWorkloadsDeleted>) {
    return markWorkloadsDeleted(this.ctx, ...a);
  }
  markMissingWorkloadsDeleted(...a: Args<typeof markMissingWorkloadsDeleted>) {
    return markMissingWorkloadsDeleted(this.ctx, ...a);
  }
  listWorkloads(...a: Args<typeof listWorkloads>) {
    return listWorkloads(this.ctx, ...a);
  }

  // EndpointSlice endpoints
  replaceServiceEndpoints(...a: Args<typeof replaceServiceEndpoints>) {
    return replaceServiceEndpoints(this.ctx, ...a);
  }
  listEndpoints(...a: Args<typeof listEndpoints>) {
    return listEndpoints(this.ctx, ...a);
  }

  // custom resources and history
  upsertWatchedObjects(...a: Args<typeof upsertWatchedObjects>) {
    return upsertWatchedObjects(this.ctx, ...a);
  }
  markWatchedObjectsDeleted(...a: Args<typeof markWatchedObjectsDeleted>) {
    return markWatchedObjectsDeleted(this.ctx, ...a);
  }
  markMissingWatchedObjectsDeleted(
    ...a: Args<typeof markMissingWatchedObjectsDeleted>
  ) {
    return markMissingWatchedObjectsDeleted(this.ctx, ...a);
  }
  listWatchedObjects(...a: Args<typeof listWatchedObjects>) {
    return listWatchedObjects(this.ctx, ...a);
  }
  recordHistory(...a: Args<typeof recordHistory>) {
    return recordHistory(this.ctx, ...a);
  }
  listHistory(...a: Args<typeof listHistory>) {
    return listHistory(this.ctx, ...a);
  }

  // Events
  listEvents(...a: Args<typeof listEvents>) {
    return listEvents(this.ctx, ...a);
  }
  upsertEvents(events: readonly EventInput[]): Promise<void> {
    return upsertEvents(this.ctx, events);
  }

  // logs
  insertLogLines(...a: Args<typeof insertLogLines>) {
    return insertLogLines(this.ctx, ...a);
  }
  listLogs(...a: Args<typeof listLogs>) {
    return listLogs(this.ctx, ...a);
  }
  lastLogTime(...a: Args<typeof lastLogTime>) {
    return lastLogTime(this.ctx, ...a);
  }

  // incidents
  upsertIncident(...a: Args<typeof upsertIncident>) {
    return upsertIncident(this.ctx, ...a);
  }
  resolveIncident(...a: Args<typeof resolveIncident>) {
    return resolveIncident(this.ctx, ...a);
  }
  getIncident(...a: Args<typeof getIncident>) {
    return getIncident(this.ctx, ...a);
  }
  findOpenIncident(...a: Args<typeof findOpenIncident>) {
    return findOpenIncident(this.ctx, ...a);
  }
  listIncidents(...a: Args<typeof listIncidents>) {
    return listIncidents(this.ctx, ...a);
  }
  incidentStats(...a: Args<typeof incidentStats>) {
    return incidentStats(this.ctx, ...a);
  }

  // retention
  applyRetention(
    policy: RetentionPolicy = defaultRetentionPolicy(),
    now: TimeInput = Date.now(),
  ) {
    return applyRetention(this.ctx, policy, new Date(now).getTime());
  }

  /** Planner statistics refresh (see retention.ts); cheap, safe to call after big loads. */
  refreshStatistics() {
    return refreshStatistics(this.ctx);
  }

  countRows(tables: readonly string[] = STORE_TABLES) {
    return countRows(this.ctx, tables);
  }
}
