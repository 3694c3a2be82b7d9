import {
  POD_WATCH_MAX_PAGE_LIMIT,
  podWatchHistoryReadPermission,
  podWatchIncidentsReadPermission,
  type IncidentDetailResponse,
  type IncidentStatus,
} from '@pod-watch/plugin-pod-watch-common';
import { NotFoundError } from '@backstage/errors';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { EventQuery, IncidentRow, PodWatchStore } from '../store';
import { RouteContext } from './context';
import { requirePermission } from './entityAccess';
import { entityScope, incidentIsAbout, incidentSubjects } from './entityScope';
import {
  sendPage,
  toEventItem,
  toHistoryItem,
  toIncidentItem,
  toLogLineItem,
} from './serialize';
import {
  checkTimeRange,
  entityRef,
  enumList,
  int,
  name,
  nameList,
  parseParams,
  time,
} from './validation';

const STATUSES: [IncidentStatus, ...IncidentStatus[]] = ['open', 'resolved'];

export const incidentsQuery = z.object({
  entityRef: entityRef(),
  status: enumList(STATUSES).optional(),
  type: nameList().optional(),
  cluster: name().optional(),
  start: time().optional(),
  end: time().optional(),
  limit: int(1, POD_WATCH_MAX_PAGE_LIMIT).optional(),
  offset: int(0, 1_000_000_000).optional(),
});

export const incidentParams = z.object({
  id: int(1, Number.MAX_SAFE_INTEGER),
});

export const incidentQuery = z.object({
  /** the entity whose tab shows the incident; without it: cluster-wide history permission */
  entityRef: entityRef().optional(),
});

const MINUTE = 60_000;

/** Events, log lines and changes around an incident: what a responder reads first. */
async function relatedEvidence(store: PodWatchStore, incident: IncidentRow) {
  const from = Date.parse(incident.firstSeenAt);
  const to = Date.parse(incident.resolvedAt ?? incident.lastSeenAt);
  const none = { items: [], total: 0 };
  if (!incident.cluster)
    return { events: none, logs: { items: [] }, changes: none };
  const cluster = incident.cluster;
  const workload =
    incident.workloadKind && incident.workloadName && incident.namespace
      ? {
          namespace: incident.namespace,
          kind: incident.workloadKind,
          name: incident.workloadName,
        }
      : undefined;
  // Events about the pod, else about the workload
  let about: Partial<EventQuery> | undefined;
  if (incident.podUid) about = { regardingUids: [incident.podUid] };
  else if (workload) {
    about = {
      namespace: workload.namespace,
      regardingKind: workload.kind,
      regardingName: workload.name,
    };
  }
  const [events, logs, changes] = await Promise.all([
    about
      ? store.listEvents({
          cluster,
          ...about,
          since: from - 10 * MINUTE,
          until: to + 10 * MINUTE,
          limit: 100,
        })
      : none,
    incident.podUid
      ? store.listLogs({
          cluster,
          podUids: [incident.podUid],
          container: incident.container,
          levels: ['error', 'warning'],
          includeExceptions: true,
          since: from - 5 * MINUTE,
          until: to + MINUTE,
          limit: 200,
        })
      : { items: [] },
    workload
      ? store.listHistory({
          cluster,
          namespace: workload.namespace,
          kind: workload.kind,
          name: workload.name,
          since: from - 60 * MINUTE,
          until: to,
          limit: 50,
        })
      : none,
  ]);
  return { events, logs, changes };
}

/** `GET /incidents` (an entity's incidents, paged) and `GET /incidents/:id` (with evidence). */
export function incidentsRoutes(ctx: RouteContext) {
  const router = Router();

  router.get('/incidents', async (req, res) => {
    const q = parseParams(incidentsQuery, req.query);
    checkTimeRange(q.start, q.end);
    const credentials = await ctx.credentials(req);
    const entity = await ctx.access.authorize(
      q.entityRef,
      podWatchIncidentsReadPermission,
      credentials,
    );
    const about = await incidentSubjects(
      ctx.store,
      entityScope(q.entityRef, entity, { cluster: q.cluster }),
    );
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const page = await ctx.store.listIncidents({
      about,
      statuses: q.status,
      types: q.type,
      cluster: q.cluster,
      since: q.start,
      until: q.end,
      limit,
      offset,
    });
    sendPage(res, page, toIncidentItem, { limit, offset });
  });

  router.get('/incidents/:id', async (req, res) => {
    const { id } = parseParams(incidentParams, req.params);
    const q = parseParams(incidentQuery, req.query);
    const credentials = await ctx.credentials(req);
    const incident = await ctx.store.getIncident(id);
    const notFound = new NotFoundError(`Incident ${id} not found`);
    const scopeRef = q.entityRef ?? incident?.entityRef;
    if (scopeRef) {
      // entity-scoped: the entity must be visible and the incident about it
      const entity = await ctx.access.authorize(
        scopeRef,
        podWatchIncidentsReadPermission,
        credentials,
      );
      if (!incident) throw notFound;
      const about = await incidentSubjects(
        ctx.store,
        entityScope(scopeRef, entity),
      );
      if (!incidentIsAbout(incident, about)) throw notFound;
    } else {
      // not attributed to an entity: cluster-wide data
      await requirePermission(
        ctx.permissions,
        podWatchHistoryReadPermission,
        credentials,
      );
      if (!incident) throw notFound;
    }
    const related = await relatedEvidence(ctx.store, incident);
    const body: IncidentDetailResponse = {
      incident: toIncidentItem(incident),
      evidence: incident.evidence,
      events: related.events.items.map(toEventItem),
      logs: related.logs.items.map(toLogLineItem),
      changes: related.changes.items.map(toHistoryItem),
    };
    res.json(body);
  });

  return router;
}
