/**
 * Row and input types of the store. Inputs carry already-derived values (from the common
 * package's describePod / classifyLogLine) as plain fields so the store has no dependency on how
 * they are computed. Times are accepted as Date, ISO string or epoch ms and returned as ISO strings.
 */

/** A point in time as callers have it: Date (client-node), ISO string (raw JSON) or epoch ms. */
export type TimeInput = Date | string | number;

export type PodHealth =
  | 'failing'
  | 'degraded'
  | 'initializing'
  | 'healthy'
  | 'completed'
  | 'terminating'
  | 'unknown';

export const POD_HEALTH_VALUES: readonly PodHealth[] = [
  'failing',
  'degraded',
  'initializing',
  'healthy',
  'completed',
  'terminating',
  'unknown',
];

export type LogLevel = 'error' | 'warning' | 'info' | 'debug' | 'unknown';

export type IssueSeverity = 'critical' | 'error' | 'warning' | 'info';

/** A page of results with the total number matching the filter (before limit/offset). */
export interface Page<T> {
  items: T[];
  total: number;
}

// ---------------------------------------------------------------------------------------------
// clusters and sync state

export interface ClusterRow {
  name: string;
  createdAt: string;
  lastSeenAt?: string;
}

export interface SyncStateRow {
  cluster: string;
  /** watched kind, e.g. 'pods', 'events', 'apps/v1/deployments' */
  kind: string;
  resourceVersion?: string;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  updatedAt: string;
}

/** Live object counts of one cluster (countByCluster). */
export interface ClusterCountsRow {
  cluster: string;
  pods: number;
  /** pods per status.phase (`Unknown` when not reported) */
  phases: Record<string, number>;
  health: Record<PodHealth, number>;
  /** workloads per kind */
  workloads: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// pods and containers

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
}

export interface TopIssue {
  reason: string;
  message?: string;
  container?: string;
  severity: string;
}

export type ContainerType = 'init' | 'app' | 'ephemeral';
export type ContainerStateName =
  | 'waiting'
  | 'running'
  | 'terminated'
  | 'unknown';

export interface ContainerInput {
  name: string;
  type: ContainerType;
  image?: string;
  ready: boolean;
  state: ContainerStateName;
  stateReason?: string;
  stateMessage?: string;
  /** startedAt (running/terminated) of the current state */
  stateSince?: TimeInput;
  restartCount: number;
  lastTermination?: {
    reason?: string;
    exitCode?: number;
    finishedAt?: TimeInput;
  };
}

export interface ContainerRow {
  cluster: string;
  podUid: string;
  name: string;
  type: ContainerType;
  position: number;
  image?: string;
  ready: boolean;
  state: ContainerStateName;
  stateReason?: string;
  stateMessage?: string;
  stateSince?: string;
  restartCount: number;
  lastTermination?: {
    reason?: string;
    exitCode?: number;
    finishedAt?: string;
  };
  updatedAt: string;
}

export interface PodInput {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  nodeName?: string;
  phase?: string;
  /** kubectl's STATUS column */
  status: string;
  /** kubectl's READY column, e.g. "1/2" */
  ready: string;
  restarts: number;
  lastRestartAt?: TimeInput;
  health: PodHealth;
  /** 0–100, higher = look first */
  attention: number;
  topIssue?: TopIssue;
  /** direct controller owner (e.g. the ReplicaSet) */
  owner?: OwnerRef;
  /** top-level workload (e.g. the Deployment owning the ReplicaSet) */
  workload?: { kind: string; name: string };
  podIp?: string;
  labels: Record<string, string>;
  resourceVersion?: string;
  createdAt?: TimeInput;
  /**
   * The pod's containers (init, app, ephemeral). When present they replace the stored set for
   * the pod; when absent stored containers are left alone.
   */
  containers?: ContainerInput[];
  /** when the collector observed this state */
  seenAt: TimeInput;
  /** set for a DELETED watch event: the final state is stored and the pod marked deleted */
  deletedAt?: TimeInput;
}

export interface PodRow {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  nodeName?: string;
  phase?: string;
  status: string;
  ready: string;
  restarts: number;
  lastRestartAt?: string;
  health: PodHealth;
  attention: number;
  topIssue?: TopIssue;
  owner?: OwnerRef;
  workload?: { kind: string; name: string };
  podIp?: string;
  labels: Record<string, string>;
  resourceVersion?: string;
  createdAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  deletedAt?: string;
}

// ---------------------------------------------------------------------------------------------
// label selectors

export type SelectorOperator =
  | '='
  | '=='
  | '!='
  | 'in'
  | 'notin'
  | 'exists'
  | '!';

/** One parsed requirement of a Kubernetes label selector. */
export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  /** one value for `=`/`!=`, a set for `in`/`notin`, none for `exists`/`!` */
  values?: string[];
}

export interface PodSelectorQuery {
  /** all requirements must hold (AND); an empty list matches every pod */
  selector: SelectorRequirement[];
  clusters?: string[];
  namespaces?: string[];
  /** include pods marked deleted (default false) */
  includeDeleted?: boolean;
  /** default 500, max 5000 */
  limit?: number;
  offset?: number;
}

export interface PodSelectorResult extends Page<PodRow> {
  /** counts per health class over all matching pods (not just the page), for the roll-up */
  health: Record<PodHealth, number>;
}

// ---------------------------------------------------------------------------------------------
// workloads

export type WorkloadKind =
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob';

export interface WorkloadInput {
  cluster: string;
  uid: string;
  kind: WorkloadKind | string;
  namespace: string;
  name: string;
  desiredReplicas?: number;
  currentReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  /** Jobs */
  succeeded?: number;
  failed?: number;
  active?: number;
  generation?: number;
  observedGeneration?: number;
  owner?: OwnerRef;
  labels: Record<string, string>;
  /** spec.selector as given by the API (matchLabels/matchExpressions) */
  selector?: unknown;
  conditions?: unknown[];
  resourceVersion?: string;
  createdAt?: TimeInput;
  seenAt: TimeInput;
  deletedAt?: TimeInput;
}

export interface WorkloadRow
  extends Omit<
    WorkloadInput,
    'createdAt' | 'seenAt' | 'deletedAt' | 'conditions'
  > {
  conditions?: unknown[];
  createdAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  deletedAt?: string;
}

// ---------------------------------------------------------------------------------------------
// EndpointSlice endpoints

export interface EndpointInput {
  ip: string;
  podUid?: string;
  podName?: string;
  nodeName?: string;
  /** conditions.ready / serving / terminating (null = not reported) */
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
}

export interface ServiceEndpointsInput {
  cluster: string;
  namespace: string;
  service: string;
  /**
   * The EndpointSlice these endpoints come from. Pruning is scoped to the slice when given,
   * otherwise to the whole Service (the caller passes the merged set of all its slices).
   */
  slice?: string;
  endpoints: EndpointInput[];
  seenAt: TimeInput;
}

export interface EndpointRow {
  cluster: string;
  namespace: string;
  service: string;
  slice: string;
  ip: string;
  podUid?: string;
  podName?: string;
  nodeName?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
}

// ---------------------------------------------------------------------------------------------
// watched objects (custom resources) and history

export interface WatchedObjectInput {
  cluster: string;
  uid: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
  status?: unknown;
  /** the object (or a trimmed copy); capped in size */
  object?: unknown;
  resourceVersion?: string;
  createdAt?: TimeInput;
  seenAt: TimeInput;
  deletedAt?: TimeInput;
}

export interface WatchedObjectRow {
  cluster: string;
  uid: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  status?: unknown;
  object?: unknown;
  resourceVersion?: string;
  createdAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  deletedAt?: string;
}

export type HistoryVerb = 'create' | 'update' | 'delete';

export interface HistoryInput {
  cluster: string;
  objectUid: string;
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  verb: HistoryVerb;
  resourceVersion: string;
  at: TimeInput;
  /** full object (create/delete) … */
  snapshot?: unknown;
  /** … or a diff (update), e.g. a JSON patch */
  diff?: unknown;
}

export interface HistoryRow {
  id: number;
  cluster: string;
  objectUid: string;
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  verb: HistoryVerb;
  resourceVersion: string;
  at: string;
  snapshot?: unknown;
  diff?: unknown;
}

export interface HistoryQuery {
  cluster?: string;
  objectUids?: string[];
  namespace?: string;
  kind?: string;
  name?: string;
  verbs?: HistoryVerb[];
  since?: TimeInput;
  until?: TimeInput;
  /** default 100, max 1000 */
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------------------------------------
// Events

/** An Event normalised from core/v1 or events.k8s.io/v1 (see normalizeCoreEvent/normalizeEventsV1Event). */
export interface EventInput {
  cluster: string;
  uid: string;
  namespace?: string;
  name: string;
  type?: string;
  reason?: string;
  message?: string;
  regarding?: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    fieldPath?: string;
  };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  count: number;
  firstAt: TimeInput;
  lastAt: TimeInput;
  resourceVersion?: string;
}

export interface EventRow {
  id: number;
  cluster: string;
  uid: string;
  namespace?: string;
  name: string;
  type?: string;
  reason?: string;
  message?: string;
  regarding: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    fieldPath?: string;
  };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  count: number;
  firstAt: string;
  lastAt: string;
  resourceVersion?: string;
}

export interface EventQuery {
  cluster?: string;
  /** Events about any of these objects (pods, workloads …) */
  regardingUids?: string[];
  namespace?: string;
  regardingKind?: string;
  regardingName?: string;
  type?: string;
  reasons?: string[];
  /** Events whose last occurrence is within [since, until] */
  since?: TimeInput;
  until?: TimeInput;
  /** default 100, max 1000 */
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------------------------------------
// logs

export type LogSource = 'live' | 'previous';

export interface LogLineInput {
  cluster: string;
  namespace: string;
  podUid: string;
  podName: string;
  container: string;
  /** restart number of the container instance the line came from */
  instance: number;
  /** 'previous' for `logs --previous` captures after a restart, 'live' for tails */
  source: LogSource;
  at: TimeInput;
  level: LogLevel;
  exception?: boolean;
  fingerprint?: string;
  /** already redacted by the caller (common's redactSecrets) */
  text: string | Buffer;
}

export interface LogLineRow {
  id: number;
  cluster: string;
  namespace: string;
  podUid: string;
  podName: string;
  container: string;
  instance: number;
  source: LogSource;
  at: string;
  level: LogLevel;
  exception: boolean;
  fingerprint?: string;
  text: string;
}

export interface LogQuery {
  cluster?: string;
  /** required: logs are always read for a known set of pods */
  podUids: string[];
  container?: string;
  levels?: LogLevel[];
  source?: LogSource;
  exceptionOnly?: boolean;
  /** with `levels`: also lines that are part of an exception, whatever their level (OR) */
  includeExceptions?: boolean;
  fingerprint?: string;
  since?: TimeInput;
  until?: TimeInput;
  /** case-insensitive substring */
  text?: string;
  /** opaque cursor from a previous page's nextCursor */
  cursor?: string;
  /** default 200, max 2000 */
  limit?: number;
  /** 'desc' (newest first, default) or 'asc' */
  order?: 'asc' | 'desc';
}

export interface LogPage {
  items: LogLineRow[];
  /** pass back as `cursor` for the next page; absent on the last page */
  nextCursor?: string;
}

// ---------------------------------------------------------------------------------------------
// incidents

export type IncidentStatus = 'open' | 'resolved';

export interface IncidentInput {
  type: string;
  severity: string;
  fingerprint: string;
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  workloadKind?: string;
  workloadName?: string;
  podUid?: string;
  podName?: string;
  container?: string;
  summary: string;
  rootCauseHint?: string;
  /** absolute number of occurrences so far (absolute, so re-applying is idempotent) */
  occurrences: number;
  firstSeenAt: TimeInput;
  lastSeenAt: TimeInput;
  evidence?: unknown;
}

export interface IncidentRow {
  id: number;
  type: string;
  severity: string;
  status: IncidentStatus;
  fingerprint: string;
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  workloadKind?: string;
  workloadName?: string;
  podUid?: string;
  podName?: string;
  container?: string;
  summary: string;
  rootCauseHint?: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  openedAt: string;
  resolvedAt?: string;
  recurrenceOf?: number;
  evidence?: unknown;
  updatedAt: string;
}

/** A workload an incident may be about (incidents.workload_kind / workload_name). */
export interface IncidentWorkloadRef {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}

export interface IncidentQuery {
  entityRef?: string;
  /**
   * Incidents about any of these (OR): attributed to the entity, about one of the pods, or about
   * one of the workloads. An empty `about` matches nothing.
   */
  about?: {
    entityRef?: string;
    podUids?: string[];
    workloads?: IncidentWorkloadRef[];
  };
  statuses?: IncidentStatus[];
  types?: string[];
  cluster?: string;
  podUid?: string;
  /** incidents of any of these grouping keys (the builder's lookups) */
  fingerprints?: string[];
  namespace?: string;
  workloadKind?: string;
  workloadName?: string;
  /** incidents last seen at or after `since`, opened at or before `until` */
  since?: TimeInput;
  until?: TimeInput;
  /** default 100, max 1000 */
  limit?: number;
  offset?: number;
}

/** The entity statistics are computed for: a workload, a standalone pod or a catalog entity. */
export interface IncidentStatsQuery {
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  workloadKind?: string;
  workloadName?: string;
  podName?: string;
  /** incidents opened at or after */
  since?: TimeInput;
}

export interface IncidentTypeStats {
  total: number;
  open: number;
  /** incidents that recur a resolved incident of the same fingerprint */
  recurrences: number;
  /** mean time to resolve (first seen → resolved) over resolved incidents, ms */
  mttrMs?: number;
  /** summed duration of resolved incidents, ms */
  resolvedDurationMs: number;
}

export interface IncidentStats extends IncidentTypeStats {
  byType: Record<string, IncidentTypeStats>;
}

// ---------------------------------------------------------------------------------------------
// observation gaps

export interface GapInput {
  cluster: string;
  kind: string;
  namespace?: string;
  startedAt: TimeInput;
  reason?: string;
}

export interface GapRow {
  id: number;
  cluster: string;
  kind: string;
  namespace?: string;
  startedAt: string;
  endedAt?: string;
  reason?: string;
}

// ---------------------------------------------------------------------------------------------
// retention

/** Days to keep each kind of data (see readRetentionConfig). */
export interface RetentionPolicy {
  events: number;
  logs: number;
  history: number;
  /** resolved incidents, by resolution time (open incidents are never deleted) */
  incidents: number;
  gaps: number;
  /** pods, workloads, watched objects marked deleted; stale endpoints */
  deletedObjects: number;
  /**
   * rows per delete statement; default 1000 on SQLite (~70 ms per batch at 1M Events) and 5000
   * on PostgreSQL (~100 ms)
   */
  batchSize?: number;
}

export interface RetentionResult {
  /** rows deleted per table */
  deleted: Record<string, number>;
}

/** Outcome of a batched write: inputs written vs. skipped because nothing changed. */
export interface WriteResult {
  written: number;
  unchanged: number;
}
