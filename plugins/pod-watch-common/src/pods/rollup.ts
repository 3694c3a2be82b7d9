import type {
  V1DaemonSet,
  V1Deployment,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { POD_HEALTH_ORDER, type PodHealth, type PodSummary } from '../types';

/**
 * Replica counts of a workload.
 *
 * @public
 */
export interface WorkloadReplicas {
  desired: number;
  ready: number;
  available: number;
  updated?: number;
}

/**
 * A workload object whose replica counts Pod Watch understands.
 *
 * @public
 */
export type ReplicatedWorkload =
  | (V1Deployment & { kind?: 'Deployment' })
  | (V1StatefulSet & { kind?: 'StatefulSet' })
  | (V1DaemonSet & { kind?: 'DaemonSet' })
  | (V1ReplicaSet & { kind?: 'ReplicaSet' });

/**
 * Desired / ready / available replicas of a Deployment, StatefulSet, DaemonSet or ReplicaSet,
 * the way `kubectl get` reads them (spec.replicas defaults to 1; a DaemonSet's desired count is
 * `desiredNumberScheduled`).
 *
 * @public
 */
export function workloadReplicas(
  workload: ReplicatedWorkload,
): WorkloadReplicas {
  if (workload.kind === 'DaemonSet') {
    const s = (workload as V1DaemonSet).status;
    const out: WorkloadReplicas = {
      desired: s?.desiredNumberScheduled ?? 0,
      ready: s?.numberReady ?? 0,
      available: s?.numberAvailable ?? 0,
    };
    if (s?.updatedNumberScheduled !== undefined)
      out.updated = s.updatedNumberScheduled;
    return out;
  }
  const w = workload as V1Deployment | V1StatefulSet | V1ReplicaSet;
  const s = w.status as
    | {
        readyReplicas?: number;
        availableReplicas?: number;
        updatedReplicas?: number;
      }
    | undefined;
  const ready = s?.readyReplicas ?? 0;
  const out: WorkloadReplicas = {
    desired: w.spec?.replicas ?? 1,
    ready,
    // StatefulSets before 1.22 do not report availableReplicas
    available:
      s?.availableReplicas ?? (workload.kind === 'StatefulSet' ? ready : 0),
  };
  if (s?.updatedReplicas !== undefined) out.updated = s.updatedReplicas;
  return out;
}

/**
 * Health of a set of pods (a workload or everything of an entity).
 *
 * @public
 */
export interface HealthRollup {
  total: number;
  counts: Record<PodHealth, number>;
  health: PodHealth;
  attention: number;
  /** The pod to look at first. */
  worst?: PodSummary;
  /** Summed over the given workloads. */
  replicas?: WorkloadReplicas;
}

const RANK: Record<PodHealth, number> = Object.fromEntries(
  POD_HEALTH_ORDER.map((h, i) => [h, i]),
) as Record<PodHealth, number>;

/** Orders pods worst first: health class, then attention. */
export function comparePodsWorstFirst(a: PodSummary, b: PodSummary): number {
  return RANK[a.health] - RANK[b.health] || b.attention - a.attention;
}

/**
 * Rolls pod summaries (and optionally their workloads' replica counts) up into one health:
 * counts per class, the worst pod, and a class that also reflects missing replicas
 * (no ready replica of a workload that wants some → failing, fewer available than desired →
 * at least degraded). Terminating pods during a rollout do not make a workload worse.
 *
 * @public
 */
export function rollUpHealth(
  pods: readonly PodSummary[],
  workloads: readonly ReplicatedWorkload[] = [],
): HealthRollup {
  const counts: Record<PodHealth, number> = {
    failing: 0,
    degraded: 0,
    initializing: 0,
    healthy: 0,
    completed: 0,
    terminating: 0,
    unknown: 0,
  };
  let worst: PodSummary | undefined;
  for (const pod of pods) {
    counts[pod.health]++;
    if (!worst || comparePodsWorstFirst(pod, worst) < 0) worst = pod;
  }

  let replicas: WorkloadReplicas | undefined;
  for (const w of workloads) {
    const r = workloadReplicas(w);
    replicas = replicas
      ? {
          desired: replicas.desired + r.desired,
          ready: replicas.ready + r.ready,
          available: replicas.available + r.available,
        }
      : { desired: r.desired, ready: r.ready, available: r.available };
  }

  let health: PodHealth;
  if (worst) {
    health = worst.health;
    // pods going away or finished jobs do not describe the live workload
    if (health === 'terminating' || health === 'completed') {
      const live = pods.filter(
        p => p.health !== 'terminating' && p.health !== 'completed',
      );
      if (live.length > 0) {
        health = live.reduce((a, b) =>
          comparePodsWorstFirst(a, b) <= 0 ? a : b,
        ).health;
      }
    }
  } else {
    health = replicas && replicas.desired === 0 ? 'healthy' : 'unknown';
  }
  let attention = worst?.attention ?? 0;
  if (replicas && replicas.desired > 0) {
    if (replicas.ready === 0 && health !== 'initializing') {
      health = 'failing';
      attention = Math.max(attention, 80);
    } else if (
      replicas.available < replicas.desired &&
      RANK[health] > RANK.degraded
    ) {
      if (health !== 'initializing') health = 'degraded';
      attention = Math.max(attention, 30);
    }
  }

  const out: HealthRollup = { total: pods.length, counts, health, attention };
  if (worst) out.worst = worst;
  if (replicas) out.replicas = replicas;
  return out;
}
