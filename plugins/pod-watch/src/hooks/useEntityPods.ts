import { useApi } from '@backstage/core-plugin-api';
import type {
  EntityPodsResponse,
  PodHealth,
} from '@pod-watch/plugin-pod-watch-common';
import { useRef } from 'react';
import { podWatchApiRef } from '../api';
import { usePolling } from './usePolling';

/**
 * The new answer with every pod that did not change replaced by the previous answer's object,
 * so memoised rows skip re-rendering (the sync status in every answer changes on each poll).
 */
export function sharePodObjects(
  previous: EntityPodsResponse | undefined,
  next: EntityPodsResponse,
): EntityPodsResponse {
  if (!previous) return next;
  const before = new Map(previous.pods.map(p => [p.uid, p]));
  return {
    ...next,
    pods: next.pods.map(p => {
      const old = before.get(p.uid);
      return old && JSON.stringify(old) === JSON.stringify(p) ? old : p;
    }),
  };
}

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
  const last = useRef<EntityPodsResponse>();
  return usePolling(
    () =>
      enabled
        ? api
            .getEntityPods({
              entityRef,
              ...filters,
              limit: filters.limit ?? ENTITY_PODS_LIMIT,
            })
            .then(res => {
              last.current = sharePodObjects(last.current, res);
              return last.current;
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
