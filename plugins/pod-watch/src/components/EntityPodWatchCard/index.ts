export { EntityPodWatchCard } from './EntityPodWatchCard';
