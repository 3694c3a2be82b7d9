import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { PodWatchStore } from '../store';
import { PodWatchEngine } from './PodWatchEngine';

export { PodWatchEngine } from './PodWatchEngine';
export { LeaseElector } from './LeaseElector';
export type { EngineStatus } from './PodWatchEngine';
export type { LogRunSummary } from './LogCollector';

/**
 * Creates the engine from config, schedules its tasks and, once the backend has started,
 * campaigns for the clusters' leases (released again at shutdown). Invalid `podWatch` settings are
 * logged and collection stays off: the rest of the backend (and the pages, which read only
 * the database) keep working.
 */
export async function startPodWatchEngine(options: {
  config: Config;
  logger: LoggerService;
  store: PodWatchStore;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
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
  options.lifecycle.addStartupHook(() => engine.start());
  options.lifecycle.addShutdownHook(() => engine.stop());
  return engine;
}
