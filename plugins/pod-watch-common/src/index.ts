/**
 * Pure, isomorphic derivation shared by the Pod Watch backend and frontend: kubectl-equivalent
 * pod status, health, attention and top issue, workload roll-ups, log classification, exception
 * folding and fingerprints, secret redaction and label-selector matching. No I/O.
 *
 * @packageDocumentation
 */

export * from './types';
export { describePod } from './pods/describePod';
export { kubectlPodColumns, type KubectlPodColumns } from './pods/status';
export { DEFAULT_HEALTH_THRESHOLDS } from './pods/health';
export { PROBE_DEFAULTS, readinessAllowanceSeconds } from './pods/probes';
export {
  rollUpHealth,
  workloadReplicas,
  type HealthRollup,
  type ReplicatedWorkload,
  type WorkloadReplicas,
} from './pods/rollup';
export {
  classifyLogLine,
  levelFromName,
  levelFromNumber,
  maxLevel,
  CLASSIFY_SCAN_LIMIT,
  stripKubeletTimestamp,
} from './logs/classify';
export { ExceptionFolder, foldLogLines, type LogEntry } from './logs/fold';
export { fingerprintLog, normalizeForFingerprint } from './logs/fingerprint';
export {
  redactSecretLines,
  redactSecrets,
  redactSecretsDetailed,
  REDACTED,
  type RedactionResult,
} from './redact/redactSecrets';
export {
  parseLabelSelector,
  matchesLabelSelector,
  labelSelectorFromObject,
  formatLabelSelector,
  LabelSelectorSyntaxError,
  type LabelRequirement,
} from './selectors/labelSelector';
export {
  KUBERNETES_ANNOTATIONS,
  entityWorkloadSelector,
  hasKubernetesAnnotations,
  selectorMatches,
  type EntityLike,
  type EntityWorkloadSelector,
} from './selectors/entitySelector';
export * from './api';
export * from './incidents';
