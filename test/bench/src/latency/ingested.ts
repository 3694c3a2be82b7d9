/**
 * Timing starts only once Pod Watch has the whole cluster: every kind listed and watching, the
 * load pods stored, the entity's pods equal to what the Kubernetes plugin sees and its crash
 * loop turned into an open incident.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_KINDS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { CLUSTER } from './benchBackend';
import { entityPageRequests, getJson, samePods } from './entityPage';

const POLL_MS = 500;

export async function waitUntilIngested(
  requests: ReturnType<typeof entityPageRequests>,
  options: { minPods: number; timeoutMs: number; log(message: string): void },
): Promise<{ pods: number; entityPods: string[]; openIncidents: number }> {
  let last = '';
  const t0 = Date.now();
  const note = (state: string) => {
    if (state !== last) {
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      options.log(`waiting for Pod Watch (${s} s): ${state}`);
    }
    last = state;
  };
  return waitFor(
    async () => {
      // the poll itself is load on the backend: keep it sparse
      await sleep(POLL_MS);
      const { clusters } = await getJson(requests.clusters);
      const cluster = clusters.find((c: any) => c.name === CLUSTER);
      const kinds = cluster?.sync.kinds ?? [];
      const pods = cluster?.counts.pods ?? 0;
      const watching = kinds.filter((k: any) => k.connected).length;
      note(
        `${pods} pods stored, ${watching}/${kinds.length} kinds watching, sync ${cluster?.sync.status}`,
      );
      if (
        cluster?.sync.status !== 'ok' ||
        // kinds appear in the status as their watches start: all of them, all connected
        kinds.length < DEFAULT_KINDS.length ||
        watching < kinds.length ||
        pods < options.minPods
      ) {
        return false;
      }
      const entityPods = await samePods(requests);
      const openIncidents = (await getJson(requests.incidents)).items.length;
      note(`entity pods ${entityPods.length}, open incidents ${openIncidents}`);
      return openIncidents > 0 ? { pods, entityPods, openIncidents } : false;
    },
    options.timeoutMs,
    'Pod Watch to ingest the cluster',
  );
}
