import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { podWatchApiRef, PodWatchClient } from './api';

const podWatchApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: podWatchApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PodWatchClient(deps),
    }),
});

// Tabs on component entities; each explains what to add when the entity is not annotated.
const entityPodHealthContent = EntityContentBlueprint.make({
  name: 'pod-health',
  params: {
    path: '/pod-watch',
    title: 'Pod health',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodHealthContent').then(m => <m.EntityPodHealthContent />),
  },
});

const entityPodLogsContent = EntityContentBlueprint.make({
  name: 'pod-logs',
  params: {
    path: '/pod-watch-logs',
    title: 'Logs',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodLogsContent').then(m => <m.EntityPodLogsContent />),
  },
});

/** Pod Watch for Backstage's new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'pod-watch',
  title: 'Pod Watch',
  extensions: [podWatchApi, entityPodHealthContent, entityPodLogsContent],
});
