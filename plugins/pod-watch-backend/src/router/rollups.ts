import {
  rollUpHealth,
  type PodHealth,
  type PodSummary,
  type ReplicatedWorkload,
  type TopIssue,
  type WorkloadRollupItem,
} from '@pod-watch/plugin-pod-watch-common';
import type { ContainerRow, PodRow, WorkloadRow } from '../store';

/**
 * Workload and entity roll-ups with the common package's rollUpHealth. Stored rows carry the
 * derived values rollUpHealth reads (health, attention, replica counts); the adapters below only
 * reshape them.
 */

function asSummary(p: PodRow): PodSummary {
  const topIssue = p.topIssue as TopIssue | undefined;
  return {
    name: p.name,
    namespace: p.namespace,
    uid: p.uid,
    phase: p.phase ?? 'Unknown',
    status: p.status,
    ready: p.ready,
    readyContainers: 0,
    totalContainers: 0,
    restarts: p.restarts,
    podReady: false,
    health: p.health,
    attention: p.attention,
    topIssue,
    issues: topIssue ? [topIssue] : [],
    containers: [],
  };
}

function asReplicated(w: WorkloadRow): ReplicatedWorkload | undefined {
  switch (w.kind) {
    case 'DaemonSet':
      return {
        kind: 'DaemonSet',
        status: {
          currentNumberScheduled: w.currentReplicas ?? 0,
          desiredNumberScheduled: w.desiredReplicas ?? 0,
          numberMisscheduled: 0,
          numberReady: w.readyReplicas ?? 0,
          numberAvailable: w.availableReplicas,
          updatedNumberScheduled: w.updatedReplicas,
        },
      };
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return {
        kind: w.kind,
        spec: { replicas: w.desiredReplicas ?? 1 } as any,
        status: {
          replicas: w.currentReplicas ?? 0,
          readyReplicas: w.readyReplicas,
          availableReplicas: w.availableReplicas,
          updatedReplicas: w.updatedReplicas,
        },
      } as ReplicatedWorkload;
    default:
      return undefined;
  }
}

const key = (cluster: string, namespace: string, kind: string, name: string) =>
  `${cluster}\u0000${namespace}\u0000${kind}\u0000${name}`;

/** The workload a pod is counted under: its top-level workload, else itself. */
function workloadOf(p: PodRow): { kind: string; name: string } {
  return p.workload ?? p.owner ?? { kind: 'Pod', name: p.name };
}

/**
 * Rolls pods up per workload (top-level controllers matched by the entity's selector are listed
 * even without pods: a Deployment that cannot create pods is the worst case), worst first.
 */
export function workloadRollups(
  pods: readonly PodRow[],
  workloads: readonly WorkloadRow[],
  containers: readonly ContainerRow[] = [],
): WorkloadRollupItem[] {
  const imagesOfPod = new Map<string, string[]>();
  for (const c of containers) {
    if (!c.image || c.type === 'ephemeral') continue;
    const pod = `${c.cluster}\u0000${c.podUid}`;
    imagesOfPod.set(pod, [...(imagesOfPod.get(pod) ?? []), c.image]);
  }
  const groups = new Map<
    string,
    {
      cluster: string;
      namespace: string;
      kind: string;
      name: string;
      pods: PodRow[];
      workload?: WorkloadRow;
    }
  >();
  const group = (
    cluster: string,
    namespace: string,
    kind: string,
    name: string,
  ) => {
    const k = key(cluster, namespace, kind, name);
    let g = groups.get(k);
    if (!g) {
      g = { cluster, namespace, kind, name, pods: [] };
      groups.set(k, g);
    }
    return g;
  };
  for (const w of workloads) {
    if (w.owner) continue; // ReplicaSets of a Deployment, Jobs of a CronJob: counted above
    group(w.cluster, w.namespace, w.kind, w.name).workload = w;
  }
  for (const p of pods) {
    const w = workloadOf(p);
    group(p.cluster, p.namespace, w.kind, w.name).pods.push(p);
  }
  const items = [...groups.values()].map(g => {
    const replicated = g.workload ? asReplicated(g.workload) : undefined;
    const rollup = rollUpHealth(
      g.pods.map(asSummary),
      replicated ? [replicated] : [],
    );
    const item: WorkloadRollupItem = {
      cluster: g.cluster,
      namespace: g.namespace,
      kind: g.kind,
      name: g.name,
      uid: g.workload?.uid,
      health: rollup.health,
      attention: rollup.attention,
      pods: rollup.total,
      counts: rollup.counts,
      images: [
        ...new Set(
          g.pods.flatMap(
            p => imagesOfPod.get(`${p.cluster}\u0000${p.uid}`) ?? [],
          ),
        ),
      ].sort(),
    };
    if (g.workload && replicated) {
      item.replicas = {
        desired: g.workload.desiredReplicas ?? 0,
        ready: g.workload.readyReplicas ?? 0,
        available: g.workload.availableReplicas ?? 0,
        ...(g.workload.updatedReplicas !== undefined
          ? { updated: g.workload.updatedReplicas }
          : {}),
      };
    }
    if (rollup.worst) {
      item.worstPod = rollup.worst.name;
      if (rollup.worst.topIssue) item.topIssue = rollup.worst.topIssue;
    }
    return item;
  });
  return items.sort(
    (a, b) =>
      b.attention - a.attention ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}

/** The entity's overall health from all its pods and top-level workloads. */
export function entityHealth(
  pods: readonly PodRow[],
  workloads: readonly WorkloadRow[],
): PodHealth {
  const replicated = workloads
    .filter(w => !w.owner)
    .map(asReplicated)
    .filter((w): w is ReplicatedWorkload => w !== undefined);
  return rollUpHealth(pods.map(asSummary), replicated).health;
}
