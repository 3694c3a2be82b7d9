/**
 * Request and response types of the Pod Watch REST API (`/api/pod-watch`). The backend's
 * `src/router/openapi.yaml` describes the same shapes; times are ISO 8601 strings.
 */
import type { LogLevel, PodHealth, TopIssue } from '../types';

// ---------------------------------------------------------------------------------------------
// errors and paging

/**
 * Body of every error response (Backstage's `ErrorResponseBody` shape, so `ResponseError`
 * parses it). `error.field` names the request parameter at fault on a 400.
 *
 * @public
 */
export interface PodWatchErrorResponse {
  error: {
    /** `InputError` (400), `AuthenticationError` (401), `NotAllowedError` (403), `NotFoundError` (404) … */
    name: string;
    message: string;
    /** The query/path parameter that failed validation (400 only). */
    field?: string;
  };
  request?: { method: string; url: string };
  response: { statusCode: number };
}

/**
 * Response headers of paged list routes.
 *
 * @public
 */
export const POD_WATCH_TOTAL_COUNT_HEADER = 'X-Total-Count';
/** @public */
export const POD_WATCH_HAS_MORE_HEADER = 'X-Has-More';

/**
 * Largest `limit` an offset-paged list route accepts.
 *
 * @public
 */
export const POD_WATCH_MAX_PAGE_LIMIT = 1000;

/**
 * An offset-paged list. `total` counts every match; the same values are sent as the
 * `X-Total-Count` / `X-Has-More` headers.
 *
 * @public
 */
export interface PagedResponse<T> {
  items: T[];
  total: number;
  hasMore: boolean;
  limit: number;
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// sync status

/**
 * `ok`: synced recently; `stale`: last success older than the staleness threshold;
 * `error`: the newest attempt failed; `unknown`: never synced.
 *
 * @public
 */
export type SyncStatus = 'ok' | 'stale' | 'error' | 'unknown';

/**
 * Sync state of one watched kind in one cluster.
 *
 * @public
 */
export interface KindSyncStatus {
  /** e.g. `pods`, `events`, `apps/v1/deployments` */
  kind: string;
  status: SyncStatus;
  /** Whether the watch stream is connected (as the replica holding it last reported). */
  connected?: boolean;
  /** Newest change received from the watch. */
  lastEventAt?: string;
  lastSuccessAt?: string;
  /**
   * How far behind the cluster the data may be, in seconds: the watch's processing lag while
   * connected, else the time since the last success (at response time).
   */
  lagSeconds?: number;
  lastError?: string;
  lastErrorAt?: string;
}

/**
 * Sync state of a cluster: what an entity page shows next to data that may be old.
 *
 * @public
 */
export interface ClusterSyncStatus {
  cluster: string;
  status: SyncStatus;
  /** When the collector last heard from the cluster. */
  lastSeenAt?: string;
  /** Seconds since the oldest per-kind success (the worst lag), at response time. */
  lagSeconds?: number;
  /** Newest error of any kind, when it is newer than that kind's last success. */
  lastError?: string;
  lastErrorAt?: string;
  kinds: KindSyncStatus[];
}

// ---------------------------------------------------------------------------------------------
// pods

/**
 * A workload reference (`Deployment`, `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob` …).
 *
 * @public
 */
export interface ObjectRefItem {
  kind: string;
  name: string;
  uid?: string;
}

/**
 * One pod as stored (derived with describePod when observed).
 *
 * @public
 */
export interface PodItem {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  nodeName?: string;
  phase?: string;
  /** kubectl's STATUS column */
  status: string;
  /** kubectl's READY column, e.g. `1/2` */
  ready: string;
  restarts: number;
  lastRestartAt?: string;
  health: PodHealth;
  /** 0–100, higher = look first */
  attention: number;
  topIssue?: TopIssue;
  /** direct controller (e.g. the ReplicaSet) */
  owner?: ObjectRefItem;
  /** top-level workload (e.g. the Deployment) */
  workload?: { kind: string; name: string };
  podIp?: string;
  labels: Record<string, string>;
  createdAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  deletedAt?: string;
}

/**
 * Replica counts of a workload as its controller reports them.
 *
 * @public
 */
export interface ReplicaCounts {
  desired: number;
  ready: number;
  available: number;
  updated?: number;
}

/**
 * Health of one workload, rolled up from its pods (and replica counts when known).
 *
 * @public
 */
export interface WorkloadRollupItem {
  cluster: string;
  namespace: string;
  /** `Pod` for pods without a controller. */
  kind: string;
  name: string;
  uid?: string;
  health: PodHealth;
  attention: number;
  pods: number;
  counts: Record<PodHealth, number>;
  replicas?: ReplicaCounts;
  /** The worst pod's top issue. */
  topIssue?: TopIssue;
  /** The worst pod's name. */
  worstPod?: string;
  /** Container images of the workload's pods, sorted. */
  images?: string[];
}

/**
 * Query of `GET /pods`.
 *
 * @public
 */
export interface EntityPodsQuery {
  /** e.g. `component:default/checkout` */
  entityRef: string;
  cluster?: string;
  namespace?: string;
  /** comma-separated in the URL */
  health?: PodHealth[];
  /** include pods marked deleted (default false) */
  includeDeleted?: boolean;
  /** default 500, max 5000 */
  limit?: number;
  offset?: number;
}

/**
 * Response of `GET /pods`.
 *
 * @public
 */
export interface EntityPodsResponse {
  entityRef: string;
  /** How the entity's pods were selected; absent when the entity has no Kubernetes annotation. */
  selector?: {
    labelSelector: string;
    namespace?: string;
    cluster?: string;
  };
  /** Most attention first. */
  pods: PodItem[];
  /** Pods matching every filter (before limit/offset). */
  total: number;
  /** Health counts over every match (not just the page). */
  counts: Record<PodHealth, number>;
  /** The entity's overall health (roll-up of all matching pods and their workloads). */
  health: PodHealth;
  /** Workloads worst first. */
  workloads: WorkloadRollupItem[];
  /** Sync status of every cluster the entity's pods may live in. */
  clusters: ClusterSyncStatus[];
}

/**
 * Query of `GET /pods/:cluster/:namespace/:name`.
 *
 * @public
 */
export interface PodDetailQuery {
  entityRef: string;
  cluster: string;
  namespace: string;
  name: string;
  /** pick one pod when the name was reused (default: the newest) */
  uid?: string;
}

/**
 * A container of a pod.
 *
 * @public
 */
export interface ContainerItem {
  name: string;
  type: 'init' | 'app' | 'ephemeral';
  image?: string;
  ready: boolean;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  since?: string;
  restarts: number;
  lastTermination?: {
    reason?: string;
    exitCode?: number;
    finishedAt?: string;
  };
}

/**
 * A Kubernetes Event (core/v1 or events.k8s.io/v1), one row per Event with its count.
 *
 * @public
 */
export interface EventItem {
  id: number;
  cluster: string;
  namespace?: string;
  name: string;
  /** `Normal` or `Warning` */
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
  count: number;
  firstAt: string;
  lastAt: string;
}

/**
 * Whether a pod is behind a Service (from EndpointSlices).
 *
 * @public
 */
export interface ServingItem {
  service: string;
  slice: string;
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * Response of `GET /pods/:cluster/:namespace/:name`.
 *
 * @public
 */
export interface PodDetailResponse {
  pod: PodItem;
  /** init, then app, then ephemeral, in spec order */
  containers: ContainerItem[];
  /** Events about the pod, newest first */
  events: EventItem[];
  eventsTotal: number;
  /** EndpointSlice endpoints of the pod (empty: behind no Service) */
  serving: ServingItem[];
  /** Controllers from the pod's direct owner up to the top-level workload */
  ownerChain: ObjectRefItem[];
}

// ---------------------------------------------------------------------------------------------
// logs

/**
 * Level filter values: a log level, or `exception` for lines of stack traces.
 *
 * @public
 */
export type LogLevelFilter = LogLevel | 'exception';

/**
 * Query of `GET /logs` and `GET /logs/download`.
 *
 * @public
 */
export interface LogsQuery {
  entityRef: string;
  cluster?: string;
  namespace?: string;
  /** pod name */
  pod?: string;
  container?: string;
  /** comma-separated in the URL */
  level?: LogLevelFilter[];
  /** case-insensitive substring */
  q?: string;
  start?: string;
  end?: string;
  /** `live` tails or `previous` (the container instance before a restart) */
  source?: 'live' | 'previous';
  /** fold multi-line exceptions into one entry (default true) */
  fold?: boolean;
  /** `desc` newest first (default) */
  order?: 'asc' | 'desc';
  /** from the previous page's `nextCursor` */
  cursor?: string;
  /** default 200, max 2000 */
  limit?: number;
}

/**
 * A log entry: one line, or a folded multi-line exception.
 *
 * @public
 */
export interface LogEntryItem {
  /** id of the entry's first line */
  id: number;
  at: string;
  level: LogLevel;
  exception: boolean;
  /** one line, or every line of a folded exception */
  lines: string[];
  cluster: string;
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  /** restart number of the container instance */
  instance: number;
  source: 'live' | 'previous';
}

/**
 * Response of `GET /logs`.
 *
 * @public
 */
export interface LogsResponse {
  items: LogEntryItem[];
  /** pass as `cursor` for the next page; absent on the last page */
  nextCursor?: string;
}

// ---------------------------------------------------------------------------------------------
// incidents

/**
 * Incident statuses.
 *
 * @public
 */
export type IncidentStatus = 'open' | 'resolved';

/**
 * An incident (a classified problem with a lifecycle).
 *
 * @public
 */
export interface IncidentItem {
  id: number;
  /** e.g. `OOMKilled`, `CrashLoopBackOff`, `ImagePullBackOff` */
  type: string;
  severity: string;
  status: IncidentStatus;
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
  /** id of the incident this one recurs */
  recurrenceOf?: number;
}

/**
 * Query of `GET /incidents`.
 *
 * @public
 */
export interface IncidentsQuery {
  entityRef: string;
  /** comma-separated in the URL */
  status?: IncidentStatus[];
  /** comma-separated in the URL */
  type?: string[];
  cluster?: string;
  start?: string;
  end?: string;
  /** default 100, max 1000 */
  limit?: number;
  offset?: number;
}

/**
 * Response of `GET /incidents` (also sends `X-Total-Count` and `X-Has-More`).
 *
 * @public
 */
export type IncidentsResponse = PagedResponse<IncidentItem>;

/**
 * One captured log line.
 *
 * @public
 */
export interface LogLineItem {
  id: number;
  at: string;
  level: LogLevel;
  exception: boolean;
  text: string;
  pod: string;
  podUid: string;
  container: string;
  instance: number;
  source: 'live' | 'previous';
}

/**
 * Query of `GET /incidents/:id`.
 *
 * @public
 */
export interface IncidentDetailQuery {
  id: number;
  /**
   * The entity whose incidents tab shows the incident: checked with `podwatch.incidents.read`,
   * and the incident must be about its pods or workloads. Without it the route needs
   * `podwatch.history.read` (incidents are cluster data), so the UI should always pass it.
   */
  entityRef?: string;
}

/**
 * Response of `GET /incidents/:id`.
 *
 * @public
 */
export interface IncidentDetailResponse {
  incident: IncidentItem;
  /** What the incident builder recorded (links, snippets), as stored. */
  evidence?: unknown;
  /** Events about the incident's pod or workload during the incident. */
  events: EventItem[];
  /** Error, warning and exception lines of the incident's pod/container during the incident. */
  logs: LogLineItem[];
  /** Changes to the incident's workload during and shortly before the incident. */
  changes: HistoryItem[];
}

// ---------------------------------------------------------------------------------------------
// history

/**
 * Verbs of object history.
 *
 * @public
 */
export type HistoryVerb = 'create' | 'update' | 'delete';

/**
 * One recorded change of a Kubernetes object.
 *
 * @public
 */
export interface HistoryItem {
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
  /** the object (create/delete) */
  snapshot?: unknown;
  /** the change (update) */
  diff?: unknown;
}

/**
 * Query of `GET /history/events` and `GET /history/objects`.
 *
 * @public
 */
export interface HistoryQuery {
  cluster?: string;
  start?: string;
  end?: string;
  namespace?: string;
  /** Kubernetes kind, e.g. `Pod`, `Deployment` */
  resourceType?: string;
  resourceName?: string;
  /** objects only; comma-separated in the URL */
  verb?: HistoryVerb[];
  /** Events only: `Normal` or `Warning` */
  type?: string;
  /** Events only; comma-separated in the URL */
  reason?: string[];
  /** default 100, max 1000 */
  limit?: number;
  offset?: number;
}

/**
 * Response of `GET /history/events`.
 *
 * @public
 */
export type EventHistoryResponse = PagedResponse<EventItem>;

/**
 * Response of `GET /history/objects`.
 *
 * @public
 */
export type ObjectHistoryResponse = PagedResponse<HistoryItem>;

/**
 * Response of `GET /history/objects/:cluster/:uid`: one object's changes and its Events.
 *
 * @public
 */
export interface ObjectTimelineResponse {
  cluster: string;
  uid: string;
  kind?: string;
  namespace?: string;
  name?: string;
  history: HistoryItem[];
  historyTotal: number;
  events: EventItem[];
  eventsTotal: number;
}

// ---------------------------------------------------------------------------------------------
// clusters

/**
 * Object counts of a cluster.
 *
 * @public
 */
export interface ClusterCounts {
  deployments: number;
  pods: number;
  running: number;
  pending: number;
  failing: number;
}

/**
 * One cluster in the overview.
 *
 * @public
 */
export interface ClusterOverviewItem {
  name: string;
  sync: ClusterSyncStatus;
  counts: ClusterCounts;
}

/**
 * Response of `GET /clusters`.
 *
 * @public
 */
export interface ClusterOverviewResponse {
  clusters: ClusterOverviewItem[];
}

/**
 * Response of `POST /clusters/:cluster/test`: a live request to the cluster's API server.
 * Never contains credentials.
 *
 * @public
 */
export interface ClusterConnectionTestResponse {
  cluster: string;
  ok: boolean;
  /** round trip of the test request */
  latencyMs?: number;
  /** `gitVersion` of the API server */
  serverVersion?: string;
  error?: string;
}
