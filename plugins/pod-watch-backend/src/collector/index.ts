import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { PodWatchStore } from '../store';
import { PodWatchEngine } from './PodWatchEngine';

export { PodWatchEngine } from './PodWatchEngine';
export type { EngineStatus } from './PodWatchEngine';
export type { LogRunSummary } from './LogCollector';

/**
 * Creates the engine from config and schedules its tasks. Invalid `podWatch` settings are
 * logged and collection stays off: the rest of the backend (and the pages, which read only
 * the database) keep working.
 */
export async function startPodWatchEngine(options: {
  config: Config;
  logger: LoggerService;
  store: PodWatchStore;
  scheduler: SchedulerService;
}): Promise<PodWatchEngine | undefined> {
  let engine: PodWatchEngine;
  try {
    engine = PodWatchEngine.fromConfig(options);
  } catch (e) {
    options.logger.error(
      `Pod Watch: collection disabled, invalid configuration: ${
        (e as Error).message
      }`,
    );
    return undefined;
  }
  await engine.schedule(options.scheduler, options.config);
  return engine;
}
