import { Entity } from '@backstage/catalog-model';
import {
  entityWorkloadSelector,
  hasKubernetesAnnotations,
  selectorMatches,
  type EntityWorkloadSelector,
} from '@pod-watch/plugin-pod-watch-common';
import type {
  IncidentQuery,
  IncidentRow,
  IncidentWorkloadRef,
  PodRow,
  PodWatchStore,
  SelectorRequirement,
} from '../store';
import { toSelectorRequirement } from '../store';
import { ParameterError } from './errors';

/** Which stored objects belong to an entity, narrowed by the request's cluster/namespace filters. */
export interface EntityScope {
  entityRef: string;
  /** undefined when the entity has no Kubernetes annotation: it owns no pods */
  selector?: EntityWorkloadSelector;
  requirements: SelectorRequirement[];
  /** undefined = any cluster; [] = none (the filter contradicts the entity's restriction) */
  clusters?: string[];
  namespaces?: string[];
}

/** Intersects the entity's restriction with the request's filter. */
function restrict(
  fromEntity: string | undefined,
  fromRequest: string | undefined,
): string[] | undefined {
  if (fromEntity !== undefined && fromRequest !== undefined) {
    return fromEntity === fromRequest ? [fromEntity] : [];
  }
  const one = fromEntity ?? fromRequest;
  return one === undefined ? undefined : [one];
}

/** The entity's pod selector (same annotations as Backstage's Kubernetes tab) plus filters. */
export function entityScope(
  entityRef: string,
  entity: Entity,
  filters: { cluster?: string; namespace?: string } = {},
): EntityScope {
  if (!hasKubernetesAnnotations(entity)) {
    return { entityRef, requirements: [], clusters: [], namespaces: [] };
  }
  let selector: EntityWorkloadSelector;
  try {
    selector = entityWorkloadSelector(entity);
  } catch (e) {
    throw new ParameterError(
      'entityRef',
      `the entity's label selector annotation is invalid: ${
        (e as Error).message
      }`,
    );
  }
  return {
    entityRef,
    selector,
    requirements: selector.requirements.map(toSelectorRequirement),
    clusters: restrict(selector.cluster, filters.cluster),
    namespaces: restrict(selector.namespace, filters.namespace),
  };
}

/** Whether a stored pod belongs to the entity. */
export function scopeIncludesPod(scope: EntityScope, pod: PodRow): boolean {
  if (!scope.selector) return false;
  return selectorMatches(scope.selector, pod);
}

/** Pods that can be read as many as a scope can hold in one request. */
export const MAX_SCOPE_PODS = 5000;

/** The entity's pods (including deleted ones when asked), most attention first. */
export async function podsInScope(
  store: PodWatchStore,
  scope: EntityScope,
  options: { includeDeleted?: boolean } = {},
) {
  return store.listPodsForSelector({
    selector: scope.requirements,
    clusters: scope.clusters,
    namespaces: scope.namespaces,
    includeDeleted: options.includeDeleted,
    limit: MAX_SCOPE_PODS,
  });
}

/** Top-level workload kinds an entity's selector may match directly. */
export const TOP_LEVEL_WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
];

/**
 * What an entity's incidents are about: the incident builder keys incidents by workload (or a
 * standalone pod) and does not know entities, so they are found through the entity's pods
 * (deleted ones too) and workloads, plus any incident attributed to the entity directly.
 */
export async function incidentSubjects(
  store: PodWatchStore,
  scope: EntityScope,
): Promise<NonNullable<IncidentQuery['about']>> {
  if (!scope.selector) return { entityRef: scope.entityRef };
  const [pods, workloads] = await Promise.all([
    podsInScope(store, scope, { includeDeleted: true }),
    store.listWorkloads({
      selector: scope.requirements,
      clusters: scope.clusters,
      namespaces: scope.namespaces,
      kinds: TOP_LEVEL_WORKLOAD_KINDS,
      includeDeleted: true,
    }),
  ]);
  const refs = new Map<string, IncidentWorkloadRef>();
  const add = (w: IncidentWorkloadRef) =>
    refs.set(
      `${w.cluster}\u0000${w.namespace}\u0000${w.kind}\u0000${w.name}`,
      w,
    );
  for (const p of pods.items) {
    if (p.workload)
      add({ cluster: p.cluster, namespace: p.namespace, ...p.workload });
  }
  for (const w of workloads.items) {
    if (!w.owner)
      add({
        cluster: w.cluster,
        namespace: w.namespace,
        kind: w.kind,
        name: w.name,
      });
  }
  return {
    entityRef: scope.entityRef,
    podUids: [...new Set(pods.items.map(p => p.uid))],
    workloads: [...refs.values()],
  };
}

/** Whether an incident is about one of the subjects (the same rule as the store's `about`). */
export function incidentIsAbout(
  incident: IncidentRow,
  about: NonNullable<IncidentQuery['about']>,
): boolean {
  return (
    (about.entityRef !== undefined && incident.entityRef === about.entityRef) ||
    (incident.podUid !== undefined &&
      (about.podUids ?? []).includes(incident.podUid)) ||
    (about.workloads ?? []).some(
      w =>
        w.cluster === incident.cluster &&
        w.namespace === incident.namespace &&
        w.kind === incident.workloadKind &&
        w.name === incident.workloadName,
    )
  );
}

/** Whether a pod or workload (by uid, deleted ones included) belongs to the entity. */
export async function scopeIncludesObject(
  store: PodWatchStore,
  scope: EntityScope,
  cluster: string,
  uid: string,
): Promise<boolean> {
  if (!scope.selector) return false;
  const [pods, workloads] = await Promise.all([
    podsInScope(store, scope, { includeDeleted: true }),
    store.listWorkloads({
      selector: scope.requirements,
      clusters: scope.clusters,
      namespaces: scope.namespaces,
      uids: [uid],
      includeDeleted: true,
      limit: 1,
    }),
  ]);
  return (
    workloads.total > 0 ||
    pods.items.some(p => p.cluster === cluster && p.uid === uid)
  );
}
