/**
 * Domain and API types shared by the Pod Watch backend and frontend.
 * Pure data: everything here is JSON-serialisable.
 */

/**
 * Health class of a pod (or, in a roll-up, of a workload).
 * Ordered worst first in {@link POD_HEALTH_ORDER}.
 *
 * @public
 */
export type PodHealth =
  | 'failing'
  | 'degraded'
  | 'initializing'
  | 'healthy'
  | 'completed'
  | 'terminating'
  | 'unknown';

/**
 * Health classes worst first: the order used to pick a workload's worst pod.
 * `unknown` (e.g. node lost) ranks just below `failing`: the pod may be gone.
 *
 * @public
 */
export const POD_HEALTH_ORDER: readonly PodHealth[] = [
  'failing',
  'unknown',
  'degraded',
  'initializing',
  'terminating',
  'healthy',
  'completed',
];

/**
 * Severity of an issue found on a pod.
 *
 * @public
 */
export type IssueSeverity = 'error' | 'warning' | 'info';

/**
 * One reason a pod needs attention.
 *
 * @public
 */
export interface TopIssue {
  /** Machine-friendly reason, e.g. `CrashLoopBackOff`, `Init:ErrImagePull`, `Unschedulable`, `NotReady`. */
  reason: string;
  /** Human explanation, including durations or counts where known. */
  message?: string;
  /** Container the issue belongs to, when it is container-specific. */
  container?: string;
  severity: IssueSeverity;
}

/**
 * Container state as the kubelet reports it.
 *
 * @public
 */
export type ContainerStateName =
  | 'waiting'
  | 'running'
  | 'terminated'
  | 'unknown';

/**
 * Per-container digest of a pod's status, for tables and explanations.
 *
 * @public
 */
export interface ContainerSummary {
  name: string;
  /** `init` for init containers, `sidecar` for restartable init containers, `app` otherwise. */
  kind: 'init' | 'sidecar' | 'app';
  ready: boolean;
  started?: boolean;
  restarts: number;
  state: ContainerStateName;
  /** Waiting or terminated reason of the current state. */
  reason?: string;
  message?: string;
  exitCode?: number;
  /** When the current state began (running.startedAt, terminated.finishedAt). */
  since?: string;
  lastTerminatedReason?: string;
  lastTerminatedExitCode?: number;
  lastTerminatedAt?: string;
  image?: string;
}

/**
 * Everything Pod Watch derives from one Pod object. See DESIGN.md "Pure derivation contract".
 *
 * @public
 */
export interface PodSummary {
  name?: string;
  namespace?: string;
  uid?: string;
  nodeName?: string;
  /** `status.phase` as reported (`Pending`, `Running`, ...). */
  phase: string;
  /** Exactly kubectl's STATUS column. */
  status: string;
  /** Exactly kubectl's READY column, e.g. `1/2`. */
  ready: string;
  readyContainers: number;
  totalContainers: number;
  /** Exactly kubectl's RESTARTS number. */
  restarts: number;
  /** Newest `lastState.terminated.finishedAt` among the containers kubectl counts (ISO string). */
  lastRestartAt?: string;
  /** The pod's `Ready` condition. */
  podReady: boolean;
  health: PodHealth;
  /** 0–100, higher means look first. */
  attention: number;
  topIssue?: TopIssue;
  /** All issues found, most important first (topIssue is issues[0]). */
  issues: TopIssue[];
  containers: ContainerSummary[];
}

/**
 * Thresholds for describePod. All durations in seconds.
 *
 * @public
 */
export interface HealthThresholds {
  /** ContainerCreating / PodInitializing / Pending stay `initializing` this long, then become errors. Default 600. */
  startupTimeoutSeconds: number;
  /** Window for the restart rate. Default 600 (10 minutes). */
  restartWindowSeconds: number;
  /** Restarts within the window that make a pod failing. Default 3. */
  restartRateFailing: number;
  /** A restart (or OOM kill) newer than this keeps the pod `degraded`. Default 21600 (6 hours). */
  recentRestartSeconds: number;
  /** Slack added to the probe-derived time a container may take to become ready. Default 60. */
  notReadyGraceSeconds: number;
  /** Unschedulable for longer than this is an error (before: a warning; autoscalers need time). Default 120. */
  unschedulableGraceSeconds: number;
  /** Past `deletionTimestamp` (which already includes the grace period) by this much is "stuck". Default 600. */
  stuckTerminatingSeconds: number;
}

/**
 * A restart observed by the collector (e.g. when it captured previous-container logs).
 *
 * @public
 */
export interface ObservedRestart {
  container: string;
  /** ISO time of the restart. */
  at: string;
}

/**
 * Options for describePod.
 *
 * @public
 */
export interface DescribePodOptions {
  /** Evaluation time; defaults to the current time. */
  now?: Date;
  thresholds?: Partial<HealthThresholds>;
  /**
   * Restarts the backend has seen. When given, the restart rate is counted exactly instead of
   * being estimated from restartCount and the last termination time.
   */
  observedRestarts?: readonly ObservedRestart[];
}

/**
 * Log level classes.
 *
 * @public
 */
export type LogLevel = 'error' | 'warning' | 'info' | 'debug' | 'unknown';

/**
 * How a line relates to a multi-line exception.
 *
 * @public
 */
export type ExceptionPart = 'start' | 'continuation';

/**
 * Result of classifyLogLine.
 *
 * @public
 */
export interface LogLineClass {
  level: LogLevel;
  /** Whether the line starts or continues an exception / stack trace; undefined otherwise. */
  exception?: ExceptionPart;
}

/**
 * Short label and meaning of each health class, for legends and tooltips.
 *
 * @public
 */
export const HEALTH_EXPLANATIONS: Readonly<
  Record<PodHealth, { label: string; description: string }>
> = {
  failing: {
    label: 'Failing',
    description:
      'An error: crash loop, image or config error, failed init, frequent restarts, not ready for longer than its probes allow, unschedulable or stuck starting.',
  },
  degraded: {
    label: 'Degraded',
    description:
      'Running with a warning: a recent restart or OOM kill, eviction, readiness lost, stuck terminating, or a scheduling delay.',
  },
  initializing: {
    label: 'Initializing',
    description:
      'Starting normally: scheduling, pulling images, creating containers, running init containers or waiting for readiness within its probe budget.',
  },
  healthy: {
    label: 'Healthy',
    description: 'Running and ready; old restarts do not count.',
  },
  completed: {
    label: 'Completed',
    description: 'Finished successfully (a Job or one-off pod).',
  },
  terminating: {
    label: 'Terminating',
    description: 'Being deleted, within its grace period.',
  },
  unknown: {
    label: 'Unknown',
    description:
      'The node stopped reporting or the pod has no status: its real state is unknown.',
  },
};
