import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/pod-watch',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const podWatchPlugin = createFrontendPlugin({
  pluginId: 'pod-watch',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
