import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import {
  PodWatchIncidentCollatorFactory,
  PodWatchWorkloadCollatorFactory,
} from './collators';
import { PodWatchDocumentSource } from './PodWatchDocumentSource';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 30 },
};

/**
 * Search collators for Pod Watch incidents and workloads. Schedule:
 * `search.collators.podWatch.schedule` (default every 10 minutes).
 *
 * @public
 */
export const searchModulePodWatch = createBackendModule({
  pluginId: 'search',
  moduleId: 'pod-watch',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        config,
        auth,
        discovery,
        logger,
        scheduler,
        catalog,
        indexRegistry,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'search.collators.podWatch.schedule',
        );
        const schedule = scheduleConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
          : DEFAULT_SCHEDULE;
        const source = new PodWatchDocumentSource({
          auth,
          discovery,
          catalog,
          logger,
        });
        // one runner per collator: the search plugin runs each collator as its own task
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: new PodWatchIncidentCollatorFactory(source),
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: new PodWatchWorkloadCollatorFactory(source),
        });
      },
    });
  },
});
