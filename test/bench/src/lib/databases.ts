export {
  openScratchDatabase,
  type ScratchDatabase,
} from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
