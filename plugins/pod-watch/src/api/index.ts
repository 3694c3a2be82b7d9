export { podWatchApiRef } from './PodWatchApi';
export type { PodWatchApi, PodWatchHealth } from './PodWatchApi';
export { PodWatchClient } from './PodWatchClient';
