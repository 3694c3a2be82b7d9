import {
  POD_WATCH_MAX_PAGE_LIMIT,
  podWatchHistoryReadPermission,
  podWatchPodsReadPermission,
  type HistoryVerb,
  type ObjectTimelineResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { NotFoundError } from '@backstage/errors';
import { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RouteContext } from './context';
import { requirePermission } from './entityAccess';
import { entityScope, scopeIncludesObject } from './entityScope';
import { sendPage, toEventItem, toHistoryItem } from './serialize';
import {
  checkTimeRange,
  dnsLabel,
  entityRef,
  enumList,
  int,
  kind,
  name,
  nameList,
  parseParams,
  time,
  uid,
} from './validation';

const VERBS: [HistoryVerb, ...HistoryVerb[]] = ['create', 'update', 'delete'];

const common = {
  cluster: name().optional(),
  start: time().optional(),
  end: time().optional(),
  namespace: dnsLabel().optional(),
  resourceType: kind().optional(),
  resourceName: name().optional(),
  limit: int(1, POD_WATCH_MAX_PAGE_LIMIT).optional(),
  offset: int(0, 1_000_000_000).optional(),
};

export const eventHistoryQuery = z.object({
  ...common,
  type: z
    .enum(['Normal', 'Warning'], { message: 'must be Normal or Warning' })
    .optional(),
  reason: nameList().optional(),
});

export const objectHistoryQuery = z.object({
  ...common,
  verb: enumList(VERBS).optional(),
});

export const objectParams = z.object({ cluster: name(), uid: uid() });

export const objectTimelineQuery = z.object({
  /** read an entity's own pod or workload with `podwatch.pods.read` on the entity */
  entityRef: entityRef().optional(),
});

/**
 * Cluster-wide Event and object history (`podwatch.history.read`): `GET /history/events`,
 * `GET /history/objects` and one object's timeline `GET /history/objects/:cluster/:uid` (also
 * readable with `podwatch.pods.read` for an entity's own pods and workloads via `entityRef`).
 */
export function historyRoutes(ctx: RouteContext) {
  const router = Router();

  const requireHistory = async (req: Request) =>
    requirePermission(
      ctx.permissions,
      podWatchHistoryReadPermission,
      await ctx.credentials(req),
    );

  router.get('/history/events', async (req, res) => {
    const q = parseParams(eventHistoryQuery, req.query);
    checkTimeRange(q.start, q.end);
    await requireHistory(req);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const page = await ctx.store.listEvents({
      cluster: q.cluster,
      namespace: q.namespace,
      regardingKind: q.resourceType,
      regardingName: q.resourceName,
      type: q.type,
      reasons: q.reason,
      since: q.start,
      until: q.end,
      limit,
      offset,
    });
    sendPage(res, page, toEventItem, { limit, offset });
  });

  router.get('/history/objects', async (req, res) => {
    const q = parseParams(objectHistoryQuery, req.query);
    checkTimeRange(q.start, q.end);
    await requireHistory(req);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const page = await ctx.store.listHistory({
      cluster: q.cluster,
      namespace: q.namespace,
      kind: q.resourceType,
      name: q.resourceName,
      verbs: q.verb,
      since: q.start,
      until: q.end,
      limit,
      offset,
    });
    sendPage(res, page, toHistoryItem, { limit, offset });
  });

  router.get('/history/objects/:cluster/:uid', async (req, res) => {
    const p = parseParams(objectParams, req.params);
    const q = parseParams(objectTimelineQuery, req.query);
    if (q.entityRef) {
      // an entity's own pod or workload: the entity's pods permission is enough
      const entity = await ctx.access.authorize(
        q.entityRef,
        podWatchPodsReadPermission,
        await ctx.credentials(req),
      );
      const scope = entityScope(q.entityRef, entity, { cluster: p.cluster });
      if (!(await scopeIncludesObject(ctx.store, scope, p.cluster, p.uid))) {
        throw new NotFoundError(
          `No object ${p.uid} in cluster ${p.cluster} for ${q.entityRef}`,
        );
      }
    } else {
      await requireHistory(req);
    }
    const [history, events] = await Promise.all([
      ctx.store.listHistory({
        cluster: p.cluster,
        objectUids: [p.uid],
        limit: 500,
      }),
      ctx.store.listEvents({
        cluster: p.cluster,
        regardingUids: [p.uid],
        limit: 500,
      }),
    ]);
    if (history.total === 0 && events.total === 0) {
      throw new NotFoundError(
        `No history for ${p.uid} in cluster ${p.cluster}`,
      );
    }
    const latest = history.items[0];
    const regarding = events.items[0]?.regarding;
    const body: ObjectTimelineResponse = {
      cluster: p.cluster,
      uid: p.uid,
      kind: latest?.kind ?? regarding?.kind,
      namespace: latest?.namespace ?? regarding?.namespace,
      name: latest?.name ?? regarding?.name,
      history: history.items.map(toHistoryItem),
      historyTotal: history.total,
      events: events.items.map(toEventItem),
      eventsTotal: events.total,
    };
    res.json(body);
  });

  return router;
}
