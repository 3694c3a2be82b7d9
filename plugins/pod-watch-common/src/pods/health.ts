import type {
  V1Container,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
} from '@kubernetes/client-node';
import type {
  ContainerSummary,
  HealthThresholds,
  IssueSeverity,
  ObservedRestart,
  PodHealth,
  TopIssue,
} from '../types';
import { readinessAllowanceSeconds } from './probes';
import { isRestartableInitContainer } from './status';
import { shortDuration, toIso, toMillis } from './time';

/**
 * Default thresholds of describePod.
 *
 * @public
 */
export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = {
  startupTimeoutSeconds: 600,
  restartWindowSeconds: 600,
  restartRateFailing: 3,
  recentRestartSeconds: 6 * 3600,
  notReadyGraceSeconds: 60,
  unschedulableGraceSeconds: 120,
  stuckTerminatingSeconds: 600,
};

/** Issue plus a rank that orders issues of the same severity (higher = more important). */
export interface RankedIssue extends TopIssue {
  rank: number;
}

/** Waiting reasons meaning the image cannot be obtained. */
export const IMAGE_ERRORS: ReadonlySet<string> = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'RegistryUnavailable',
  'SignatureValidationFailed',
  'ImageInspectError',
]);

/** Waiting reasons meaning the container spec or its config cannot be started. */
export const CONFIG_ERRORS: ReadonlySet<string> = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PreStartHookError',
  'PostStartHookError',
  'ContainerCannotRun',
  'StartError',
]);

/** Waiting reasons that are a normal part of starting. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** Pod reasons of a pod the node gave up on; its controller replaces it. */
const EVICTION_LIKE = new Set([
  'Evicted',
  'Preempting',
  'Shutdown',
  'NodeShutdown',
  'Terminated',
  'TerminationByKubelet',
]);

export interface HealthInput {
  pod: V1Pod;
  nowMs: number;
  thresholds: HealthThresholds;
  observedRestarts?: readonly ObservedRestart[];
}

export interface HealthResult {
  health: PodHealth;
  issues: RankedIssue[];
  containers: ContainerSummary[];
  podReady: boolean;
  /** Highest estimated restarts of one container within the restart window. */
  restartsInWindow: number;
  /** A Failed pod whose containers finished longer ago than recentRestartSeconds (old Job attempts). */
  staleFailure: boolean;
}

function findCondition(
  conditions: V1PodCondition[] | undefined,
  type: string,
): V1PodCondition | undefined {
  if (!conditions) return undefined;
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i].type === type) return conditions[i];
  }
  return undefined;
}

function findSpec(
  list: V1Container[] | undefined,
  name: string,
): V1Container | undefined {
  if (!list) return undefined;
  for (let i = 0; i < list.length; i++) {
    if (list[i].name === name) return list[i];
  }
  return undefined;
}

function summariseContainer(
  cs: V1ContainerStatus,
  kind: ContainerSummary['kind'],
): ContainerSummary {
  const state = cs.state;
  const last = cs.lastState?.terminated;
  const out: ContainerSummary = {
    name: cs.name,
    kind,
    ready: cs.ready === true,
    restarts: cs.restartCount ?? 0,
    state: 'unknown',
  };
  if (cs.started !== undefined) out.started = cs.started;
  if (cs.image) out.image = cs.image;
  if (state?.waiting) {
    out.state = 'waiting';
    if (state.waiting.reason) out.reason = state.waiting.reason;
    if (state.waiting.message) out.message = state.waiting.message;
  } else if (state?.running) {
    out.state = 'running';
    const since = toIso(toMillis(state.running.startedAt));
    if (since) out.since = since;
  } else if (state?.terminated) {
    out.state = 'terminated';
    if (state.terminated.reason) out.reason = state.terminated.reason;
    if (state.terminated.message) out.message = state.terminated.message;
    out.exitCode = state.terminated.exitCode ?? 0;
    const since = toIso(toMillis(state.terminated.finishedAt));
    if (since) out.since = since;
  }
  if (last) {
    if (last.reason) out.lastTerminatedReason = last.reason;
    out.lastTerminatedExitCode = last.exitCode ?? 0;
    const at = toIso(toMillis(last.finishedAt));
    if (at) out.lastTerminatedAt = at;
  }
  return out;
}

function exitText(
  reason: string | undefined,
  exitCode: number | undefined,
  signal?: number,
): string {
  const parts: string[] = [];
  if (reason) parts.push(reason);
  if (signal) parts.push(`signal ${signal}`);
  else if (exitCode !== undefined) parts.push(`exit ${exitCode}`);
  return parts.join(', ');
}

class Collector {
  readonly issues: RankedIssue[] = [];
  initializing = false;

  add(
    severity: IssueSeverity,
    rank: number,
    reason: string,
    message?: string,
    container?: string,
  ): void {
    const issue: RankedIssue = { reason, severity, rank };
    if (message) issue.message = message;
    if (container) issue.container = container;
    this.issues.push(issue);
  }
}

/**
 * Estimated restarts of one container within the restart window. Exact when the backend passes
 * the restarts it observed; otherwise the container's restarts are assumed evenly spread between
 * the pod's start and the last termination (only when that termination is inside the window).
 */
function restartsInWindow(
  cs: V1ContainerStatus,
  input: HealthInput,
  podStartMs: number,
): number {
  const windowMs = input.thresholds.restartWindowSeconds * 1000;
  const since = input.nowMs - windowMs;
  const lastMs = toMillis(cs.lastState?.terminated?.finishedAt);
  if (input.observedRestarts) {
    let n = 0;
    for (const r of input.observedRestarts) {
      if (r.container === cs.name && toMillis(r.at) >= since) n++;
    }
    // the kubelet's own record counts even if the collector missed that restart
    return n === 0 && lastMs >= since ? 1 : n;
  }
  const count = cs.restartCount ?? 0;
  if (count === 0 || !(lastMs >= since)) return 0;
  if (!(podStartMs < since)) return count;
  const span = lastMs - podStartMs;
  if (!(span > 0)) return 1;
  const estimate = Math.round((count * windowMs) / span);
  return Math.max(1, Math.min(count, estimate));
}

/**
 * Finds every issue of a pod and its health class: errors first, then warnings, then
 * initializing, then healthy.
 */
export function evaluateHealth(input: HealthInput): HealthResult {
  const { pod, nowMs, thresholds: t } = input;
  const status = pod.status;
  const spec = pod.spec;
  const phase = status?.phase ?? '';
  const conditions = status?.conditions;
  const readyCond = findCondition(conditions, 'Ready');
  const podReady = readyCond?.status === 'True';
  // the later of creation and kubelet start: a recreated object may carry an old startTime
  const podStartMs = (() => {
    const started = toMillis(status?.startTime);
    const created = toMillis(pod.metadata?.creationTimestamp);
    if (Number.isNaN(started)) return created;
    return Number.isNaN(created) || started > created ? started : created;
  })();
  const sincePodStart = (nowMs - podStartMs) / 1000;
  const deletionMs = toMillis(pod.metadata?.deletionTimestamp);
  const deleting =
    !Number.isNaN(deletionMs) || Boolean(pod.metadata?.deletionTimestamp);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const restartPolicy = spec?.restartPolicy ?? 'Always';
  const c = new Collector();
  const containers: ContainerSummary[] = [];
  let maxInWindow = 0;

  // ---- pod-level facts
  const nodeLost = status?.reason === 'NodeLost';
  if (nodeLost) {
    c.add(
      'error',
      85,
      'NodeLost',
      status?.message || 'the node stopped reporting; pod state is unknown',
    );
  } else if (phase === 'Unknown') {
    c.add(
      'error',
      80,
      'Unknown',
      status?.message || 'pod state could not be obtained from its node',
    );
  }

  let stuckTerminating = false;
  if (deleting && !Number.isNaN(deletionMs)) {
    const overdue = (nowMs - deletionMs) / 1000;
    if (overdue > t.stuckTerminatingSeconds) {
      stuckTerminating = true;
      const finalizers = pod.metadata?.finalizers;
      c.add(
        'warning',
        60,
        'StuckTerminating',
        `deletion was due ${shortDuration(overdue)} ago${
          finalizers?.length ? `; finalizers: ${finalizers.join(', ')}` : ''
        }`,
      );
    }
  }

  if (phase === 'Failed' && status?.reason) {
    if (EVICTION_LIKE.has(status.reason)) {
      c.add('warning', 55, status.reason, status.message);
    } else if (!nodeLost) {
      c.add('error', 75, status.reason, status.message);
    }
  }

  const scheduled = findCondition(conditions, 'PodScheduled');
  if (!terminal && scheduled?.status === 'False') {
    if (scheduled.reason === 'Unschedulable') {
      const since = (nowMs - toMillis(scheduled.lastTransitionTime)) / 1000;
      const known = Number.isFinite(since);
      if (!known || since > t.unschedulableGraceSeconds) {
        c.add('error', 70, 'Unschedulable', scheduled.message);
      } else {
        c.add('warning', 40, 'Unschedulable', scheduled.message);
      }
    } else if (scheduled.reason === 'SchedulingGated') {
      c.initializing = true;
      c.add('info', 10, 'SchedulingGated', scheduled.message);
    } else {
      c.initializing = true;
    }
  }

  // ---- containers: init (and sidecars), then app containers
  const initStatuses = status?.initContainerStatuses ?? [];
  const appStatuses = status?.containerStatuses ?? [];
  const initSpecs = spec?.initContainers;
  const appSpecs = spec?.containers;
  const activeOnly = !terminal;
  const initialized =
    findCondition(conditions, 'Initialized')?.status === 'True';
  // whether some container issue already explains a pod that is not Ready
  let explained = c.initializing;

  const handle = (
    cs: V1ContainerStatus,
    kind: ContainerSummary['kind'],
    cspec: V1Container | undefined,
  ) => {
    const summary = summariseContainer(cs, kind);
    containers.push(summary);
    if (!activeOnly) {
      // terminal pod: only failures of app/init containers explain it
      const term = cs.state?.terminated;
      if (
        phase === 'Failed' &&
        kind !== 'sidecar' &&
        term &&
        (term.exitCode ?? 0) !== 0
      ) {
        c.add(
          'error',
          kind === 'init' ? 72 : 74,
          kind === 'init'
            ? `Init:${term.reason || 'Error'}`
            : term.reason || 'Error',
          [exitText(undefined, term.exitCode, term.signal), term.message]
            .filter(Boolean)
            .join(': '),
          cs.name,
        );
      }
      return;
    }
    const prefix = kind === 'init' ? 'Init:' : '';
    const issuesBefore = c.issues.length;
    const waiting = cs.state?.waiting;
    const term = cs.state?.terminated;
    const last = cs.lastState?.terminated;
    const restarts = cs.restartCount ?? 0;
    const lastText = last
      ? exitText(last.reason, last.exitCode, last.signal)
      : '';
    if (waiting) {
      const reason = waiting.reason ?? '';
      if (reason === 'CrashLoopBackOff') {
        c.add(
          'error',
          90,
          prefix + reason,
          `restarted ${restarts} time${restarts === 1 ? '' : 's'}${
            lastText ? `; last exit: ${lastText}` : ''
          }${last?.message ? ` (${last.message.trim().slice(0, 200)})` : ''}`,
          cs.name,
        );
      } else if (IMAGE_ERRORS.has(reason)) {
        c.add('error', 80, prefix + reason, waiting.message, cs.name);
      } else if (CONFIG_ERRORS.has(reason)) {
        c.add('error', 84, prefix + reason, waiting.message, cs.name);
      } else if (reason === '' || STARTING.has(reason)) {
        if (sincePodStart > t.startupTimeoutSeconds) {
          c.add(
            'error',
            65,
            prefix + (reason || 'Waiting'),
            `still ${reason || 'waiting'} ${shortDuration(
              sincePodStart,
            )} after the pod started`,
            cs.name,
          );
        } else {
          c.initializing = true;
          c.add('info', 5, prefix + (reason || 'Waiting'), undefined, cs.name);
        }
      } else {
        c.add('warning', 35, prefix + reason, waiting.message, cs.name);
      }
    } else if (term) {
      const code = term.exitCode ?? 0;
      if (kind === 'init') {
        if (code !== 0) {
          c.add(
            'error',
            86,
            `Init:${
              term.reason ||
              (term.signal ? `Signal:${term.signal}` : `ExitCode:${code}`)
            }`,
            [exitText(undefined, code, term.signal), term.message?.trim()]
              .filter(Boolean)
              .join(': '),
            cs.name,
          );
        }
      } else if (code !== 0) {
        c.add(
          'error',
          term.reason === 'OOMKilled' ? 83 : 78,
          term.reason ||
            (term.signal ? `Signal:${term.signal}` : `ExitCode:${code}`),
          [exitText(undefined, code, term.signal), term.message?.trim()]
            .filter(Boolean)
            .join(': '),
          cs.name,
        );
      } else if (kind === 'sidecar' || restartPolicy === 'Always') {
        // a long-running container finished: the kubelet will restart it
        c.add(
          'warning',
          30,
          term.reason || 'Completed',
          'container exited with 0 and will be restarted',
          cs.name,
        );
      }
    } else if (
      cs.state?.running &&
      !cs.ready &&
      kind !== 'init' &&
      !podReady &&
      !deleting
    ) {
      // probe-aware "not ready for too long"
      const startedMs = toMillis(cs.state.running.startedAt);
      let sinceMs = startedMs;
      const transition = toMillis(readyCond?.lastTransitionTime);
      if (transition > sinceMs) sinceMs = transition;
      const allowance =
        readinessAllowanceSeconds(cspec) + t.notReadyGraceSeconds;
      const elapsed = (nowMs - sinceMs) / 1000;
      explained = true;
      if (!Number.isFinite(elapsed)) {
        c.add(
          'warning',
          45,
          'NotReady',
          'container is running but not ready',
          cs.name,
        );
      } else if (elapsed > allowance) {
        c.add(
          'error',
          68,
          'NotReady',
          `not ready for ${shortDuration(
            elapsed,
          )}; its probes allow ${shortDuration(allowance)}`,
          cs.name,
        );
      } else if ((nowMs - startedMs) / 1000 > allowance) {
        // long running, lost readiness recently: not starting up, out of service
        c.add(
          'warning',
          46,
          'NotReady',
          `not ready since ${shortDuration(elapsed)} ago`,
          cs.name,
        );
      } else {
        c.initializing = true;
        c.add(
          'info',
          6,
          'NotReadyYet',
          `waiting for readiness (${shortDuration(elapsed)} of ${shortDuration(
            allowance,
          )})`,
          cs.name,
        );
      }
    }

    // init containers still to finish (or sidecars not yet started) keep the pod initializing
    if (
      (kind === 'init' &&
        !(term && (term.exitCode ?? 0) === 0) &&
        !initialized) ||
      (kind === 'sidecar' && cs.started !== true && !initialized)
    ) {
      c.initializing = true;
    }
    if (c.issues.length > issuesBefore || c.initializing) explained = true;

    // restart rate (not lifetime count)
    if (
      kind !== 'init' &&
      restarts > 0 &&
      waiting?.reason !== 'CrashLoopBackOff'
    ) {
      const inWindow = restartsInWindow(cs, input, podStartMs);
      if (inWindow > maxInWindow) maxInWindow = inWindow;
      const lastMs = toMillis(last?.finishedAt);
      const ago = (nowMs - lastMs) / 1000;
      const oom = last?.reason === 'OOMKilled';
      if (inWindow >= t.restartRateFailing) {
        c.add(
          'error',
          88,
          oom ? 'OOMKilled' : 'FrequentRestarts',
          `restarted ${inWindow} times in the last ${shortDuration(
            t.restartWindowSeconds,
          )} (${restarts} in total)${
            lastText ? `; last exit: ${lastText}` : ''
          }`,
          cs.name,
        );
      } else if (ago <= t.recentRestartSeconds) {
        c.add(
          'warning',
          oom ? 50 : 42,
          oom ? 'OOMKilled' : 'Restarted',
          `restarted ${restarts} time${
            restarts === 1 ? '' : 's'
          }, last ${shortDuration(ago)} ago${lastText ? ` (${lastText})` : ''}`,
          cs.name,
        );
      }
    }
  };

  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const cspec = findSpec(initSpecs, cs.name);
    handle(cs, isRestartableInitContainer(cspec) ? 'sidecar' : 'init', cspec);
  }
  for (let i = 0; i < appStatuses.length; i++) {
    const cs = appStatuses[i];
    handle(cs, 'app', findSpec(appSpecs, cs.name));
  }

  // pod not Ready and no container explains it (readiness gates, or no container statuses)
  if (phase === 'Running' && !podReady && !deleting && readyCond) {
    if (!explained) {
      let sinceMs = toMillis(readyCond.lastTransitionTime);
      if (Number.isNaN(sinceMs)) {
        // no transition time (hand-written objects): not Ready since the newest container start
        for (const cs of appStatuses) {
          const started = toMillis(cs.state?.running?.startedAt);
          if (
            started > sinceMs ||
            (Number.isNaN(sinceMs) && !Number.isNaN(started))
          ) {
            sinceMs = started;
          }
        }
      }
      const elapsed = (nowMs - sinceMs) / 1000;
      const gates = spec?.readinessGates?.map(g => g.conditionType).join(', ');
      const what = gates
        ? `readiness gates not met: ${gates}`
        : 'pod is not Ready';
      if (!Number.isFinite(elapsed)) {
        c.add('warning', 44, 'NotReady', what);
      } else if (elapsed > t.startupTimeoutSeconds) {
        c.add('error', 66, 'NotReady', `${what} for ${shortDuration(elapsed)}`);
      } else if (sincePodStart > t.startupTimeoutSeconds) {
        // an established pod that lost readiness (e.g. its node stopped reporting)
        c.add(
          'warning',
          44,
          'NotReady',
          `${what} since ${shortDuration(elapsed)} ago`,
        );
      } else {
        c.initializing = true;
        c.add('info', 6, 'NotReadyYet', what);
      }
    }
  }

  if (phase === 'Pending' && !deleting) {
    if (
      appStatuses.length === 0 &&
      initStatuses.length === 0 &&
      scheduled?.status !== 'False'
    ) {
      if (sincePodStart > t.startupTimeoutSeconds) {
        c.add(
          'error',
          62,
          'StuckPending',
          `pending for ${shortDuration(sincePodStart)}`,
        );
      } else {
        c.initializing = true;
        c.add('info', 4, 'Pending', status?.message);
      }
    } else {
      c.initializing = true;
    }
  }

  if (phase === 'Failed') {
    let hasError = false;
    for (const issue of c.issues)
      if (issue.severity === 'error') hasError = true;
    if (!hasError && !(status?.reason && EVICTION_LIKE.has(status.reason))) {
      c.add(
        'error',
        70,
        status?.reason || 'Failed',
        status?.message || 'pod failed',
      );
    }
  }

  sortIssues(c.issues);

  let health: PodHealth;
  let hasError = false;
  let hasWarning = false;
  for (const issue of c.issues) {
    if (issue.severity === 'error') hasError = true;
    else if (issue.severity === 'warning') hasWarning = true;
  }
  if (phase === 'Succeeded') {
    health = stuckTerminating ? 'degraded' : 'completed';
  } else if (deleting) {
    if (nodeLost) health = 'unknown';
    else if (stuckTerminating) health = 'degraded';
    else health = 'terminating';
  } else if (nodeLost || phase === 'Unknown' || phase === '') {
    health = 'unknown';
  } else if (hasError) {
    health = 'failing';
  } else if (hasWarning) {
    health = 'degraded';
  } else if (c.initializing || phase === 'Pending') {
    health = 'initializing';
  } else {
    health = 'healthy';
  }

  // a terminal or deleting pod's container chatter is not its top issue
  let issues = c.issues;
  if (health === 'completed') {
    issues = [];
  } else if (health === 'terminating') {
    issues = [{ reason: 'Terminating', severity: 'info', rank: 1 }];
  } else if (deleting && stuckTerminating) {
    issues = issues.filter(
      i => i.reason === 'StuckTerminating' || i.reason === 'NodeLost',
    );
  }

  return {
    health,
    issues,
    containers,
    podReady,
    restartsInWindow: maxInWindow,
    staleFailure:
      phase === 'Failed' && isStale(pod, nowMs, t.recentRestartSeconds),
  };
}

/** Whether every container of the pod finished more than `seconds` ago. */
function isStale(pod: V1Pod, nowMs: number, seconds: number): boolean {
  let latest = NaN;
  const all = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const cs of all) {
    const t = toMillis(cs.state?.terminated?.finishedAt);
    if (t > latest || (Number.isNaN(latest) && !Number.isNaN(t))) latest = t;
  }
  return Number.isFinite(latest) && (nowMs - latest) / 1000 > seconds;
}

const SEVERITY_ORDER: Record<IssueSeverity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** Errors first, then warnings, then info; within a severity by rank. */
export function sortIssues(issues: RankedIssue[]): void {
  if (issues.length < 2) return;
  issues.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      b.rank - a.rank,
  );
}
