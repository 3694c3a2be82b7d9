export { podWatchPlugin, EntityPodWatchContent } from './plugin';
export * from './api';
