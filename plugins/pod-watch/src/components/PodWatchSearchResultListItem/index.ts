export {
  PodWatchSearchResultListItem,
  POD_WATCH_SEARCH_TYPE,
  type PodWatchSearchDocument,
} from './PodWatchSearchResultListItem';
