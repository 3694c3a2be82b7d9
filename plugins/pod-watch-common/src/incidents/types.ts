/**
 * Incident model shared by the backend builder and the frontend: what kinds of incidents exist,
 * the signals that raise them and the lifecycle settings. Pure data.
 */

/**
 * Incident classes. One open incident exists per (cluster, namespace, workload or standalone pod,
 * container, type); see {@link incidentFingerprint}.
 *
 * @public
 */
export type IncidentType =
  | 'crash-loop'
  | 'oom-killed'
  | 'image-pull'
  | 'config-error'
  | 'unschedulable'
  | 'evicted'
  | 'liveness-probe'
  | 'readiness-probe'
  | 'volume-mount'
  | 'pod-sandbox'
  | 'init-failure'
  | 'container-failed'
  | 'job-failed'
  | 'node-lost'
  | 'warning';

/**
 * Incident severity, most urgent first.
 *
 * @public
 */
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Severities most urgent first.
 *
 * @public
 */
export const INCIDENT_SEVERITY_ORDER: readonly IncidentSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/**
 * How a signal is counted:
 * - `restarts`: absolute failures of one container (restartCount, plus one while it is down);
 *   authoritative for its pod when present.
 * - `event`: an Event's absolute `count`; per pod the largest delta counts, because several
 *   Events often report the same failure (e.g. "Failed to pull image" and "Error: ErrImagePull").
 * - `presence`: the condition was seen on this pod/container at all (one occurrence).
 *
 * @public
 */
export type IncidentCounterKind = 'restarts' | 'event' | 'presence';

/**
 * The workload a pod belongs to, or the pod itself when it has no controller.
 *
 * @public
 */
export interface IncidentSubject {
  cluster: string;
  namespace: string;
  /** `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `ReplicaSet`, … or `Pod` for a standalone pod. */
  kind: string;
  name: string;
}

/**
 * One observation that a failing condition is (or was) present. Produced by
 * {@link incidentSignalsFromPod} and {@link incidentSignalFromEvent}; the backend turns signals into
 * incidents with {@link applySignal}.
 *
 * @public
 */
export interface IncidentSignal {
  type: IncidentType;
  severity: IncidentSeverity;
  /** The Kubernetes reason behind it: `CrashLoopBackOff`, `FailedScheduling`, `OOMKilled`, … */
  reason: string;
  /** Container the condition belongs to; undefined for pod- and workload-level conditions. */
  container?: string;
  message?: string;
  source: 'pod' | 'event';
  /** Stable id of what is counted, e.g. `restarts:<podUid>/<container>` or `event:<eventUid>`. */
  counterKey: string;
  counterKind: IncidentCounterKind;
  /** Absolute counter value (never a delta): replaying a signal is idempotent. */
  count: number;
  /** Pod the signal is about (groups counters per pod); undefined for workload/node objects. */
  podUid?: string;
  podName?: string;
  /** Whether the condition holds right now (a crash-looping container, a pending pod). */
  active: boolean;
  /**
   * Keeps an open incident alive but never opens one: a container that is not ready proves a
   * readiness incident is not over, yet alone is no incident (the probe Events are).
   */
  sustainOnly?: boolean;
  /** When the condition was last observed (ISO). */
  at: string;
  /** When it was first observed, when known (ISO). */
  firstAt?: string;
  /** Facts for the summary and root-cause hint. */
  details: SignalDetails;
}

/**
 * Facts about a signal used by summaries and root-cause hints.
 *
 * @public
 */
export interface SignalDetails {
  exitCode?: number;
  /** Reason of the termination behind a restart (`Error`, `OOMKilled`, …). */
  terminationReason?: string;
  /** When that termination happened (ISO). */
  terminatedAt?: string;
  restarts?: number;
  image?: string;
  memoryLimit?: string;
  memoryRequest?: string;
  nodeName?: string;
  /** Event count and message (Event signals). */
  eventCount?: number;
  eventReason?: string;
  /** The probe type of an Unhealthy Event. */
  probe?: 'liveness' | 'readiness' | 'startup';
}

/**
 * Lifecycle settings (config `podWatch.incidents`).
 *
 * @public
 */
export interface IncidentLifecycleConfig {
  /** An incident resolves once its condition has been clear this long. Default 600. */
  clearAfterSeconds: number;
  /** Signals older than this are history too old to open an incident (Kubernetes keeps Events 1 h). Default 3600. */
  maxBackfillSeconds: number;
  /** Counter entries kept per incident (bounded evidence). Default 200. */
  maxCounters: number;
}

/**
 * Default lifecycle settings.
 *
 * @public
 */
export const DEFAULT_INCIDENT_LIFECYCLE: Readonly<IncidentLifecycleConfig> = {
  clearAfterSeconds: 600,
  maxBackfillSeconds: 3600,
  maxCounters: 200,
};
