import {
  POD_HEALTH_ORDER,
  type PodHealth,
  type PodItem,
  type WorkloadRollupItem,
} from '@pod-watch/plugin-pod-watch-common';

/** Pods of one workload (or standalone pods of a namespace), for one table. */
export interface PodGroup {
  key: string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  rollup?: WorkloadRollupItem;
  pods: PodItem[];
}

/** Index in the worst-first health order: lower means look first. */
export function healthRank(health: PodHealth): number {
  const i = POD_HEALTH_ORDER.indexOf(health);
  return i < 0 ? POD_HEALTH_ORDER.length : i;
}

/** Worst health class first, then the common package's attention score, then name (stable). */
export function byAttention(a: PodItem, b: PodItem): number {
  return (
    healthRank(a.health) - healthRank(b.health) ||
    b.attention - a.attention ||
    a.name.localeCompare(b.name)
  );
}

/** The display order of health classes in the summary strip (the roll-up order, worst first). */
export const SUMMARY_ORDER: readonly PodHealth[] = [
  'failing',
  'unknown',
  'degraded',
  'initializing',
  'terminating',
  'healthy',
  'completed',
];

function groupKey(
  cluster: string,
  namespace: string,
  kind: string,
  name: string,
) {
  return `${cluster}/${namespace}/${kind}/${name}`;
}

/**
 * Groups pods by their top-level workload and orders groups so the group holding the pod that most
 * needs attention comes first. Standalone pods form one group per namespace.
 */
export function groupPods(
  pods: readonly PodItem[],
  rollups: readonly WorkloadRollupItem[],
): PodGroup[] {
  const groups = new Map<string, PodGroup>();
  for (const r of rollups) {
    const key = groupKey(r.cluster, r.namespace, r.kind, r.name);
    groups.set(key, {
      key,
      cluster: r.cluster,
      namespace: r.namespace,
      kind: r.kind,
      name: r.name,
      rollup: r,
      pods: [],
    });
  }
  for (const pod of pods) {
    const kind = pod.workload?.kind ?? 'Pod';
    const name = pod.workload?.name ?? '(standalone)';
    const key = groupKey(pod.cluster, pod.namespace, kind, name);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        cluster: pod.cluster,
        namespace: pod.namespace,
        kind,
        name,
        pods: [],
      };
      groups.set(key, g);
    }
    g.pods.push(pod);
  }
  const result = [...groups.values()].filter(g => g.pods.length > 0);
  for (const g of result) g.pods.sort(byAttention);
  result.sort(
    (a, b) => byAttention(a.pods[0], b.pods[0]) || a.key.localeCompare(b.key),
  );
  return result;
}
