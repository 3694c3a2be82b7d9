import type { EndpointInput, PodWatchStore } from '../../store';
import { KindHandler, KubeObject } from './types';

const SERVICE_LABEL = 'kubernetes.io/service-name';

function endpointsOf(slice: KubeObject): EndpointInput[] {
  const out: EndpointInput[] = [];
  for (const e of slice.endpoints ?? []) {
    const podRef = e.targetRef?.kind === 'Pod' ? e.targetRef : undefined;
    for (const ip of e.addresses ?? []) {
      out.push({
        ip,
        podUid: podRef?.uid,
        podName: podRef?.name,
        nodeName: e.nodeName,
        ready: e.conditions?.ready ?? null,
        serving: e.conditions?.serving ?? null,
        terminating: e.conditions?.terminating ?? null,
      });
    }
  }
  return out;
}

/** EndpointSlices → the serving/ready endpoints per pod behind each Service, per slice. */
export function createEndpointSliceHandler(options: {
  cluster: string;
  store: PodWatchStore;
}): KindHandler {
  const { cluster, store } = options;
  const write = async (slice: KubeObject, deleted: boolean, at: Date) => {
    const service = slice.metadata.labels?.[SERVICE_LABEL];
    if (!service || !slice.metadata.namespace || !slice.metadata.name) return;
    await store.replaceServiceEndpoints({
      cluster,
      namespace: slice.metadata.namespace,
      service,
      slice: slice.metadata.name,
      endpoints: deleted ? [] : endpointsOf(slice),
      seenAt: at,
    });
  };
  return {
    async apply(events, at) {
      for (const e of events) await write(e.object, e.type === 'DELETED', at);
    },
    async replace(objects, scope, at) {
      for (const o of objects) await write(o, false, at);
      // slices gone while nobody watched: empty their endpoints
      const present = new Set(
        objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`),
      );
      const stored = await store.listEndpoints({
        cluster,
        namespace: scope.namespace,
      });
      const stale = new Map<
        string,
        { namespace: string; service: string; slice: string }
      >();
      for (const row of stored) {
        if (row.slice && !present.has(`${row.namespace}/${row.slice}`)) {
          stale.set(`${row.namespace}/${row.slice}`, row);
        }
      }
      for (const row of stale.values()) {
        await store.replaceServiceEndpoints({
          cluster,
          namespace: row.namespace,
          service: row.service,
          slice: row.slice,
          endpoints: [],
          seenAt: at,
        });
      }
    },
  };
}
