import type {
  V1Container,
  V1Pod,
  V1PodCondition,
} from '@kubernetes/client-node';
import { toMillis } from './time';

/**
 * kubectl's `get pods` columns for one pod.
 *
 * @public
 */
export interface KubectlPodColumns {
  /** STATUS column. */
  status: string;
  readyContainers: number;
  totalContainers: number;
  /** RESTARTS column (the number). */
  restarts: number;
  /** Time of the restart shown as "(Xm ago)" in RESTARTS, in ms since the epoch; NaN when none. */
  lastRestartMs: number;
}

/** kubectl: node.NodeUnreachablePodReason */
const NODE_LOST = 'NodeLost';

export function findInitContainerSpec(
  pod: V1Pod,
  name: string,
): V1Container | undefined {
  const specs = pod.spec?.initContainers;
  if (!specs) return undefined;
  for (let i = 0; i < specs.length; i++) {
    if (specs[i].name === name) return specs[i];
  }
  return undefined;
}

export function isRestartableInitContainer(
  c: V1Container | undefined,
): boolean {
  return c?.restartPolicy === 'Always';
}

/** The later of two ms times where NaN means "no time". */
function laterOf(a: number, b: number): number {
  if (Number.isNaN(b)) return a;
  if (Number.isNaN(a)) return b;
  return b > a ? b : a;
}

function conditionTrue(
  conditions: V1PodCondition[] | undefined,
  type: string,
): boolean {
  if (!conditions) return false;
  for (let i = 0; i < conditions.length; i++) {
    // kubectl stops at the first condition of the type
    if (conditions[i].type === type) return conditions[i].status === 'True';
  }
  return false;
}

function hasReadyConditionTrue(
  conditions: V1PodCondition[] | undefined,
): boolean {
  if (!conditions) return false;
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i].type === 'Ready' && conditions[i].status === 'True') {
      return true;
    }
  }
  return false;
}

/**
 * Port of kubectl's printPod (kubernetes pkg/printers/internalversion/printers.go), including
 * SchedulingGated, restartable init containers (sidecars) in READY and RESTARTS, the
 * Completed → Running/NotReady correction and terminal phases not shown as Terminating.
 * Go zero values are reproduced: a missing exit code is 0, a missing reason is "".
 *
 * @public
 */
export function kubectlPodColumns(pod: V1Pod): KubectlPodColumns {
  const status = pod.status;
  const spec = pod.spec;
  const conditions = status?.conditions;
  const initSpecs = spec?.initContainers;
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = spec?.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestartMs = NaN;
  let lastRestartableInitRestartMs = NaN;

  const phase = status?.phase ?? '';
  let reason: string = phase;
  if (status?.reason) reason = status.reason;

  if (conditions) {
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i];
      if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') {
        reason = 'SchedulingGated';
      }
    }
  }

  if (initSpecs) {
    for (let i = 0; i < initSpecs.length; i++) {
      if (isRestartableInitContainer(initSpecs[i])) totalContainers++;
    }
  }

  let initializing = false;
  const initStatuses = status?.initContainerStatuses;
  if (initStatuses) {
    for (let i = 0; i < initStatuses.length; i++) {
      const cs = initStatuses[i];
      const restartCount = cs.restartCount ?? 0;
      restarts += restartCount;
      const lastFinished = toMillis(cs.lastState?.terminated?.finishedAt);
      lastRestartMs = laterOf(lastRestartMs, lastFinished);
      const restartable =
        initSpecs !== undefined &&
        isRestartableInitContainer(findInitContainerSpec(pod, cs.name));
      if (restartable) {
        restartableInitRestarts += restartCount;
        lastRestartableInitRestartMs = laterOf(
          lastRestartableInitRestartMs,
          lastFinished,
        );
      }
      const terminated = cs.state?.terminated;
      const waiting = cs.state?.waiting;
      if (terminated && (terminated.exitCode ?? 0) === 0) {
        continue;
      } else if (restartable && cs.started === true) {
        if (cs.ready) readyContainers++;
        continue;
      } else if (terminated) {
        // initialization failed
        if (!terminated.reason) {
          reason = terminated.signal
            ? `Init:Signal:${terminated.signal}`
            : `Init:ExitCode:${terminated.exitCode ?? 0}`;
        } else {
          reason = `Init:${terminated.reason}`;
        }
        initializing = true;
      } else if (
        waiting &&
        waiting.reason &&
        waiting.reason !== 'PodInitializing'
      ) {
        reason = `Init:${waiting.reason}`;
        initializing = true;
      } else {
        reason = `Init:${i}/${initSpecs?.length ?? 0}`;
        initializing = true;
      }
      break;
    }
  }

  if (!initializing || conditionTrue(conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestartMs = lastRestartableInitRestartMs;
    let hasRunning = false;
    const containerStatuses = status?.containerStatuses;
    if (containerStatuses) {
      for (let i = containerStatuses.length - 1; i >= 0; i--) {
        const cs = containerStatuses[i];
        restarts += cs.restartCount ?? 0;
        const lastFinished = toMillis(cs.lastState?.terminated?.finishedAt);
        lastRestartMs = laterOf(lastRestartMs, lastFinished);
        const waiting = cs.state?.waiting;
        const terminated = cs.state?.terminated;
        if (waiting && waiting.reason) {
          reason = waiting.reason;
        } else if (terminated && terminated.reason) {
          reason = terminated.reason;
        } else if (terminated) {
          reason = terminated.signal
            ? `Signal:${terminated.signal}`
            : `ExitCode:${terminated.exitCode ?? 0}`;
        } else if (cs.ready && cs.state?.running) {
          hasRunning = true;
          readyContainers++;
        }
      }
    }
    // back to "Running" when at least one container still runs
    if (reason === 'Completed' && hasRunning) {
      reason = hasReadyConditionTrue(conditions) ? 'Running' : 'NotReady';
    }
  }

  const deletion = pod.metadata?.deletionTimestamp;
  if (deletion && status?.reason === NODE_LOST) {
    reason = 'Unknown';
  } else if (deletion && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  return {
    status: reason,
    readyContainers,
    totalContainers,
    restarts,
    lastRestartMs,
  };
}
