import { createApiRef } from '@backstage/core-plugin-api';

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

/** Client for the Pod Watch backend. @public */
export interface PodWatchApi {
  getHealth(): Promise<PodWatchHealth>;
}

/** @public */
export const podWatchApiRef = createApiRef<PodWatchApi>({
  id: 'plugin.pod-watch.service',
});
