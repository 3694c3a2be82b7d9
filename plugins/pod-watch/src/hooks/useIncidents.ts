import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  IncidentsQuery,
  IncidentsResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { podWatchApiRef } from '../api';
import { usePolling } from './usePolling';

/** Incidents refresh this often (ms). */
export const INCIDENTS_REFRESH_MS = 30_000;

/** One page of an entity's incidents, polled. */
export function useIncidents(
  query: IncidentsQuery,
  intervalMs = INCIDENTS_REFRESH_MS,
) {
  const api = useApi(podWatchApiRef);
  return usePolling<IncidentsResponse>(
    () => api.getIncidents(query),
    intervalMs,
    [
      api,
      query.entityRef,
      query.status?.join(','),
      query.type?.join(','),
      query.cluster,
      query.start,
      query.end,
      query.limit,
      query.offset,
    ],
  );
}

/** One incident with its evidence. */
export function useIncident(id?: number) {
  const api = useApi(podWatchApiRef);
  return useAsyncRetry(
    async () => (id === undefined ? undefined : api.getIncident(id)),
    [api, id],
  );
}
