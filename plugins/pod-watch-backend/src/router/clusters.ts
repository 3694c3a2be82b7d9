import {
  podWatchClustersReadPermission,
  podWatchClustersTestPermission,
  type ClusterConnectionTestResponse,
  type ClusterOverviewResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { NotFoundError, NotImplementedError } from '@backstage/errors';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RouteContext } from './context';
import { requirePermission } from './entityAccess';
import { clusterSyncStatuses } from './syncStatus';
import { name, parseParams } from './validation';

export const clusterParams = z.object({ cluster: name() });

/**
 * `GET /clusters` (sync status per kind and counts, from the database) and
 * `POST /clusters/:cluster/test` (a live request to the API server). Responses carry names,
 * times and counts only: cluster URLs, tokens and CA data never leave the clusters module.
 */
export function clustersRoutes(ctx: RouteContext) {
  const router = Router();

  router.get('/clusters', async (req, res) => {
    await requirePermission(
      ctx.permissions,
      podWatchClustersReadPermission,
      await ctx.credentials(req),
    );
    const [clusters, states, counts] = await Promise.all([
      ctx.store.listClusters(),
      ctx.store.listSyncStatus(),
      ctx.store.countByCluster(),
    ]);
    const body: ClusterOverviewResponse = {
      clusters: clusterSyncStatuses(clusters, states).map(sync => {
        const c = counts.find(x => x.cluster === sync.cluster);
        return {
          name: sync.cluster,
          sync,
          counts: {
            deployments: c?.workloads.Deployment ?? 0,
            pods: c?.pods ?? 0,
            running: c?.phases.Running ?? 0,
            pending: c?.phases.Pending ?? 0,
            failing: c?.health.failing ?? 0,
          },
        };
      }),
    };
    res.json(body);
  });

  router.post('/clusters/:cluster/test', async (req, res) => {
    const { cluster } = parseParams(clusterParams, req.params);
    await requirePermission(
      ctx.permissions,
      podWatchClustersTestPermission,
      await ctx.credentials(req),
    );
    if (!ctx.testConnection) {
      throw new NotImplementedError(
        'Cluster connection tests are not configured',
      );
    }
    const result = await ctx.testConnection(cluster);
    if (!result)
      throw new NotFoundError(`Cluster ${cluster} is not configured`);
    // explicit fields: whatever the tester returns, only these reach the caller
    const body: ClusterConnectionTestResponse = {
      cluster: result.cluster,
      ok: result.ok,
      latencyMs: result.latencyMs,
      serverVersion: result.serverVersion,
      error: result.error,
    };
    res.json(body);
  });

  return router;
}
