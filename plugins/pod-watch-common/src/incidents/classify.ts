import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ContainerSummary, PodSummary } from '../types';
import { toIso, toMillis } from '../pods/time';
import {
  CONFIG_ERRORS,
  CRASH_WAITING,
  eventRule,
  IMAGE_ERRORS,
  INCIDENT_TYPE_SEVERITY,
} from './rules';
import type {
  IncidentSeverity,
  IncidentSignal,
  IncidentType,
  SignalDetails,
} from './types';

/**
 * The fields of an Event the classifier reads: the backend's normalised Event (core/v1 and
 * events.k8s.io/v1 alike) fits as is.
 *
 * @public
 */
export interface IncidentEventLike {
  uid: string;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstAt?: Date | string | number;
  lastAt: Date | string | number;
  regarding?: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    fieldPath?: string;
  };
}

/**
 * What the classifier may know about the container an Event names (from the stored pod).
 *
 * @public
 */
export interface EventContext {
  /** The container is an init container (its crashes are `init-failure`). */
  initContainer?: boolean;
  /** Reason of the container's last termination: `OOMKilled` turns a crash loop into `oom-killed`. */
  lastTerminationReason?: string;
  /**
   * The pod's container names: an Event without a fieldPath is attributed to the container its
   * message names, or to the only container.
   */
  containers?: readonly string[];
}

function containerOfMessage(
  message: string | undefined,
  containers: readonly string[] | undefined,
): string | undefined {
  if (!containers?.length) return undefined;
  if (containers.length === 1) return containers[0];
  const m = /\bcontainer[= ]"?([a-z0-9][-a-z0-9]*)/i.exec(message ?? '');
  return m && containers.includes(m[1]) ? m[1] : undefined;
}

function isoOf(value: Date | string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return toIso(typeof value === 'number' ? value : toMillis(value));
}

function findSpec(pod: V1Pod, name: string): V1Container | undefined {
  return [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ].find(c => c.name === name);
}

function memoryOf(pod: V1Pod, name: string): SignalDetails {
  const resources = findSpec(pod, name)?.resources;
  const out: SignalDetails = {};
  const limit = resources?.limits?.memory;
  const request = resources?.requests?.memory;
  if (limit !== undefined) out.memoryLimit = String(limit);
  if (request !== undefined) out.memoryRequest = String(request);
  return out;
}

/**
 * The container an Event's fieldPath names (`spec.containers{app}`) and whether it is an init container.
 *
 * @public
 */
export function containerOfFieldPath(fieldPath?: string): {
  container?: string;
  init: boolean;
} {
  const m =
    /^spec\.(initContainers|containers|ephemeralContainers)\{(.+)\}$/.exec(
      fieldPath ?? '',
    );
  return m
    ? { container: m[2], init: m[1] === 'initContainers' }
    : { init: false };
}

/**
 * Signals raised by an Event, or undefined when it opens no incident (Normal Events; Events
 * about objects other than pods and workloads, such as Nodes, are evidence only).
 *
 * @public
 */
export function incidentSignalFromEvent(
  event: IncidentEventLike,
  context: EventContext = {},
): IncidentSignal | undefined {
  if (event.type !== 'Warning' || !event.reason) return undefined;
  const kind = event.regarding?.kind;
  if (!kind || kind === 'Node' || kind === 'Namespace') return undefined;
  const fromPath = containerOfFieldPath(event.regarding?.fieldPath);
  const init = fromPath.init;
  const container =
    fromPath.container ?? containerOfMessage(event.message, context.containers);
  const initContainer = init || context.initContainer === true;
  let { type, severity } = eventRule(
    event.reason,
    event.message,
    initContainer,
  );
  if (type === 'crash-loop' && context.lastTerminationReason === 'OOMKilled') {
    type = 'oom-killed';
    severity = 'critical';
  }
  const at = isoOf(event.lastAt) ?? new Date(0).toISOString();
  const details: SignalDetails = {
    eventCount: event.count,
    eventReason: event.reason,
  };
  if (event.reason === 'Unhealthy') {
    const probe = /^\s*(liveness|readiness|startup)/i.exec(event.message ?? '');
    if (probe) details.probe = probe[1].toLowerCase() as SignalDetails['probe'];
  }
  const signal: IncidentSignal = {
    type,
    severity,
    reason: event.reason,
    source: 'event',
    counterKey: `event:${event.uid}`,
    counterKind: 'event',
    count: Math.max(1, Math.trunc(event.count || 1)),
    // an Event is a moment: only a new one (or a higher count) keeps the incident alive
    active: false,
    at,
    details,
  };
  const firstAt = isoOf(event.firstAt);
  if (firstAt) signal.firstAt = firstAt;
  if (container) signal.container = container;
  if (event.message) signal.message = event.message;
  if (kind === 'Pod') {
    if (event.regarding?.uid) signal.podUid = event.regarding.uid;
    if (event.regarding?.name) signal.podName = event.regarding.name;
  }
  return signal;
}

/** Failures of one container so far: restarts, plus one while it is down after a failure. */
function failures(c: ContainerSummary, down: boolean): number {
  return c.restarts + (down ? 1 : 0);
}

function latestTime(pod: V1Pod, summary: PodSummary): string | undefined {
  let best = NaN;
  const consider = (v: unknown) => {
    const ms = toMillis(v as string | Date | undefined);
    if (Number.isFinite(ms) && !(ms <= best)) best = ms;
  };
  for (const c of summary.containers) {
    if (c.state === 'terminated') consider(c.since);
    consider(c.lastTerminatedAt);
  }
  for (const cond of pod.status?.conditions ?? [])
    consider(cond.lastTransitionTime);
  return toIso(best);
}

/**
 * Incident signals in one Pod object: container states (crash loops, OOM kills, image and config
 * errors, init failures, failed run-to-completion containers, past restarts) and pod-level
 * conditions (unschedulable, scheduling gates, eviction, node lost). `summary` is the pod's
 * describePod result; `now` stamps conditions that hold right now.
 *
 * @public
 */
export function incidentSignalsFromPod(
  pod: V1Pod,
  summary: PodSummary,
  options: { now?: Date } = {},
): IncidentSignal[] {
  const now = (options.now ?? new Date()).toISOString();
  const uid =
    pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const podName = pod.metadata?.name;
  const out: IncidentSignal[] = [];
  const base = (
    type: IncidentType,
    reason: string,
    extra: Partial<IncidentSignal>,
  ): IncidentSignal => {
    const s: IncidentSignal = {
      type,
      severity: INCIDENT_TYPE_SEVERITY[type],
      reason,
      source: 'pod',
      counterKey: `presence:${uid}`,
      counterKind: 'presence',
      count: 1,
      podUid: uid,
      active: true,
      at: now,
      details: {},
      ...extra,
    };
    if (podName) s.podName = podName;
    if (summary.nodeName)
      s.details = { nodeName: summary.nodeName, ...s.details };
    return s;
  };

  const podReason = pod.status?.reason;
  const failedPod = summary.phase === 'Failed';
  const ownerKind = pod.metadata?.ownerReferences?.find(
    r => r.controller,
  )?.kind;
  const restartNever =
    pod.spec?.restartPolicy === 'Never' ||
    (pod.spec?.restartPolicy === 'OnFailure' && ownerKind !== 'Job');

  // pod-level conditions
  if (podReason === 'Evicted' || podReason === 'Preempting') {
    // a one-shot: the Failed pod object may linger for days, the eviction happened once
    out.push(
      base('evicted', podReason, {
        active: false,
        at: latestTime(pod, summary) ?? now,
        message: pod.status?.message || undefined,
      }),
    );
    return out;
  }
  if (podReason === 'NodeLost') {
    out.push(base('node-lost', 'NodeLost', { message: pod.status?.message }));
  }
  const scheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled',
  );
  if (
    scheduled &&
    scheduled.status !== 'True' &&
    (scheduled.reason === 'Unschedulable' ||
      scheduled.reason === 'SchedulingGated')
  ) {
    const gated = scheduled.reason === 'SchedulingGated';
    out.push(
      base('unschedulable', scheduled.reason, {
        // a gate is deliberate (e.g. a queueing controller) until proven stuck
        severity: gated ? 'low' : INCIDENT_TYPE_SEVERITY.unschedulable,
        message: scheduled.message || undefined,
        firstAt: toIso(toMillis(scheduled.lastTransitionTime)),
      }),
    );
  }

  for (const c of summary.containers) {
    const key = `${uid}/${c.name}`;
    const details: SignalDetails = {
      restarts: c.restarts,
      ...memoryOf(pod, c.name),
    };
    if (c.image) details.image = c.image;
    if (summary.nodeName) details.nodeName = summary.nodeName;
    const waiting = c.state === 'waiting' ? c.reason ?? '' : '';
    const presence = (type: IncidentType, reason: string) =>
      base(type, reason, {
        container: c.name,
        counterKey: `presence:${key}`,
        message: c.message,
        details,
      });

    if (IMAGE_ERRORS.has(waiting)) {
      out.push(presence('image-pull', waiting));
      continue;
    }
    if (CONFIG_ERRORS.has(waiting)) {
      out.push(presence('config-error', waiting));
      continue;
    }
    if (
      c.state === 'running' &&
      !c.ready &&
      c.kind !== 'init' &&
      summary.phase === 'Running'
    ) {
      // sustains an open readiness incident only: not-ready alone opens nothing
      out.push({
        ...presence('readiness-probe', 'NotReady'),
        sustainOnly: true,
      });
    }
    const terminatedFailed =
      c.state === 'terminated' &&
      ((c.exitCode ?? 0) !== 0 || c.reason === 'OOMKilled') &&
      c.reason !== 'ContainerStatusUnknown';
    const crashing = CRASH_WAITING.has(waiting);
    if (terminatedFailed && (restartNever || failedPod) && c.kind !== 'init') {
      // ran to completion and failed: one occurrence per pod, no restart will follow
      const job = ownerKind === 'Job';
      out.push(
        base(job ? 'job-failed' : 'container-failed', c.reason || 'Error', {
          container: c.name,
          counterKey: `presence:${key}`,
          active: false,
          at: c.since ?? now,
          message: c.message,
          details: {
            ...details,
            exitCode: c.exitCode,
            terminationReason: c.reason,
          },
        }),
      );
      continue;
    }
    const lastReason = terminatedFailed ? c.reason : c.lastTerminatedReason;
    const lastExit = terminatedFailed ? c.exitCode : c.lastTerminatedExitCode;
    const pastFailure =
      c.lastTerminatedReason !== undefined &&
      ((c.lastTerminatedExitCode ?? 0) !== 0 ||
        c.lastTerminatedReason === 'OOMKilled');
    if (!crashing && !terminatedFailed && !pastFailure) continue;
    const down = crashing || terminatedFailed;
    const oom = lastReason === 'OOMKilled';
    let type: IncidentType = c.kind === 'init' ? 'init-failure' : 'crash-loop';
    if (oom && c.kind !== 'init') type = 'oom-killed';
    let severity: IncidentSeverity = INCIDENT_TYPE_SEVERITY[type];
    if (type === 'oom-killed' && crashing) severity = 'critical';
    out.push({
      ...base(type, crashing ? waiting : lastReason ?? 'Error', {
        container: c.name,
        message: c.message,
        details: {
          ...details,
          exitCode: lastExit,
          terminationReason: lastReason,
          terminatedAt: terminatedFailed ? c.since : c.lastTerminatedAt,
        },
      }),
      severity,
      counterKey: `restarts:${key}`,
      counterKind: 'restarts',
      count: failures(c, down),
      active: down,
      // a past restart is dated by its termination, not by when we happened to look
      at: down ? now : c.lastTerminatedAt ?? now,
    });
  }
  return out;
}

/** Longest time between a liveness kill and the container's termination (grace period + slack). */
const KILL_TO_EXIT_MS = 120_000;

/**
 * A crash right after the kubelet killed the container for failing its liveness (or startup)
 * probe is that probe's incident, not a separate crash loop. `killedAt`: the times of the
 * `Killing` Events that say so.
 *
 * @public
 */
export function attributeToLiveness(
  signal: IncidentSignal,
  killedAt: string | readonly string[] | undefined,
): IncidentSignal {
  if (signal.type !== 'crash-loop' || !killedAt) return signal;
  // a pod state is dated by its termination; a BackOff Event by when it was reported
  const exited = Date.parse(signal.details.terminatedAt ?? signal.at);
  const kills = typeof killedAt === 'string' ? [killedAt] : killedAt;
  const matches = kills.some(k => {
    const killed = Date.parse(k);
    return exited >= killed - 5_000 && exited <= killed + KILL_TO_EXIT_MS;
  });
  if (!matches) return signal;
  return {
    ...signal,
    type: 'liveness-probe',
    severity: INCIDENT_TYPE_SEVERITY['liveness-probe'],
    reason: 'Killed (liveness probe)',
  };
}

/**
 * Whether a Normal Event is the kubelet killing a container for a failed liveness/startup probe.
 *
 * @public
 */
export function isLivenessKill(event: IncidentEventLike): boolean {
  return (
    event.reason === 'Killing' &&
    /failed (liveness|startup) probe/i.test(event.message ?? '')
  );
}
