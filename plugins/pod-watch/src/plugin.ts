import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { podWatchApiRef, PodWatchClient } from './api';
import { isPodWatchSearchResult } from './components/PodWatchSearchResultListItem/isPodWatchSearchResult';
import { incidentsRouteRef, logsRouteRef, rootRouteRef } from './routes';

/** Pod Watch for Backstage's legacy frontend system. @public */
export const podWatchPlugin = createPlugin({
  id: 'pod-watch',
  apis: [
    createApiFactory({
      api: podWatchApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PodWatchClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    logs: logsRouteRef,
    incidents: incidentsRouteRef,
  },
});

/** The "Pod health" entity tab (mount at `/pod-watch` in the entity page's EntityLayout). @public */
export const EntityPodHealthContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityPodHealthContent',
    component: () =>
      import('./components/EntityPodHealthContent').then(
        m => m.EntityPodHealthContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** The "Logs" entity tab (mount at `/pod-watch-logs`). @public */
export const EntityPodLogsContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityPodLogsContent',
    component: () =>
      import('./components/EntityPodLogsContent').then(
        m => m.EntityPodLogsContent,
      ),
    mountPoint: logsRouteRef,
  }),
);

/** The "Incidents" entity tab (mount at `/pod-watch-incidents`). @public */
export const EntityIncidentsContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityIncidentsContent',
    component: () =>
      import('./components/EntityIncidentsContent').then(
        m => m.EntityIncidentsContent,
      ),
    mountPoint: incidentsRouteRef,
  }),
);

/** Overview card: pod health summary and open incidents. @public */
export const EntityPodWatchCard = podWatchPlugin.provide(
  createComponentExtension({
    name: 'EntityPodWatchCard',
    component: {
      lazy: () =>
        import('./components/EntityPodWatchCard').then(
          m => m.EntityPodWatchCard,
        ),
    },
  }),
);

/** Search result item for the Pod Watch collator's incident and workload documents. @public */
export const PodWatchSearchResultListItem = podWatchPlugin.provide(
  createSearchResultListItemExtension({
    name: 'PodWatchSearchResultListItem',
    component: () =>
      import('./components/PodWatchSearchResultListItem').then(
        m => m.PodWatchSearchResultListItem,
      ),
    predicate: isPodWatchSearchResult,
  }),
);
