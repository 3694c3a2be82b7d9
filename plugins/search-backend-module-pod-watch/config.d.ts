import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** Pod Watch incident and workload collators. */
      podWatch?: {
        /** How often to re-index (default: every 10 minutes, 15 minute timeout). */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
