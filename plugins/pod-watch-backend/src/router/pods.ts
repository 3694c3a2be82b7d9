import {
  POD_HEALTH_ORDER,
  podWatchPodsReadPermission,
  type EntityPodsResponse,
  type ObjectRefItem,
  type PodDetailResponse,
  type PodHealth,
} from '@pod-watch/plugin-pod-watch-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import { NotFoundError } from '@backstage/errors';
import type { PodRow, PodWatchStore } from '../store';
import { RouteContext } from './context';
import {
  entityScope,
  podsInScope,
  scopeIncludesPod,
  TOP_LEVEL_WORKLOAD_KINDS,
} from './entityScope';
import { entityHealth, workloadRollups } from './rollups';
import {
  toContainerItem,
  toEventItem,
  toPodItem,
  toServingItem,
} from './serialize';
import { clusterSyncStatuses } from './syncStatus';
import {
  bool,
  dnsLabel,
  dnsSubdomain,
  entityRef,
  enumList,
  int,
  name,
  parseParams,
  uid,
} from './validation';

const HEALTH = POD_HEALTH_ORDER as unknown as [PodHealth, ...PodHealth[]];

export const podsQuery = z.object({
  entityRef: entityRef(),
  cluster: name().optional(),
  namespace: dnsLabel().optional(),
  health: enumList(HEALTH).optional(),
  includeDeleted: bool().optional(),
  limit: int(1, 5000).optional(),
  offset: int(0, 1_000_000).optional(),
});

export const podDetailParams = z.object({
  cluster: name(),
  namespace: dnsLabel(),
  name: dnsSubdomain(),
});

export const podDetailQuery = z.object({
  entityRef: entityRef(),
  uid: uid().optional(),
});

const MAX_OWNER_DEPTH = 5;

/** Containers of the given pods, one query per cluster. */
async function containersOf(store: PodWatchStore, pods: readonly PodRow[]) {
  const uidsByCluster = new Map<string, string[]>();
  for (const p of pods) {
    uidsByCluster.set(p.cluster, [
      ...(uidsByCluster.get(p.cluster) ?? []),
      p.uid,
    ]);
  }
  const lists = await Promise.all(
    [...uidsByCluster].map(([cluster, uids]) =>
      store.listContainers(cluster, uids),
    ),
  );
  return lists.flat();
}

/** Controllers from the pod's direct owner up to the top-level workload. */
async function ownerChain(
  store: PodWatchStore,
  pod: PodRow,
): Promise<ObjectRefItem[]> {
  const chain: ObjectRefItem[] = [];
  let next = pod.owner;
  while (next && chain.length < MAX_OWNER_DEPTH) {
    chain.push({ kind: next.kind, name: next.name, uid: next.uid });
    if (!next.uid) break;
    const { items } = await store.listWorkloads({
      cluster: pod.cluster,
      uids: [next.uid],
      includeDeleted: true,
      limit: 1,
    });
    next = items[0]?.owner;
  }
  if (chain.length === 0 && pod.workload) chain.push(pod.workload);
  return chain;
}

/** `GET /pods` (an entity's pods, roll-ups and sync status) and `GET /pods/:cluster/:namespace/:name`. */
export function podsRoutes(ctx: RouteContext) {
  const router = Router();

  router.get('/pods', async (req, res) => {
    const q = parseParams(podsQuery, req.query);
    const credentials = await ctx.credentials(req);
    const entity = await ctx.access.authorize(
      q.entityRef,
      podWatchPodsReadPermission,
      credentials,
    );
    const scope = entityScope(q.entityRef, entity, q);
    const [matched, workloads, clusters, states] = await Promise.all([
      podsInScope(ctx.store, scope, { includeDeleted: q.includeDeleted }),
      scope.selector
        ? ctx.store.listWorkloads({
            selector: scope.requirements,
            clusters: scope.clusters,
            namespaces: scope.namespaces,
            kinds: TOP_LEVEL_WORKLOAD_KINDS,
          })
        : Promise.resolve({ items: [], total: 0 }),
      ctx.store.listClusters(),
      ctx.store.listSyncStatus(),
    ]);
    const wanted = q.health ? new Set<PodHealth>(q.health) : undefined;
    const pods = wanted
      ? matched.items.filter(p => wanted.has(p.health))
      : matched.items;
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 500;
    const rollups = workloadRollups(
      matched.items,
      workloads.items,
      await containersOf(ctx.store, matched.items),
    );
    const body: EntityPodsResponse = {
      entityRef: q.entityRef,
      selector: scope.selector && {
        labelSelector: scope.selector.labelSelector,
        namespace: scope.selector.namespace,
        cluster: scope.selector.cluster,
      },
      pods: pods.slice(offset, offset + limit).map(toPodItem),
      total: wanted ? pods.length : matched.total,
      counts: matched.health,
      health: entityHealth(matched.items, workloads.items),
      workloads: wanted ? rollups.filter(w => wanted.has(w.health)) : rollups,
      clusters: clusterSyncStatuses(clusters, states, scope.clusters),
    };
    res.json(body);
  });

  router.get('/pods/:cluster/:namespace/:name', async (req, res) => {
    const p = parseParams(podDetailParams, req.params);
    const q = parseParams(podDetailQuery, req.query);
    const credentials = await ctx.credentials(req);
    const entity = await ctx.access.authorize(
      q.entityRef,
      podWatchPodsReadPermission,
      credentials,
    );
    const scope = entityScope(q.entityRef, entity);
    // the same name may have been reused: newest first, or the asked-for uid
    const candidates = await ctx.store.findPodsByName(
      p.cluster,
      p.namespace,
      p.name,
    );
    const pod = candidates.find(
      c =>
        (q.uid === undefined || c.uid === q.uid) && scopeIncludesPod(scope, c),
    );
    if (!pod) {
      throw new NotFoundError(
        `Pod ${p.namespace}/${p.name} in cluster ${p.cluster} not found for ${q.entityRef}`,
      );
    }
    const [containers, events, serving, owners] = await Promise.all([
      ctx.store.listContainers(pod.cluster, [pod.uid]),
      ctx.store.listEvents({
        cluster: pod.cluster,
        regardingUids: [pod.uid],
        limit: 200,
      }),
      ctx.store.listEndpoints({ cluster: pod.cluster, podUids: [pod.uid] }),
      ownerChain(ctx.store, pod),
    ]);
    const body: PodDetailResponse = {
      pod: toPodItem(pod),
      containers: containers.map(toContainerItem),
      events: events.items.map(toEventItem),
      eventsTotal: events.total,
      serving: serving.map(toServingItem),
      ownerChain: owners,
    };
    res.json(body);
  });

  return router;
}
