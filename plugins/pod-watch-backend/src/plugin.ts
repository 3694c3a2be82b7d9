import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { applyMigrations } from './database/migrations';
import { pluginVersion } from './database/packageInfo';
import { createRouter } from './router';

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
      },
      async init({ database, httpRouter, logger }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        httpRouter.use(
          await createRouter({ knex, version: pluginVersion() }),
        );
        // Probes must reach /health without a Backstage token; every other route needs one.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info('Pod Watch backend started');
      },
    });
  },
});
