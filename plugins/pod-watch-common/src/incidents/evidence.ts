/**
 * The evidence the backend keeps with an incident (its `evidence` JSON, capped at 64 kB): what an
 * on-call engineer reads the next morning, after Kubernetes has forgotten the Events.
 */
import type { IncidentState } from './lifecycle';
import type { IncidentSubject } from './types';

/**
 * Evidence kept with an incident: what an on-call engineer reads the next morning.
 *
 * @public
 */
export interface IncidentEvidence {
  version: 1;
  /** lifecycle counters (see common's lifecycle) */
  state: IncidentState;
  subject: IncidentSubject;
  node?: string;
  /** the pod's direct controller (e.g. its ReplicaSet) */
  owner?: { kind: string; name: string };
  events: EvidenceEvent[];
  logs: { errorLines: EvidenceLogLine[]; tail: EvidenceLogLine[] };
  /** changes of the workload just before the incident (rollout history) */
  changes: EvidenceChange[];
  /** Services the pod sits behind and whether they had ready endpoints */
  serving: EvidenceService[];
  /** evidence-gathering attempts for logs (they may be captured after the incident opens) */
  logAttempts?: number;
}

/**
 * One entry of {@link IncidentEvidence}.
 *
 * @public
 */
export interface EvidenceEvent {
  uid: string;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstAt: string;
  lastAt: string;
  object?: string;
  fieldPath?: string;
}

/**
 * One entry of {@link IncidentEvidence}.
 *
 * @public
 */
export interface EvidenceLogLine {
  at: string;
  pod: string;
  container: string;
  instance: number;
  source: string;
  level: string;
  text: string;
}

/**
 * One entry of {@link IncidentEvidence}.
 *
 * @public
 */
export interface EvidenceChange {
  at: string;
  verb: string;
  kind: string;
  name: string;
  resourceVersion: string;
  diff?: unknown;
}

/**
 * One entry of {@link IncidentEvidence}.
 *
 * @public
 */
export interface EvidenceService {
  service: string;
  /** the pod's endpoint was ready when the incident opened */
  podReady?: boolean;
  readyEndpoints: number;
  totalEndpoints: number;
  /** the Service had endpoints that were not ready */
  lostReadyEndpoints: boolean;
}
