import Router from 'express-promise-router';
import express from 'express';
import { Knex } from 'knex';
import { checkHealth } from './health';

/** What the router needs; grows as routes are added. */
export interface RouterOptions {
  knex: Knex;
  version: string;
}

/** Builds the plugin's express router. Auth is enforced by the httpRouter service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex, version } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const report = await checkHealth(knex, version);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  return router;
}
