import type { PodWatchStore } from '../../store';
import { apiVersionOf, WatchedKind } from '../kinds';
import { createCustomResourceHandler } from './customResources';
import { createEndpointSliceHandler } from './endpointSlices';
import { createEventHandler } from './events';
import { ContainerTermination, createPodHandler } from './pods';
import { KindHandler } from './types';
import { createWorkloadHandler } from './workloads';

export type { KindHandler, KubeObject, WatchEvent } from './types';
export type { ContainerTermination } from './pods';

/** The handler that maps a watched kind into the store. */
export function createKindHandler(options: {
  cluster: string;
  kind: WatchedKind;
  store: PodWatchStore;
  onTerminations?: (t: ContainerTermination[]) => void;
}): KindHandler {
  const { cluster, kind, store } = options;
  const apiVersion = apiVersionOf(kind);
  switch (kind.handler) {
    case 'pods':
      return createPodHandler({
        cluster,
        store,
        onTerminations: options.onTerminations,
      });
    case 'coreEvents':
      return createEventHandler({ cluster, store, apiGroup: 'core' });
    case 'eventsV1':
      return createEventHandler({ cluster, store, apiGroup: 'events.k8s.io' });
    case 'workloads':
      return createWorkloadHandler({
        cluster,
        store,
        apiVersion,
        kind: kind.kind,
      });
    case 'endpointSlices':
      return createEndpointSliceHandler({ cluster, store });
    default:
      return createCustomResourceHandler({
        cluster,
        store,
        apiVersion,
        kind: kind.kind,
      });
  }
}
