import type { V1Pod } from '@kubernetes/client-node';
import type {
  DescribePodOptions,
  HealthThresholds,
  PodSummary,
  TopIssue,
} from '../types';
import { attentionScore } from './attention';
import { DEFAULT_HEALTH_THRESHOLDS, evaluateHealth } from './health';
import { kubectlPodColumns } from './status';
import { toIso } from './time';

function thresholdsOf(options?: DescribePodOptions): HealthThresholds {
  const custom = options?.thresholds;
  return custom
    ? { ...DEFAULT_HEALTH_THRESHOLDS, ...custom }
    : DEFAULT_HEALTH_THRESHOLDS;
}

/**
 * Everything Pod Watch shows about a pod, derived from the Pod object alone: kubectl's STATUS,
 * READY and RESTARTS, the health class, an attention score and the most important issue.
 * Pure and synchronous; `options.now` makes it deterministic.
 *
 * @public
 */
export function describePod(
  pod: V1Pod,
  options?: DescribePodOptions,
): PodSummary {
  const nowMs = options?.now ? options.now.getTime() : Date.now();
  const columns = kubectlPodColumns(pod);
  const evaluated = evaluateHealth({
    pod,
    nowMs,
    thresholds: thresholdsOf(options),
    observedRestarts: options?.observedRestarts,
  });
  const issues: TopIssue[] = evaluated.issues.map(i => {
    const issue: TopIssue = { reason: i.reason, severity: i.severity };
    if (i.message) issue.message = i.message;
    if (i.container) issue.container = i.container;
    return issue;
  });
  const summary: PodSummary = {
    phase: pod.status?.phase ?? '',
    status: columns.status,
    ready: `${columns.readyContainers}/${columns.totalContainers}`,
    readyContainers: columns.readyContainers,
    totalContainers: columns.totalContainers,
    restarts: columns.restarts,
    podReady: evaluated.podReady,
    health: evaluated.health,
    attention: attentionScore({
      health: evaluated.health,
      issues: evaluated.issues,
      restarts: columns.restarts,
      restartsInWindow: evaluated.restartsInWindow,
      staleFailure: evaluated.staleFailure,
    }),
    issues,
    containers: evaluated.containers,
  };
  const meta = pod.metadata;
  if (meta?.name) summary.name = meta.name;
  if (meta?.namespace) summary.namespace = meta.namespace;
  if (meta?.uid) summary.uid = meta.uid;
  if (pod.spec?.nodeName) summary.nodeName = pod.spec.nodeName;
  const lastRestartAt = toIso(columns.lastRestartMs);
  if (lastRestartAt) summary.lastRestartAt = lastRestartAt;
  if (issues.length > 0) summary.topIssue = issues[0];
  return summary;
}
