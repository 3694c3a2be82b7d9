import type { PodWatchStore, WatchedObjectInput } from '../../store';
import { HistoryRecorder, trimObject } from './history';
import { KindHandler, KubeObject, latestByUid } from './types';

export function createCustomResourceHandler(options: {
  cluster: string;
  store: PodWatchStore;
  apiVersion: string;
  kind: string;
}): KindHandler {
  const { cluster, store, apiVersion, kind } = options;
  const history = new HistoryRecorder(store, cluster, apiVersion, kind);
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
  return {
    async apply(events, at) {
      const latest = latestByUid(events);
      await store.upsertWatchedObjects(
        latest.map(e => toInput(e.object, at, e.type === 'DELETED')),
      );
      const deleted = latest
        .filter(e => e.type === 'DELETED')
        .map(e => e.object.metadata.uid!);
      if (deleted.length > 0)
        await store.markWatchedObjectsDeleted(cluster, deleted, at);
      await history.record(events, at);
    },
    async replace(objects, scope, at) {
      await store.upsertWatchedObjects(objects.map(o => toInput(o, at)));
      const uids = objects.map(o => o.metadata.uid!);
      await store.markMissingWatchedObjectsDeleted({
        cluster,
        kind,
        namespace: scope.namespace,
        presentUids: uids,
        at,
      });
      history.retain(new Set(uids));
      history.remember(objects);
    },
  };
}
