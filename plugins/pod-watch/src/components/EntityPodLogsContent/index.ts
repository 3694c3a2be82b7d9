export { EntityPodLogsContent } from './EntityPodLogsContent';
