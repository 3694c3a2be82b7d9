export {
  podWatchPlugin,
  EntityPodHealthContent,
  EntityPodLogsContent,
  EntityIncidentsContent,
  EntityPodWatchCard,
  PodWatchSearchResultListItem,
} from './plugin';
export { isPodWatchSearchResult } from './components/PodWatchSearchResultListItem/isPodWatchSearchResult';
export * from './api';
