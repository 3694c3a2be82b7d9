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

/** The "Pod Watch" tab on component entities; it explains what to add when unannotated. */
const entityPodWatchContent = EntityContentBlueprint.make({
  name: 'pod-watch',
  params: {
    path: '/pod-watch',
    title: 'Pod Watch',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodWatchContent').then(m => (
        <m.EntityPodWatchContent />
      )),
  },
});

/** Pod Watch for Backstage's new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'pod-watch',
  title: 'Pod Watch',
  extensions: [podWatchApi, entityPodWatchContent],
});
