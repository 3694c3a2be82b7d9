export { EntityPodHealthContent } from './EntityPodHealthContent';
