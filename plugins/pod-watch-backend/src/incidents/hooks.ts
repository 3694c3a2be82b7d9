import type { LoggerService } from '@backstage/backend-plugin-api';
import type { V1Pod } from '@kubernetes/client-node';
import {
  normalizeCoreEvent,
  normalizeEventsV1Event,
  type CoreEventLike,
  type EventsV1EventLike,
} from '../store';
import type { IncidentBuilder } from './IncidentBuilder';
import type { IncidentWork } from './work';

/** The shape of the watch engine's per-kind handler (structural: no import of the engine). */
export interface HandlerLike {
  apply(
    events: ReadonlyArray<{ type: string; object: any }>,
    at: Date,
  ): Promise<void>;
  replace(
    objects: readonly any[],
    scope: { namespace?: string },
    at: Date,
  ): Promise<void>;
}

export type IncidentHookKind = 'pods' | 'coreEvents' | 'eventsV1' | 'workloads';

const HOOK_KINDS: ReadonlySet<string> = new Set<IncidentHookKind>([
  'pods',
  'coreEvents',
  'eventsV1',
  'workloads',
]);

/**
 * The engine's handler wrapper: handlers of pods, Events and workloads report to the builder;
 * other kinds are returned unchanged.
 */
export function incidentHandlerWrapper(options: {
  cluster: string;
  builder: IncidentBuilder;
  logger?: LoggerService;
}) {
  return <H extends HandlerLike>(handler: H, kind: { handler: string }): H =>
    HOOK_KINDS.has(kind.handler)
      ? withIncidents(handler, {
          ...options,
          kind: kind.handler as IncidentHookKind,
        })
      : handler;
}

/**
 * Wraps one watched kind's handler so the incident builder sees every change after the store has
 * it. The changes go to the builder's queue: the reflector's next batch does not wait for
 * incident building unless the queue is far behind (backpressure). Incident errors are logged,
 * never thrown: a bug in incident building must not stall the reflector (the next relist
 * replays everything idempotently).
 */
export function withIncidents<H extends HandlerLike>(
  handler: H,
  options: {
    cluster: string;
    kind: IncidentHookKind;
    builder: IncidentBuilder;
    logger?: LoggerService;
  },
): H {
  const { cluster, kind, builder, logger } = options;
  const guard = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      logger?.warn(
        `Incident building failed for ${cluster} ${kind}`,
        error as Error,
      );
    }
  };
  const normalise = (o: any) =>
    kind === 'eventsV1'
      ? normalizeEventsV1Event(cluster, o as EventsV1EventLike)
      : normalizeCoreEvent(cluster, o as CoreEventLike);
  const workOf = (
    changes: ReadonlyArray<{ type: string; object: any }>,
    at: Date,
  ): IncidentWork[] => {
    const work: IncidentWork[] = [];
    for (const { type, object } of changes) {
      if (kind === 'pods') {
        const pod = object as V1Pod;
        work.push(
          type === 'DELETED'
            ? { kind: 'podDeleted', cluster, pod, at }
            : { kind: 'pod', cluster, pod, at },
        );
      } else if (kind === 'workloads') {
        if (type === 'DELETED' && object.metadata?.namespace) {
          const workload = {
            kind: object.kind,
            namespace: object.metadata.namespace,
            name: object.metadata.name,
          };
          work.push({ kind: 'workloadDeleted', cluster, workload, at });
        }
      } else if (type !== 'DELETED') {
        // a deleted Event is only Kubernetes' TTL: the incident keeps what it counted
        work.push({ kind: 'event', cluster, event: normalise(object), at });
      }
    }
    return work;
  };
  return {
    ...handler,
    async apply(events, at) {
      await handler.apply(events, at);
      await guard(() => builder.enqueue(workOf(events, at)));
    },
    async replace(objects, scope, at) {
      await handler.replace(objects, scope, at);
      await guard(async () => {
        const work = workOf(
          objects.map(object => ({ type: 'ADDED', object })),
          at,
        );
        if (kind === 'pods') {
          const present = new Set<string>(
            objects.map(o => o.metadata?.uid).filter(Boolean),
          );
          work.push({ kind: 'podsRelisted', cluster, scope, present, at });
        }
        await builder.enqueue(work);
      });
    },
  };
}
