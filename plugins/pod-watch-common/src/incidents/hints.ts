/**
 * One-line summaries and rule-based root-cause hints. They only restate facts Pod Watch saw
 * (exit codes, limits, messages, log lines) and point at the usual cause; they never guess
 * beyond the rule.
 */
import { shortDuration } from '../pods/time';
import { isContainerScoped } from './rules';
import type { IncidentSignal, IncidentSubject, IncidentType } from './types';

const TITLES: Readonly<Record<IncidentType, string>> = {
  'crash-loop': 'crash loop',
  'oom-killed': 'OOMKilled',
  'image-pull': 'image pull failure',
  'config-error': 'container config error',
  unschedulable: 'unschedulable',
  evicted: 'evicted',
  'liveness-probe': 'liveness probe failures',
  'readiness-probe': 'readiness probe failures',
  'volume-mount': 'volume mount failure',
  'pod-sandbox': 'pod sandbox failure',
  'init-failure': 'init container failure',
  'container-failed': 'container failed',
  'job-failed': 'Job failed',
  'node-lost': 'node lost',
  warning: 'warning',
};

/**
 * Human title of an incident type.
 *
 * @public
 */
export function incidentTitle(type: IncidentType): string {
  return TITLES[type];
}

/**
 * One-line summary, e.g. `Deployment payments/payments-api (app): crash loop — CrashLoopBackOff`.
 *
 * @public
 */
export function incidentSummary(
  subject: IncidentSubject,
  signal: IncidentSignal,
): string {
  const where = `${subject.kind} ${subject.namespace}/${subject.name}${
    // pod-level types (and a Job as a whole) are not about one container
    signal.container &&
    isContainerScoped(signal.type) &&
    signal.type !== 'job-failed'
      ? ` (${signal.container})`
      : ''
  }`;
  const title = TITLES[signal.type];
  return signal.reason && signal.reason !== title
    ? `${where}: ${title} — ${signal.reason}`
    : `${where}: ${title}`;
}

/**
 * What a container exit code usually means.
 *
 * @public
 */
export function exitCodeMeaning(code: number | undefined): string | undefined {
  switch (code) {
    case undefined:
      return undefined;
    case 1:
      return 'application error';
    case 2:
      return 'misuse of a shell builtin or bad arguments';
    case 126:
      return 'command not executable';
    case 127:
      return 'command not found (check command/args and the image)';
    case 128 + 9:
      return 'SIGKILL: killed by the kernel OOM killer or the kubelet';
    case 128 + 11:
      return 'SIGSEGV: segmentation fault';
    case 128 + 15:
      return 'SIGTERM: stopped by a signal';
    default:
      return code > 128 ? `signal ${code - 128}` : undefined;
  }
}

/**
 * Context for hints that the backend gathers from its store.
 *
 * @public
 */
export interface HintContext {
  /** Error lines around the failure from the previous container's logs (already redacted). */
  errorLines?: readonly string[];
  /** Seconds between the container's recent failures. */
  restartCadenceSeconds?: number;
  /** A Killing Event said the kubelet killed the container after failed liveness probes. */
  killedByLiveness?: boolean;
}

/** Stack frames and "... N more" restate an error; the line before them says what failed. */
const STACK_LINE =
  /^\s*(at\s|\.\.\.\s*\d+\s+more|File "|goroutine\s|\S+\.go:\d+)/;

function lastErrorLine(lines: readonly string[] | undefined) {
  if (!lines?.length) return undefined;
  const meaningful = lines.filter(l => l.trim() && !STACK_LINE.test(l));
  return meaningful[meaningful.length - 1] ?? lines[lines.length - 1];
}

/** The image an Event's message names, e.g. `Failed to pull image "x:1"`. */
function imageOf(message: string | undefined) {
  return /image "([^"]+)"/.exec(message ?? '')?.[1];
}

function firstSentence(
  text: string | undefined,
  max = 300,
): string | undefined {
  if (!text) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function imagePullAdvice(message: string): string {
  if (/not found|manifest unknown/i.test(message))
    return 'The tag or repository does not exist (typo or unpublished tag?).';
  if (/unauthori[sz]ed|denied|forbidden|401|403/i.test(message))
    return 'The registry refused the credentials (imagePullSecrets).';
  return 'Check the image reference, the registry and pull credentials.';
}

function schedulerAdvice(message: string): string | undefined {
  if (/node affinity|node selector|didn't match Pod's node/i.test(message))
    return 'no node matches the pod’s nodeSelector/affinity';
  if (/Insufficient (cpu|memory|ephemeral-storage|nvidia)/i.test(message))
    return 'not enough free capacity for the pod’s requests';
  if (/untolerated taint|had taint/i.test(message))
    return 'nodes carry taints the pod does not tolerate';
  if (/PersistentVolumeClaim|volume node affinity/i.test(message))
    return 'its volumes cannot be bound or reached from any node';
  if (/scheduling gates/i.test(message))
    return 'scheduling gates are set; the controller that owns them has not released the pod';
  return undefined;
}

/**
 * Rule-based root-cause hint for a signal: OOMKilled → memory limit and restart cadence; image
 * pull → image reference and the Event's message; crash → last error line and exit code;
 * unschedulable → the scheduler's reason.
 *
 * @public
 */
export function rootCauseHint(
  signal: IncidentSignal,
  context: HintContext = {},
): string {
  const d = signal.details;
  const message = firstSentence(signal.message);
  const lastError = firstSentence(lastErrorLine(context.errorLines), 240);
  const cadence =
    context.restartCadenceSeconds !== undefined
      ? `, restarting about every ${shortDuration(
          context.restartCadenceSeconds,
        )}`
      : '';
  switch (signal.type) {
    case 'oom-killed':
      return `Container ${signal.container} was OOMKilled (exit 137)${
        d.restarts ? ` and has restarted ${d.restarts}×` : ''
      }${cadence}. Memory limit ${
        d.memoryLimit ?? 'not set (node memory pressure)'
      }${
        d.memoryRequest ? `, request ${d.memoryRequest}` : ''
      }: the process needs more memory than the limit, or leaks.`;
    case 'image-pull': {
      const image = d.image ?? imageOf(signal.message);
      return `Image ${image ? `"${image}"` : 'reference'} cannot be pulled${
        message ? `: ${message}` : ''
      }. ${imagePullAdvice(signal.message ?? '')}`;
    }
    case 'crash-loop':
    case 'init-failure':
    case 'container-failed':
    case 'job-failed': {
      const meaning = exitCodeMeaning(d.exitCode);
      const exit =
        d.exitCode !== undefined
          ? `exit code ${d.exitCode}${meaning ? ` (${meaning})` : ''}`
          : signal.reason;
      const cause = context.killedByLiveness
        ? 'The kubelet killed it after failed liveness probes. '
        : '';
      return `${cause}${
        signal.type === 'init-failure' ? 'Init container' : 'Container'
      } ${signal.container ?? ''} ${
        signal.type === 'crash-loop' || signal.type === 'init-failure'
          ? 'keeps failing'
          : 'failed'
      } with ${exit}${cadence}.${
        lastError ? ` Last error: ${lastError}` : ` ${message ?? ''}`
      }`
        .trim()
        .replace(/\s+/g, ' ');
    }
    case 'unschedulable': {
      const advice = message ? schedulerAdvice(message) : undefined;
      return `The scheduler could not place the pod: ${
        message ?? signal.reason
      }${advice ? ` — ${advice}.` : ''}`;
    }
    case 'config-error':
      return `The container cannot be created: ${message ?? signal.reason}. ${
        /configmap|secret|key/i.test(signal.message ?? '')
          ? 'A referenced ConfigMap/Secret (or key) is missing.'
          : 'Check the container spec, its env/volume references and security context.'
      }`;
    case 'liveness-probe':
      return `Liveness probe failing: ${
        message ?? 'probe failed'
      }. The kubelet restarts the container after failureThreshold failures.`;
    case 'readiness-probe':
      return `Readiness probe failing: ${
        message ?? 'probe failed'
      }. The pod is taken out of its Services’ ready endpoints.`;
    case 'evicted':
      return `Evicted by the kubelet: ${message ?? 'node resource pressure'}`;
    case 'node-lost':
      return `Node ${
        d.nodeName ?? ''
      } stopped reporting; its pods are not ready and will be evicted once the unreachable toleration expires.`.replace(
        /\s+/g,
        ' ',
      );
    case 'volume-mount':
      return `Volume cannot be attached or mounted: ${
        message ?? signal.reason
      }`;
    case 'pod-sandbox':
      return `The pod sandbox (network/runtime) could not be created: ${
        message ?? signal.reason
      }`;
    default:
      return `${signal.reason}${message ? `: ${message}` : ''}`;
  }
}
