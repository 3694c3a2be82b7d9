export {
  PodWatchSearchResultListItem,
  isPodWatchSearchResult,
} from './PodWatchSearchResultListItem';
