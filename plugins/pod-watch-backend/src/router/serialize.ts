import type {
  ContainerItem,
  EventItem,
  HistoryItem,
  IncidentItem,
  LogLineItem,
  PagedResponse,
  PodItem,
  ServingItem,
  TopIssue,
} from '@pod-watch/plugin-pod-watch-common';
import { Response } from 'express';
import {
  POD_WATCH_HAS_MORE_HEADER,
  POD_WATCH_TOTAL_COUNT_HEADER,
} from '@pod-watch/plugin-pod-watch-common';
import type {
  ContainerRow,
  EndpointRow,
  EventRow,
  HistoryRow,
  IncidentRow,
  LogLineRow,
  Page,
  PodRow,
} from '../store';

/**
 * Store rows → API items. Explicit field lists, so a column added to the store (or anything
 * sensitive) never reaches a response by accident.
 */

export function toPodItem(p: PodRow): PodItem {
  return {
    cluster: p.cluster,
    namespace: p.namespace,
    name: p.name,
    uid: p.uid,
    nodeName: p.nodeName,
    phase: p.phase,
    status: p.status,
    ready: p.ready,
    restarts: p.restarts,
    lastRestartAt: p.lastRestartAt,
    health: p.health,
    attention: p.attention,
    topIssue: p.topIssue as TopIssue | undefined,
    owner: p.owner,
    workload: p.workload,
    podIp: p.podIp,
    labels: p.labels,
    createdAt: p.createdAt,
    firstSeenAt: p.firstSeenAt,
    lastSeenAt: p.lastSeenAt,
    deletedAt: p.deletedAt,
  };
}

export function toContainerItem(c: ContainerRow): ContainerItem {
  return {
    name: c.name,
    type: c.type,
    image: c.image,
    ready: c.ready,
    state: c.state,
    reason: c.stateReason,
    message: c.stateMessage,
    since: c.stateSince,
    restarts: c.restartCount,
    lastTermination: c.lastTermination,
  };
}

export function toEventItem(e: EventRow): EventItem {
  return {
    id: e.id,
    cluster: e.cluster,
    namespace: e.namespace,
    name: e.name,
    type: e.type,
    reason: e.reason,
    message: e.message,
    regarding: e.regarding,
    reportingController: e.reportingController,
    count: e.count,
    firstAt: e.firstAt,
    lastAt: e.lastAt,
  };
}

export function toServingItem(e: EndpointRow): ServingItem {
  return {
    service: e.service,
    slice: e.slice,
    ip: e.ip,
    ready: e.ready,
    serving: e.serving,
    terminating: e.terminating,
    firstSeenAt: e.firstSeenAt,
    lastSeenAt: e.lastSeenAt,
  };
}

export function toHistoryItem(h: HistoryRow): HistoryItem {
  return {
    id: h.id,
    cluster: h.cluster,
    objectUid: h.objectUid,
    apiVersion: h.apiVersion,
    kind: h.kind,
    namespace: h.namespace,
    name: h.name,
    verb: h.verb,
    resourceVersion: h.resourceVersion,
    at: h.at,
    snapshot: h.snapshot,
    diff: h.diff,
  };
}

export function toIncidentItem(i: IncidentRow): IncidentItem {
  return {
    id: i.id,
    type: i.type,
    severity: i.severity,
    status: i.status,
    entityRef: i.entityRef,
    cluster: i.cluster,
    namespace: i.namespace,
    workloadKind: i.workloadKind,
    workloadName: i.workloadName,
    podUid: i.podUid,
    podName: i.podName,
    container: i.container,
    summary: i.summary,
    rootCauseHint: i.rootCauseHint,
    occurrences: i.occurrences,
    firstSeenAt: i.firstSeenAt,
    lastSeenAt: i.lastSeenAt,
    openedAt: i.openedAt,
    resolvedAt: i.resolvedAt,
    recurrenceOf: i.recurrenceOf,
  };
}

export function toLogLineItem(l: LogLineRow): LogLineItem {
  return {
    id: l.id,
    at: l.at,
    level: l.level,
    exception: l.exception,
    text: l.text,
    pod: l.podName,
    podUid: l.podUid,
    container: l.container,
    instance: l.instance,
    source: l.source,
  };
}

/** A store page as an API page, with the `X-Total-Count` / `X-Has-More` headers set. */
export function sendPage<R, T>(
  res: Response,
  page: Page<R>,
  map: (row: R) => T,
  paging: { limit: number; offset: number },
): void {
  const hasMore = paging.offset + page.items.length < page.total;
  res.setHeader(POD_WATCH_TOTAL_COUNT_HEADER, String(page.total));
  res.setHeader(POD_WATCH_HAS_MORE_HEADER, String(hasMore));
  const body: PagedResponse<T> = {
    items: page.items.map(map),
    total: page.total,
    hasMore,
    limit: paging.limit,
    offset: paging.offset,
  };
  res.json(body);
}
