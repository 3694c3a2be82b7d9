import { useApi } from '@backstage/core-plugin-api';
import type { PodHealth } from '@pod-watch/plugin-pod-watch-common';
import { podWatchApiRef } from '../api';
import { usePolling } from './usePolling';

/** Filters of the Pod health tab. */
export interface PodFilters {
  cluster?: string;
  namespace?: string;
  health?: PodHealth[];
  /** pods to load, most attention first (default: all the route serves) */
  limit?: number;
}

/** The route's maximum: the tab groups and filters every pod of an entity on the page. */
export const ENTITY_PODS_LIMIT = 5000;

/** Pod health refreshes this often (ms). */
export const PODS_REFRESH_MS = 30_000;

/** An entity's pods, roll-ups and cluster status, polled. */
export function useEntityPods(
  entityRef: string,
  filters: PodFilters = {},
  intervalMs = PODS_REFRESH_MS,
  enabled = true,
) {
  const api = useApi(podWatchApiRef);
  const health = filters.health?.join(',');
  return usePolling(
    () =>
      enabled
        ? api.getEntityPods({
            entityRef,
            ...filters,
            limit: filters.limit ?? ENTITY_PODS_LIMIT,
          })
        : Promise.resolve(undefined),
    intervalMs,
    [
      api,
      entityRef,
      filters.cluster,
      filters.namespace,
      health,
      filters.limit,
      enabled,
    ],
  );
}
