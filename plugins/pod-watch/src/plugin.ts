import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { podWatchApiRef, PodWatchClient } from './api';
import { rootRouteRef } from './routes';

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
  routes: { root: rootRouteRef },
});

/** The "Pod Watch" entity tab: mount it in the entity page's EntityLayout. @public */
export const EntityPodWatchContent = podWatchPlugin.provide(
  createRoutableExtension({
    name: 'EntityPodWatchContent',
    component: () =>
      import('./components/EntityPodWatchContent').then(
        m => m.EntityPodWatchContent,
      ),
    mountPoint: rootRouteRef,
  }),
);
