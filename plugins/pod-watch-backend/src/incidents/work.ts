import type { V1Pod } from '@kubernetes/client-node';
import { isLivenessKill } from '@pod-watch/plugin-pod-watch-common';
import type { EventInput } from '../store';
import type { IncidentBuilder } from './IncidentBuilder';

/** One change the watch handed over to incident building (after the store committed it). */
export type IncidentWork =
  | { kind: 'pod'; cluster: string; pod: V1Pod; at: Date }
  | { kind: 'podDeleted'; cluster: string; pod: V1Pod; at: Date }
  | {
      kind: 'podsRelisted';
      cluster: string;
      scope: { namespace?: string };
      present: ReadonlySet<string>;
      at: Date;
    }
  | { kind: 'event'; cluster: string; event: EventInput; at: Date }
  | {
      kind: 'workloadDeleted';
      cluster: string;
      workload: { kind: string; namespace: string; name: string };
      at: Date;
    };

/**
 * The queue key under which a change coalesces with an earlier one still waiting: only Warning
 * Events do (counts and times are absolute, so the latest state carries every earlier one).
 * Pod states do not: an intermediate state may be the only one showing a condition (an image
 * pull error before the pod ran). Nor do liveness kills: each version dates one kill, which
 * attributes the restart at that time to the probe.
 */
export function coalescingKey(work: IncidentWork): string | undefined {
  if (work.kind !== 'event') return undefined;
  const { event } = work;
  if (event.type !== 'Warning' || isLivenessKill(event)) return undefined;
  return `event:${work.cluster}/${event.uid}`;
}

/** Hands one queued change to the builder's matching hook. */
export function applyWork(
  builder: IncidentBuilder,
  work: IncidentWork,
): Promise<unknown> {
  switch (work.kind) {
    case 'pod':
      return builder.onPodChange(work.cluster, work.pod, work.at);
    case 'podDeleted':
      return builder.onPodDeleted(work.cluster, work.pod, work.at);
    case 'podsRelisted':
      return builder.onPodsRelisted(
        work.cluster,
        work.scope,
        work.present,
        work.at,
      );
    case 'event':
      return builder.onEventChange(work.cluster, work.event, work.at);
    case 'workloadDeleted':
      return builder.onWorkloadDeleted(work.cluster, work.workload, work.at);
    default:
      return Promise.resolve();
  }
}
