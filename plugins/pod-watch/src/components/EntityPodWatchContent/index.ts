export { EntityPodWatchContent } from './EntityPodWatchContent';
