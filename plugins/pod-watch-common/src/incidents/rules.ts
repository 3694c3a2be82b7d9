/**
 * The rule tables: which Kubernetes reasons open which incident type, at which severity.
 * Severities follow flanksource/is-healthy's event severity table where it has the reason
 * (see the conformance test), raised where Pod Watch knows the workload is down.
 */
import { CONFIG_ERRORS, IMAGE_ERRORS } from '../pods/health';
import type { IncidentSeverity, IncidentType } from './types';

export { CONFIG_ERRORS, IMAGE_ERRORS };

/**
 * Base severity of each incident type.
 *
 * @public
 */
export const INCIDENT_TYPE_SEVERITY: Readonly<
  Record<IncidentType, IncidentSeverity>
> = {
  'crash-loop': 'critical',
  'init-failure': 'critical',
  'oom-killed': 'high',
  'image-pull': 'high',
  'config-error': 'high',
  'liveness-probe': 'high',
  'job-failed': 'high',
  'node-lost': 'high',
  'container-failed': 'high',
  unschedulable: 'medium',
  evicted: 'medium',
  'readiness-probe': 'medium',
  'volume-mount': 'medium',
  'pod-sandbox': 'medium',
  warning: 'low',
};

/**
 * Incident types keyed by container; the others are pod- or workload-level (a Job fails as a
 * whole, a pod is evicted or unschedulable as a whole).
 */
const POD_LEVEL: ReadonlySet<IncidentType> = new Set([
  'unschedulable',
  'evicted',
  'job-failed',
  'node-lost',
  'pod-sandbox',
  'volume-mount',
]);

/**
 * Whether incidents of this type are grouped per container.
 *
 * @public
 */
export function isContainerScoped(type: IncidentType): boolean {
  return !POD_LEVEL.has(type);
}

/**
 * Warning Event reasons with a fixed incident type. `BackOff`, `Failed` and `Unhealthy` depend on
 * the message and are decided in {@link eventRule}.
 *
 * @public
 */
export const EVENT_REASON_TYPES: Readonly<Record<string, IncidentType>> = {
  CrashLoopBackOff: 'crash-loop',
  OOMKilled: 'oom-killed',
  ErrImagePull: 'image-pull',
  ImagePullBackOff: 'image-pull',
  ErrImageNeverPull: 'image-pull',
  InvalidImageName: 'image-pull',
  InspectFailed: 'image-pull',
  CreateContainerConfigError: 'config-error',
  CreateContainerError: 'config-error',
  FailedPostStartHook: 'config-error',
  FailedScheduling: 'unschedulable',
  Unschedulable: 'unschedulable',
  Evicted: 'evicted',
  Preempted: 'evicted',
  FailedMount: 'volume-mount',
  FailedAttachVolume: 'volume-mount',
  FailedMapVolume: 'volume-mount',
  FailedCreatePodSandBox: 'pod-sandbox',
  FailedPodSandBoxStatus: 'pod-sandbox',
  BackoffLimitExceeded: 'job-failed',
  DeadlineExceeded: 'job-failed',
  NodeNotReady: 'node-lost',
  NodeLost: 'node-lost',
};

const IMAGE_MESSAGE =
  /\b(pull(ing)? image|ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|image\b.*\bnot (found|present))/i;

/**
 * Type and severity of a Warning Event, or undefined for Events that never open an incident
 * (Normal events). Container-level reasons about an init container become `init-failure` when
 * they are crashes.
 *
 * @public
 */
export function eventRule(
  reason: string,
  message: string | undefined,
  initContainer: boolean,
): { type: IncidentType; severity: IncidentSeverity } {
  const text = message ?? '';
  let type: IncidentType | undefined = EVENT_REASON_TYPES[reason];
  if (reason === 'BackOff') {
    type = IMAGE_MESSAGE.test(text) ? 'image-pull' : 'crash-loop';
  } else if (reason === 'Failed') {
    // the kubelet reports image and container-creation failures as "Failed"
    type = IMAGE_MESSAGE.test(text) ? 'image-pull' : 'config-error';
  } else if (reason === 'Unhealthy') {
    // liveness and startup probe failures get the container killed; readiness ones do not
    type = /^\s*(liveness|startup)/i.test(text)
      ? 'liveness-probe'
      : 'readiness-probe';
  }
  if (type === 'crash-loop' && initContainer) type = 'init-failure';
  if (type) return { type, severity: INCIDENT_TYPE_SEVERITY[type] };
  return { type: 'warning', severity: genericWarningSeverity(reason) };
}

/** Warnings that mean a node or the workload is in trouble (is-healthy: high). */
const HIGH_REASONS: ReadonlySet<string> = new Set([
  'KubeletIsDown',
  'NetworkNotReady',
  'NodeHasDiskPressure',
  'NodeHasInsufficientMemory',
  'NodeNotSchedulable',
  'NodeUnreachable',
  'PodCrashLooping',
  'ProcessingError',
]);

/** Warnings that degrade but do not stop a workload (is-healthy: medium). */
const MEDIUM_REASONS: ReadonlySet<string> = new Set([
  'ConntrackFull',
  'Error',
  'InvalidDiskCapacity',
  'NodeUnderMemoryPressure',
  'UnexpectedJob',
  'ProgressDeadlineExceeded',
]);

/** Failures of housekeeping that leave the workload running (is-healthy: low). */
const LOW_REASONS: ReadonlySet<string> = new Set([
  'FailedDelete',
  'FailedKillPod',
  'FailedPreStopHook',
  'FailedToUpdateEndpoint',
  'FailedToUpdateEndpointSlices',
  'RecreatingFailedPod',
]);

/**
 * Severity of a Warning Event Pod Watch has no specific rule for. Mirrors the shape of
 * is-healthy's fallback (prefix rules, then "contains Failed"); its `info` becomes `low`
 * because a Warning is never merely informational.
 *
 * @public
 */
export function genericWarningSeverity(reason: string): IncidentSeverity {
  if (HIGH_REASONS.has(reason)) return 'high';
  if (LOW_REASONS.has(reason)) return 'low';
  if (MEDIUM_REASONS.has(reason)) return 'medium';
  if (/^(Authorize|Cannot|Failed|Revoke)/.test(reason) || /Failed/.test(reason))
    return 'medium';
  return 'low';
}

/** Waiting reasons of a container that is crash looping. */
export const CRASH_WAITING: ReadonlySet<string> = new Set(['CrashLoopBackOff']);
