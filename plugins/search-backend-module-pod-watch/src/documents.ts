import {
  podWatchEntityTabUrl,
  type IncidentItem,
  type PodWatchIncidentDocument,
  type PodWatchWorkloadDocument,
  type WorkloadRollupItem,
} from '@pod-watch/plugin-pod-watch-common';

/** The part of a catalog entity a document needs. */
export interface DocumentEntity {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
}

const words = (...parts: Array<string | number | undefined>) =>
  parts.filter(p => p !== undefined && p !== '').join(' ');

/**
 * An incident as a search document. The text holds what a responder types: the reason
 * (`OOMKilled`), the entity, workload, pod and container names, images and the message.
 */
export function incidentDocument(
  entity: DocumentEntity,
  incident: IncidentItem,
  images: readonly string[] = [],
): PodWatchIncidentDocument {
  const entityTitle = entity.title ?? entity.name;
  // the workload (or pod) when it is named differently from the entity
  const where = incident.workloadName ?? incident.podName;
  const suffix =
    where && where !== entity.name && where !== entityTitle
      ? ` (${where})`
      : '';
  return {
    title: `${incident.type} in ${entityTitle}${suffix}`,
    text: words(
      incident.type,
      incident.summary,
      incident.rootCauseHint,
      entity.name,
      entity.title,
      incident.workloadName,
      incident.podName,
      incident.container,
      ...images,
      incident.namespace,
      incident.cluster,
      incident.status,
    ),
    location: podWatchEntityTabUrl(entity, 'incidents', {
      incident: incident.id,
    }),
    authorization: { resourceRef: entity.ref },
    entityRef: entity.ref,
    entityTitle,
    cluster: incident.cluster ?? '',
    namespace: incident.namespace ?? '',
    incidentId: incident.id,
    incidentType: incident.type,
    severity: incident.severity,
    status: incident.status,
    workload: incident.workloadName ?? '',
    pod: incident.podName ?? '',
    container: incident.container ?? '',
    images: images.join(' '),
    openedAt: incident.openedAt,
    lastSeenAt: incident.lastSeenAt,
  };
}

/** A workload with its rolled-up health as a search document. */
export function workloadDocument(
  entity: DocumentEntity,
  workload: WorkloadRollupItem,
): PodWatchWorkloadDocument {
  const entityTitle = entity.title ?? entity.name;
  const images = workload.images ?? [];
  return {
    title: `${workload.kind} ${workload.name} (${workload.health})`,
    text: words(
      workload.kind,
      workload.name,
      workload.health,
      entity.name,
      entity.title,
      workload.topIssue?.reason,
      workload.topIssue?.message,
      workload.topIssue?.container,
      workload.worstPod,
      ...images,
      workload.namespace,
      workload.cluster,
    ),
    location: podWatchEntityTabUrl(entity, 'pods', {
      workload: `${workload.kind}/${workload.name}`,
    }),
    authorization: { resourceRef: entity.ref },
    entityRef: entity.ref,
    entityTitle,
    cluster: workload.cluster,
    namespace: workload.namespace,
    kind: workload.kind,
    name: workload.name,
    health: workload.health,
    pods: workload.pods,
    images: images.join(' '),
    issue: workload.topIssue?.reason ?? '',
  };
}
