import type { PodWatchStore, WorkloadInput } from '../../store';
import { HistoryRecorder } from './history';
import { createObjectHandler } from './objects';
import { controllerOf, KindHandler, KubeObject } from './types';

/** Store input for a Deployment, ReplicaSet, StatefulSet, DaemonSet or Job. */
export function toWorkloadInput(
  cluster: string,
  kind: string,
  o: KubeObject,
  at: Date,
  deleted = false,
): WorkloadInput {
  const spec = o.spec ?? {};
  const status = o.status ?? {};
  const daemon = kind === 'DaemonSet';
  let desired = spec.replicas;
  if (daemon) desired = status.desiredNumberScheduled;
  else if (kind === 'Job') desired = spec.completions;
  return {
    cluster,
    uid: o.metadata.uid!,
    kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name ?? '',
    desiredReplicas: desired,
    currentReplicas: daemon ? status.currentNumberScheduled : status.replicas,
    readyReplicas: daemon ? status.numberReady : status.readyReplicas,
    availableReplicas: daemon
      ? status.numberAvailable
      : status.availableReplicas,
    updatedReplicas: daemon
      ? status.updatedNumberScheduled
      : status.updatedReplicas,
    succeeded: status.succeeded,
    failed: status.failed,
    active: status.active,
    generation: o.metadata.generation,
    observedGeneration: status.observedGeneration,
    owner: controllerOf(o),
    labels: o.metadata.labels ?? {},
    selector: spec.selector,
    conditions: status.conditions,
    resourceVersion: o.metadata.resourceVersion,
    createdAt: o.metadata.creationTimestamp,
    seenAt: at,
    deletedAt: deleted ? at : undefined,
  };
}

export function createWorkloadHandler(options: {
  cluster: string;
  store: PodWatchStore;
  apiVersion: string;
  kind: string;
}): KindHandler {
  const { cluster, store, kind } = options;
  return createObjectHandler({
    history: new HistoryRecorder(store, cluster, options.apiVersion, kind),
    toInput: (o, at, deleted) => toWorkloadInput(cluster, kind, o, at, deleted),
    upsert: inputs => store.upsertWorkloads(inputs),
    markDeleted: (uids, at) => store.markWorkloadsDeleted(cluster, uids, at),
    markMissing: (presentUids, namespace, at) =>
      store.markMissingWorkloadsDeleted({
        cluster,
        kind,
        namespace,
        presentUids,
        at,
      }),
  });
}
