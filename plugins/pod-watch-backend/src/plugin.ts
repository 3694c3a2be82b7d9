import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { podWatchPermissions } from '@pod-watch/plugin-pod-watch-common';
import { readClusters } from './clusters/clusterConfig';
import { clusterConnectionTester } from './clusters/connectionTest';
import { startPodWatchEngine } from './collector';
import { applyMigrations } from './database/migrations';
import { pluginVersion } from './database/packageInfo';
import { createRouter } from './router';
import { PodWatchStore } from './store';

/**
 * Pod Watch backend plugin: wiring only, logic lives in the modules it calls.
 *
 * @public
 */
export const podWatchPlugin = createBackendPlugin({
  pluginId: 'pod-watch',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        database,
        httpRouter,
        logger,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        config,
        scheduler,
        lifecycle,
      }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        const store = await PodWatchStore.create(knex);
        permissionsRegistry.addPermissions(podWatchPermissions);
        httpRouter.use(
          await createRouter({
            knex,
            version: pluginVersion(),
            store,
            logger,
            httpAuth,
            permissions,
            catalog,
            testConnection: clusterConnectionTester(() => readClusters(config)),
          }),
        );
        // Probes must reach /health without a Backstage token; every other route needs one.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // collection: one replica per cluster, elected through a lease in the database
        await startPodWatchEngine({
          config,
          logger,
          store,
          scheduler,
          lifecycle,
        });
        logger.info('Pod Watch backend started');
      },
    });
  },
});
