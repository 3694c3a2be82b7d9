import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { podWatchApiRef, PodWatchClient } from './api';
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
  routes: { root: rootRouteRef, logs: logsRouteRef, incidents: incidentsRouteRef },
});

/** The "Pod health" entity tab (mount at `/pod-watch` in the entity page's EntityLayout). @public */
export const EntityPodHealthContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityPodHealthContent',
    component: () =>
      import('./components/EntityPodHealthContent').then(m => m.EntityPodHealthContent),
    mountPoint: rootRouteRef,
  }),
);

/** The "Logs" entity tab (mount at `/pod-watch-logs`). @public */
export const EntityPodLogsContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityPodLogsContent',
    component: () =>
      import('./components/EntityPodLogsContent').then(m => m.EntityPodLogsContent),
    mountPoint: logsRouteRef,
  }),
);
