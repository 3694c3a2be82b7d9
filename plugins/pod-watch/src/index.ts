export { podWatchPlugin as default } from './plugin';
