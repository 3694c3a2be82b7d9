export {
  podWatchPlugin,
  EntityPodHealthContent,
  EntityPodLogsContent,
  EntityIncidentsContent,
  EntityPodWatchCard,
  PodWatchSearchResultListItem,
} from './plugin';
export {
  POD_WATCH_SEARCH_TYPE,
  type PodWatchSearchDocument,
} from './components/PodWatchSearchResultListItem';
export * from './api';
