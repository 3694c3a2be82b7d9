import type { PodWatchStore, WatchedObjectInput } from '../../store';
import { HistoryRecorder, trimObject } from './history';
import { createObjectHandler } from './objects';
import { KindHandler, KubeObject } from './types';

export function createCustomResourceHandler(options: {
  cluster: string;
  store: PodWatchStore;
  apiVersion: string;
  kind: string;
}): KindHandler {
  const { cluster, store, apiVersion, kind } = options;
  const toInput = (
    o: KubeObject,
    at: Date,
    deleted = false,
  ): WatchedObjectInput => ({
    cluster,
    uid: o.metadata.uid!,
    apiVersion: o.apiVersion ?? apiVersion,
    kind: o.kind ?? kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name ?? '',
    labels: o.metadata.labels ?? {},
    status: o.status,
    object: trimObject(o),
    resourceVersion: o.metadata.resourceVersion,
    createdAt: o.metadata.creationTimestamp,
    seenAt: at,
    deletedAt: deleted ? at : undefined,
  });
  return createObjectHandler({
    history: new HistoryRecorder(store, cluster, apiVersion, kind),
    toInput,
    upsert: inputs => store.upsertWatchedObjects(inputs),
    markDeleted: (uids, at) =>
      store.markWatchedObjectsDeleted(cluster, uids, at),
    markMissing: (presentUids, namespace, at) =>
      store.markMissingWatchedObjectsDeleted({
        cluster,
        kind,
        namespace,
        presentUids,
        at,
      }),
  });
}
