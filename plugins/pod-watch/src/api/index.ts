export { podWatchApiRef } from './PodWatchApi';
export type {
  LogsDownloadQuery,
  PodWatchApi,
  PodWatchHealth,
} from './PodWatchApi';
export { PodWatchClient } from './PodWatchClient';
