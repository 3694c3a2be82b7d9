import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import WarningIcon from '@material-ui/icons/Warning';
import {
  POD_WATCH_ENTITY_TABS,
  POD_WATCH_INCIDENT_DOCUMENT_TYPE,
} from '@pod-watch/plugin-pod-watch-common';
import { podWatchApiRef, PodWatchClient } from './api';
import { isPodWatchSearchResult } from './components/PodWatchSearchResultListItem/isPodWatchSearchResult';

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
    path: `/${POD_WATCH_ENTITY_TABS.pods}`,
    title: 'Pod health',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodHealthContent').then(m => (
        <m.EntityPodHealthContent />
      )),
  },
});

const entityPodLogsContent = EntityContentBlueprint.make({
  name: 'pod-logs',
  params: {
    path: `/${POD_WATCH_ENTITY_TABS.logs}`,
    title: 'Logs',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodLogsContent').then(m => (
        <m.EntityPodLogsContent />
      )),
  },
});

const entityIncidentsContent = EntityContentBlueprint.make({
  name: 'incidents',
  params: {
    path: `/${POD_WATCH_ENTITY_TABS.incidents}`,
    title: 'Incidents',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityIncidentsContent').then(m => (
        <m.EntityIncidentsContent />
      )),
  },
});

/** Overview card of component entities, in the info column next to "About" so it is seen first. */
const entityPodWatchCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    type: 'info',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityPodWatchCard').then(m => (
        <m.EntityPodWatchCard />
      )),
  },
});

/** Search results of the Pod Watch collator (incidents and workloads). */
const podWatchSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: isPodWatchSearchResult,
    icon: <WarningIcon />,
    component: () =>
      import('./components/PodWatchSearchResultListItem').then(
        m => m.PodWatchSearchResultListItem,
      ),
  },
});

/** "Incidents" in the search page's result type filter. */
const podWatchIncidentResultType = SearchFilterResultTypeBlueprint.make({
  name: 'incidents',
  params: {
    value: POD_WATCH_INCIDENT_DOCUMENT_TYPE,
    name: 'Incidents',
    icon: <WarningIcon />,
  },
});

/** Pod Watch for Backstage's new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'pod-watch',
  title: 'Pod Watch',
  extensions: [
    podWatchApi,
    entityPodHealthContent,
    entityPodLogsContent,
    entityIncidentsContent,
    entityPodWatchCard,
    podWatchSearchResultListItem,
    podWatchIncidentResultType,
  ],
});
