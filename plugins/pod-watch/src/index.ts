export {
  podWatchPlugin,
  EntityPodHealthContent,
  EntityPodLogsContent,
} from './plugin';
export * from './api';
