import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityPodsQuery,
  EntityPodsResponse,
  IncidentDetailResponse,
  IncidentsQuery,
  IncidentsResponse,
  LogsQuery,
  LogsResponse,
  PodDetailQuery,
  PodDetailResponse,
} from '@pod-watch/plugin-pod-watch-common';

/** What `GET /api/pod-watch/health` reports. @public */
export interface PodWatchHealth {
  status: 'ok' | 'error';
  version: string;
  database: {
    status: 'ok' | 'error';
    client?: string;
    migrations?: { applied: number; pending: number };
    error?: string;
  };
}

/** Query of `GET /logs/download`: the logs filters without paging. @public */
export type LogsDownloadQuery = Omit<
  LogsQuery,
  'fold' | 'order' | 'cursor' | 'limit'
>;

/** Client for the Pod Watch backend: one method per route. @public */
export interface PodWatchApi {
  getHealth(): Promise<PodWatchHealth>;
  /** `GET /pods`: an entity's pods, workload roll-ups and cluster sync status. */
  getEntityPods(query: EntityPodsQuery): Promise<EntityPodsResponse>;
  /** `GET /pods/:cluster/:namespace/:name`: containers, Events, serving status. */
  getPodDetail(query: PodDetailQuery): Promise<PodDetailResponse>;
  /** `GET /logs`: captured log entries, newest first by default. */
  getLogs(query: LogsQuery): Promise<LogsResponse>;
  /** `GET /logs/download`: the matching lines as plain text. */
  downloadLogs(query: LogsDownloadQuery): Promise<Blob>;
  /** `GET /incidents`: an entity's incidents, paged. */
  getIncidents(query: IncidentsQuery): Promise<IncidentsResponse>;
  /** `GET /incidents/:id`: one incident with its evidence. */
  getIncident(id: number): Promise<IncidentDetailResponse>;
}

/** @public */
export const podWatchApiRef = createApiRef<PodWatchApi>({
  id: 'plugin.pod-watch.service',
});
