export * from './types';
export {
  INCIDENT_TYPE_SEVERITY,
  EVENT_REASON_TYPES,
  eventRule,
  genericWarningSeverity,
  isContainerScoped,
} from './rules';
export {
  incidentSignalFromEvent,
  incidentSignalsFromPod,
  attributeToLiveness,
  isLivenessKill,
  containerOfFieldPath,
  type EventContext,
  type IncidentEventLike,
} from './classify';
export { incidentFingerprint, podSubject } from './fingerprint';
export {
  incidentSummary,
  incidentTitle,
  rootCauseHint,
  exitCodeMeaning,
  type HintContext,
} from './hints';
export {
  applySignal,
  markCleared,
  markPodGone,
  occurrencesOf,
  resolution,
  type IncidentCounter,
  type IncidentDecision,
  type IncidentLifecycleView,
  type IncidentState,
} from './lifecycle';
export type {
  IncidentEvidence,
  EvidenceChange,
  EvidenceEvent,
  EvidenceLogLine,
  EvidenceService,
} from './evidence';
