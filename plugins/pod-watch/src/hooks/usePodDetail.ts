import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { PodItem } from '@pod-watch/plugin-pod-watch-common';
import { podWatchApiRef } from '../api';

/** One pod's detail and its previous-container logs, loaded when the drawer opens. */
export function usePodDetail(entityRef: string, pod?: PodItem) {
  const api = useApi(podWatchApiRef);
  return useAsyncRetry(async () => {
    if (!pod) return undefined;
    const [detail, previousLogs] = await Promise.all([
      api.getPodDetail({
        entityRef,
        cluster: pod.cluster,
        namespace: pod.namespace,
        name: pod.name,
        uid: pod.uid,
      }),
      // logs are optional here: the drawer still helps without them (e.g. no logs permission)
      api
        .getLogs({
          entityRef,
          cluster: pod.cluster,
          namespace: pod.namespace,
          pod: pod.name,
          source: 'previous',
          limit: 200,
        })
        .catch(() => undefined),
    ]);
    return { detail, previousLogs: previousLogs?.items };
  }, [api, entityRef, pod?.cluster, pod?.namespace, pod?.name, pod?.uid]);
}
