import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';
import express from 'express';
import { Knex } from 'knex';
import type { PodWatchStore } from '../store';
import { clustersRoutes } from './clusters';
import { ClusterConnectionTester, RouteContext } from './context';
import { EntityAccess } from './entityAccess';
import { errorHandler } from './errors';
import { checkHealth } from './health';
import { historyRoutes } from './history';
import { incidentsRoutes } from './incidents';
import { logsRoutes } from './logs';
import { podsRoutes } from './pods';

/** What the router needs. */
export interface RouterOptions {
  knex: Knex;
  version: string;
  store: PodWatchStore;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Live connection test of a configured cluster (`POST /clusters/:cluster/test`). */
  testConnection?: ClusterConnectionTester;
}

/**
 * Builds the plugin's express router. Authentication is enforced by the httpRouter service
 * (every route but `/health` needs a user or service principal); entity-scoped routes then
 * check catalog visibility and plugin permissions (see entityAccess.ts).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex, version, httpAuth } = options;
  const ctx: RouteContext = {
    store: options.store,
    access: new EntityAccess(options.catalog, options.permissions),
    permissions: options.permissions,
    logger: options.logger,
    credentials: req =>
      httpAuth.credentials(req, { allow: ['user', 'service'] }),
    testConnection: options.testConnection,
  };
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const report = await checkHealth(knex, version);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  router.use(podsRoutes(ctx));
  router.use(logsRoutes(ctx));
  router.use(incidentsRoutes(ctx));
  router.use(historyRoutes(ctx));
  router.use(clustersRoutes(ctx));
  router.use(errorHandler(options.logger));

  return router;
}
