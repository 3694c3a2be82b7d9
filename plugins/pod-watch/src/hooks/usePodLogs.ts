import { useApi } from '@backstage/core-plugin-api';
import type {
  LogsQuery,
  LogsResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { podWatchApiRef } from '../api';
import { usePolling } from './usePolling';

/** Logs refresh this often (ms). */
export const LOGS_REFRESH_MS = 10_000;

/** Entries one request loads at most (the router's maximum). */
export const LOGS_PAGE_LIMIT = 2000;

/**
 * Captured log entries (exceptions folded, newest first), polled. `rangeSeconds` is relative to
 * each request, so a polled "last 15 minutes" keeps moving.
 */
export function usePodLogs(
  query: Omit<
    LogsQuery,
    'fold' | 'order' | 'limit' | 'cursor' | 'start' | 'end'
  >,
  rangeSeconds: number | undefined,
  intervalMs = LOGS_REFRESH_MS,
  enabled = true,
) {
  const api = useApi(podWatchApiRef);
  return usePolling<LogsResponse | undefined>(
    () =>
      enabled
        ? api.getLogs({
            ...query,
            start: rangeSeconds
              ? new Date(Date.now() - rangeSeconds * 1000).toISOString()
              : undefined,
            fold: true,
            order: 'desc',
            limit: LOGS_PAGE_LIMIT,
          })
        : Promise.resolve(undefined),
    intervalMs,
    [
      api,
      enabled,
      query.entityRef,
      query.cluster,
      query.namespace,
      query.pod,
      query.container,
      query.level?.join(','),
      query.q,
      query.source,
      rangeSeconds,
    ],
  );
}
