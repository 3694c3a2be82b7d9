import type { LoggerService } from '@backstage/backend-plugin-api';
import type { V1Pod } from '@kubernetes/client-node';
import {
  normalizeCoreEvent,
  normalizeEventsV1Event,
  type CoreEventLike,
  type EventsV1EventLike,
} from '../store';
import type { IncidentBuilder } from './IncidentBuilder';

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
 * it. Incident errors are logged, never thrown: a bug in incident building must not stall the
 * reflector (the next relist replays everything idempotently).
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
  const observe = async (
    changes: ReadonlyArray<{ type: string; object: any }>,
    at: Date,
  ) => {
    for (const { type, object } of changes) {
      if (kind === 'pods') {
        if (type === 'DELETED')
          await builder.onPodDeleted(cluster, object as V1Pod, at);
        else await builder.onPodChange(cluster, object as V1Pod, at);
      } else if (kind === 'workloads') {
        if (type === 'DELETED' && object.metadata?.namespace) {
          await builder.onWorkloadDeleted(
            cluster,
            {
              kind: object.kind,
              namespace: object.metadata.namespace,
              name: object.metadata.name,
            },
            at,
          );
        }
      } else if (type !== 'DELETED') {
        // a deleted Event is only Kubernetes' TTL: the incident keeps what it counted
        await builder.onEvent(cluster, normalise(object), at);
      }
    }
  };
  return {
    ...handler,
    async apply(events, at) {
      await handler.apply(events, at);
      await guard(() => observe(events, at));
    },
    async replace(objects, scope, at) {
      await handler.replace(objects, scope, at);
      await guard(async () => {
        await observe(
          objects.map(object => ({ type: 'ADDED', object })),
          at,
        );
        if (kind === 'pods') {
          const present = new Set<string>(
            objects.map(o => o.metadata?.uid).filter(Boolean),
          );
          await builder.onPodsRelisted(cluster, scope, present, at);
        }
      });
    },
  };
}
