import type { LoggerService } from '@backstage/backend-plugin-api';
import type { V1Pod } from '@kubernetes/client-node';
import {
  applySignal,
  attributeToLiveness,
  DEFAULT_INCIDENT_LIFECYCLE,
  describePod,
  INCIDENT_SEVERITY_ORDER,
  incidentFingerprint,
  incidentSignalFromEvent,
  incidentSignalsFromPod,
  incidentSummary,
  isContainerScoped,
  isLivenessKill,
  markCleared,
  markPodGone,
  podSubject,
  resolution,
  rootCauseHint,
  type IncidentLifecycleConfig,
  type IncidentLifecycleView,
  type IncidentSeverity,
  type IncidentSignal,
  type IncidentState,
  type IncidentSubject,
} from '@pod-watch/plugin-pod-watch-common';
import type {
  EventInput,
  IncidentInput,
  IncidentRow,
  PodRow,
  PodWatchStore,
  TimeInput,
} from '../store';
import {
  evidenceEvent,
  fitEvidence,
  gatherEvidence,
  gatherLogs,
  hintContext,
  IncidentEvidence,
  mergeEvent,
} from './evidence';
import { IncidentQueue } from './IncidentQueue';
import { applyWork, coalescingKey, type IncidentWork } from './work';

/** What the builder remembers about a live pod, so Events about it need no lookup. */
interface PodInfo {
  cluster: string;
  uid: string;
  name: string;
  subject: IncidentSubject;
  containers: string[];
  init: Set<string>;
  /** container → reason of its latest failed termination (current state or lastState) */
  lastFailure: Map<string, string>;
  /** container → times the kubelet killed it for a failed liveness/startup probe (newest last) */
  livenessKills: Map<string, string[]>;
  node?: string;
  owner?: { kind: string; name: string };
  /** state signals of the pod's last observation (they sustain incidents Events open) */
  stateSignals: IncidentSignal[];
  /** container → termination times seen (newest last), for the restart cadence in hints */
  terminations: Map<string, string[]>;
  /** pod start, for a cadence estimate when fewer than two terminations were seen */
  startedAt?: string;
  /** the version last observed (an unchanged, quiet pod needs no second look) */
  resourceVersion?: string;
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
]);
/** Events about these kinds are evidence only (node incidents are per pod, via their Events). */
const NO_INCIDENT_KINDS = new Set(['Node', 'Namespace']);
const MAX_POD_CACHE = 50_000;
const MAX_RESOLVED_CACHE = 5_000;
/** Event versions remembered as applied (relists replay every Event unchanged). */
const MAX_EVENT_VERSIONS = 100_000;
/** Changes a batch applies between turns of the event loop. */
const YIELD_EVERY = 25;
/** Log evidence is retried on updates this many times (logs are captured after a restart). */
const MAX_LOG_ATTEMPTS = 3;
/** Liveness kill times remembered per container. */
const MAX_KILLS = 20;

const severityRank = (s: string) =>
  INCIDENT_SEVERITY_ORDER.indexOf(s as IncidentSeverity) >>> 0;

function viewOf(
  row: IncidentRow | undefined,
): IncidentLifecycleView | undefined {
  if (!row) return undefined;
  const state = (row.evidence as IncidentEvidence | undefined)?.state ?? {
    counters: {},
  };
  const view: IncidentLifecycleView = {
    status: row.status,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    state,
  };
  if (row.resolvedAt) view.resolvedAt = row.resolvedAt;
  return view;
}

/**
 * Seconds between a container's recent failures: the mean gap of the terminations seen, else
 * the pod's age at the last termination spread over its restarts.
 */
function restartCadence(
  info: PodInfo | undefined,
  signal: IncidentSignal,
): number | undefined {
  if (!info || !signal.container || signal.counterKind !== 'restarts')
    return undefined;
  const seen = (info.terminations.get(signal.container) ?? []).map(t =>
    Date.parse(t),
  );
  if (seen.length >= 2) {
    return Math.round(
      (seen[seen.length - 1] - seen[0]) / 1000 / (seen.length - 1),
    );
  }
  const last = Date.parse(signal.details.terminatedAt ?? '');
  const started = Date.parse(info.startedAt ?? '');
  const failures = signal.count;
  if (!(failures >= 2) || !(last > started)) return undefined;
  return Math.round((last - started) / 1000 / failures);
}

function evidenceOf(row: IncidentRow): IncidentEvidence {
  return row.evidence as IncidentEvidence;
}

const isoOf = (t: TimeInput) => new Date(t).toISOString();

/**
 * The open incident as the store's upsert will leave it (absolute occurrences and outward-moving
 * times merge with what is there; the descriptive columns take the input's values).
 */
function mergedRow(open: IncidentRow, input: IncidentInput, at: Date) {
  const first = isoOf(input.firstSeenAt);
  const last = isoOf(input.lastSeenAt);
  const row: IncidentRow = {
    ...open,
    type: input.type,
    severity: input.severity,
    entityRef: input.entityRef,
    cluster: input.cluster,
    namespace: input.namespace,
    workloadKind: input.workloadKind,
    workloadName: input.workloadName,
    podUid: input.podUid,
    podName: input.podName,
    container: input.container,
    summary: input.summary,
    rootCauseHint: input.rootCauseHint,
    evidence: input.evidence,
    occurrences: Math.max(open.occurrences, Math.trunc(input.occurrences)),
    firstSeenAt:
      Date.parse(first) < Date.parse(open.firstSeenAt)
        ? first
        : open.firstSeenAt,
    lastSeenAt:
      Date.parse(last) > Date.parse(open.lastSeenAt) ? last : open.lastSeenAt,
    updatedAt: at.toISOString(),
  };
  return row;
}

export interface IncidentBuilderOptions {
  store: PodWatchStore;
  logger?: LoggerService;
  config?: Partial<IncidentLifecycleConfig>;
  /** the hand-over queue's bounds (see IncidentQueue) */
  queue?: { maxPending?: number; batchSize?: number };
}

/**
 * Turns pods and Events into incidents: classification, grouping and lifecycle come from the
 * common package; this class adds the store (all SQL lives there), evidence and caching. Every
 * method is idempotent: replaying pods and Events (relists, restarts) neither duplicates incidents
 * nor inflates occurrences. Calls for one incident are serialised.
 */
export class IncidentBuilder {
  readonly config: IncidentLifecycleConfig;
  private readonly store: PodWatchStore;
  private readonly logger?: LoggerService;
  private readonly pods = new Map<string, PodInfo>();
  /**
   * Open incidents by fingerprint: a cache of the store, loaded on first use and refreshed by
   * every sweep; a miss is checked against the store before anything opens.
   */
  private readonly open = new Map<string, IncidentRow>();
  /** cluster/podUid → fingerprints of cached open incidents that count the pod */
  private readonly byPod = new Map<string, Set<string>>();
  private loaded?: Promise<void>;
  /** latest resolved incident by fingerprint (null: known to have none) */
  private readonly resolved = new Map<string, IncidentRow | null>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** changes the watch handed over, built in batches behind it */
  private readonly queue: IncidentQueue<IncidentWork>;
  /** > 0 while a batch runs: updates of open incidents are staged, written once at its end */
  private staging = 0;
  /** fingerprint → time of its staged update (the cached open row holds the update) */
  private readonly staged = new Map<string, TimeInput>();
  /** cluster/Event uid → the resourceVersion last applied */
  private readonly eventVersions = new Map<string, string>();

  constructor(options: IncidentBuilderOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.config = { ...DEFAULT_INCIDENT_LIFECYCLE, ...options.config };
    this.queue = new IncidentQueue({
      process: items => this.applyBatch(items),
      ...options.queue,
    });
  }

  // ------------------------------------------------------------------ hand-over queue

  /**
   * Queues changes the store has committed; resolves at once unless the queue is far behind
   * (backpressure). Events still waiting coalesce with their newer versions.
   */
  enqueue(work: readonly IncidentWork[]): Promise<void> {
    if (work.length === 0) return Promise.resolve();
    return this.queue.push(
      work.map(item => ({ key: coalescingKey(item), item })),
    );
  }

  /** Resolves when every queued change has been applied and written. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Changes waiting in the queue. */
  get backlog(): number {
    return this.queue.size;
  }

  /**
   * Applies changes in order; an open incident they update is written once, at the end (new
   * incidents are written at once: they need their id and evidence).
   */
  async applyBatch(work: readonly IncidentWork[]): Promise<void> {
    this.staging += 1;
    try {
      for (const [i, item] of work.entries()) {
        // SQLite answers synchronously on this event loop: let the watch's I/O in regularly
        if (i % YIELD_EVERY === YIELD_EVERY - 1)
          await new Promise(setImmediate);
        try {
          await applyWork(this, item);
        } catch (error) {
          this.logger?.warn(
            `Incident building failed for ${item.cluster} (${item.kind})`,
            error as Error,
          );
        }
      }
    } finally {
      this.staging -= 1;
    }
    try {
      await this.flush();
    } catch (error) {
      this.logger?.warn(`Incident writes failed`, error as Error);
    }
  }

  // ------------------------------------------------------------------ engine hooks

  /** A pod was added or changed (watch or relist). Call after the store has the pod. */
  async onPodChange(cluster: string, pod: V1Pod, at: Date = new Date()) {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const known = this.pods.get(`${cluster}/${uid}`);
    const version = pod.metadata?.resourceVersion;
    if (
      known &&
      version !== undefined &&
      known.resourceVersion === version &&
      known.stateSignals.length === 0 &&
      !this.byPod.has(`${cluster}/${uid}`)
    ) {
      // seen as it is, raising nothing and counted by no open incident: a relist's replay
      return;
    }
    const firstSight = !known;
    const info = this.remember(cluster, pod);
    const summary = describePod(pod, { now: at });
    const troubled =
      summary.restarts > 0 ||
      (summary.health !== 'healthy' && summary.health !== 'completed');
    if (firstSight && troubled) {
      // Events stored before the pod (or before a restart) are applied now that its workload
      // is known; a healthy pod's stored Warnings were applied when they arrived
      await this.replayStoredEvents(info, at);
    }
    const signals = incidentSignalsFromPod(pod, summary, { now: at }).map(s =>
      s.container
        ? attributeToLiveness(s, info.livenessKills.get(s.container))
        : s,
    );
    info.stateSignals = signals;
    for (const s of signals) {
      const t = s.details.terminatedAt;
      if (s.counterKind !== 'restarts' || !s.container || !t) continue;
      const seen = info.terminations.get(s.container) ?? [];
      if (!seen.includes(t))
        info.terminations.set(s.container, [...seen, t].slice(-MAX_KILLS));
    }
    for (const signal of signals) {
      await this.apply(cluster, info.subject, signal, at, info);
    }
    const active = new Set(
      signals.filter(s => s.active).map(s => s.counterKey),
    );
    // counters of this pod whose condition it no longer shows start their clear period
    await this.updateTouching(cluster, uid, view =>
      markCleared(view, uid, active, at.toISOString()),
    );
  }

  /** A pod was deleted (watch DELETED, or missing from a relist). */
  async onPodDeleted(
    cluster: string,
    pod: { uid: string } | V1Pod,
    at: Date = new Date(),
  ) {
    const uid = 'uid' in pod ? pod.uid : pod.metadata?.uid;
    if (!uid) return;
    this.pods.delete(`${cluster}/${uid}`);
    const gone = at.toISOString();
    await this.updateTouching(cluster, uid, (view, row) => {
      const state = markPodGone(view, uid, gone);
      if (!state) return undefined;
      // a standalone pod is the incident's object: gone means resolved
      const standalone = !row.workloadKind;
      const allGone = Object.values(state.counters).every(
        c => c.gone || c.pod === undefined,
      );
      return standalone && allGone ? { state, resolveAt: gone } : state;
    });
  }

  /** After a relist of pods in a scope: pods the incidents count that the list lacks are gone. */
  async onPodsRelisted(
    cluster: string,
    scope: { namespace?: string },
    presentUids: ReadonlySet<string>,
    at: Date = new Date(),
  ) {
    const open = await this.openIncidents();
    const missing = new Set<string>();
    for (const row of open.values()) {
      if (row.cluster !== cluster) continue;
      if (scope.namespace !== undefined && row.namespace !== scope.namespace)
        continue;
      for (const c of Object.values(evidenceOf(row)?.state?.counters ?? {})) {
        if (c.pod && !c.gone && !presentUids.has(c.pod)) missing.add(c.pod);
      }
    }
    for (const uid of missing) await this.onPodDeleted(cluster, { uid }, at);
  }

  /**
   * Like onEvent, for Events from the watch: a version this builder has applied already (a
   * relist replays every Event) is skipped.
   */
  async onEventChange(cluster: string, event: EventInput, at: Date) {
    const key = `${cluster}/${event.uid}`;
    const version = event.resourceVersion;
    if (version !== undefined && this.eventVersions.get(key) === version)
      return;
    // about a pod not stored yet: not applied, so a later relist offers it again
    if (!(await this.onEvent(cluster, event, at))) return;
    if (version === undefined) return;
    this.eventVersions.delete(key);
    if (this.eventVersions.size >= MAX_EVENT_VERSIONS) {
      this.eventVersions.delete(this.eventVersions.keys().next().value!);
    }
    this.eventVersions.set(key, version);
  }

  /**
   * An Event was added or its count changed. Call after the store has the Event. False when it
   * is about a pod nobody has seen yet (applied when the pod is first seen).
   */
  async onEvent(
    cluster: string,
    event: EventInput,
    at: Date = new Date(),
  ): Promise<boolean> {
    const regarding = event.regarding;
    if (!regarding?.kind || NO_INCIDENT_KINDS.has(regarding.kind)) return true;
    let info: PodInfo | undefined;
    let subject: IncidentSubject;
    if (regarding.kind === 'Pod') {
      info = await this.podInfo(cluster, regarding);
      // unknown pod: applied when the pod is first seen (replayStoredEvents)
      if (!info) return false;
      subject = info.subject;
      if (isLivenessKill(event)) {
        this.noteLivenessKill(info, event);
        return true;
      }
    } else {
      subject = await this.objectSubject(cluster, event);
    }
    if (event.type !== 'Warning') return true;
    const container =
      info?.containers.length === 1 ? info.containers[0] : undefined;
    const raw = incidentSignalFromEvent(event, {
      containers: info?.containers,
      initContainer: container ? info?.init.has(container) : undefined,
      lastTerminationReason: this.lastFailureOf(info, event),
    });
    if (!raw) return true;
    // the pod's node names the node in node-lost hints and evidence
    if (info?.node && !raw.details.nodeName) raw.details.nodeName = info.node;
    // a BackOff after a liveness kill belongs to the probe's incident, like the restart itself
    const signal =
      info && raw.container
        ? attributeToLiveness(raw, info.livenessKills.get(raw.container))
        : raw;
    await this.apply(cluster, subject, signal, at, info, event);
    // the pod's current state belongs to an incident an Event just opened (e.g. a not-ready
    // container sustains the readiness incident its probe Events opened)
    const fingerprint = incidentFingerprint(
      subject,
      signal.type,
      signal.container,
    );
    for (const s of info?.stateSignals ?? []) {
      if (incidentFingerprint(subject, s.type, s.container) === fingerprint) {
        await this.apply(cluster, subject, s, at, info);
      }
    }
    return true;
  }

  /** A workload was deleted: its incidents' object is gone. */
  async onWorkloadDeleted(
    cluster: string,
    workload: { kind: string; namespace: string; name: string },
    at: Date = new Date(),
  ) {
    const open = await this.openIncidents();
    const kind = workload.kind === 'ReplicaSet' ? undefined : workload.kind; // RS pods stand for their Deployment
    if (!kind) return;
    for (const row of [...open.values()]) {
      if (
        row.cluster === cluster &&
        row.namespace === workload.namespace &&
        row.workloadKind === kind &&
        row.workloadName === workload.name
      ) {
        await this.resolve(row, at.toISOString());
      }
    }
  }

  /**
   * Resolves incidents whose condition has been clear for `clearAfterSeconds` (at the moment the
   * clear period ended). Reloads open incidents from the store, so a new leader starts right.
   */
  async sweep(
    now: Date = new Date(),
    options: { clusters?: readonly string[] } = {},
  ): Promise<{ resolved: number }> {
    this.loaded = this.load();
    const open = await this.openIncidents();
    let resolved = 0;
    for (const row of [...open.values()]) {
      if (options.clusters && !options.clusters.includes(row.cluster ?? ''))
        continue;
      const at = resolution(viewOf(row)!, now, this.config);
      if (at && (await this.resolve(row, at))) resolved += 1;
    }
    return { resolved };
  }

  /**
   * Re-reads open incidents and forgets cached resolutions: call when this replica (re)gains a
   * cluster, since another replica may have written incidents meanwhile.
   */
  async refresh(): Promise<void> {
    this.resolved.clear();
    this.loaded = this.load();
    await this.loaded;
  }

  // ------------------------------------------------------------------ internals

  private remember(cluster: string, pod: V1Pod): PodInfo {
    const uid = pod.metadata!.uid!;
    const key = `${cluster}/${uid}`;
    const previous = this.pods.get(key);
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const lastFailure = new Map<string, string>();
    for (const s of statuses) {
      const reason =
        s.state?.terminated?.reason ?? s.lastState?.terminated?.reason;
      if (reason) lastFailure.set(s.name, reason);
    }
    const owner = pod.metadata?.ownerReferences?.find(r => r.controller);
    const info: PodInfo = {
      cluster,
      uid,
      name: pod.metadata?.name ?? '',
      subject: podSubject(cluster, pod),
      containers: [
        ...(pod.spec?.initContainers ?? []),
        ...(pod.spec?.containers ?? []),
      ].map(c => c.name),
      init: new Set((pod.spec?.initContainers ?? []).map(c => c.name)),
      lastFailure,
      livenessKills: previous?.livenessKills ?? new Map(),
      stateSignals: previous?.stateSignals ?? [],
      terminations: previous?.terminations ?? new Map(),
    };
    if (pod.spec?.nodeName) info.node = pod.spec.nodeName;
    if (pod.metadata?.resourceVersion)
      info.resourceVersion = pod.metadata.resourceVersion;
    const started = pod.status?.startTime;
    if (started) info.startedAt = new Date(started).toISOString();
    if (owner) info.owner = { kind: owner.kind, name: owner.name };
    if (!previous && this.pods.size >= MAX_POD_CACHE) {
      this.pods.delete(this.pods.keys().next().value!);
    }
    this.pods.set(key, info);
    return info;
  }

  private noteLivenessKill(info: PodInfo, event: EventInput) {
    const container =
      /spec\.containers\{(.+)\}/.exec(event.regarding?.fieldPath ?? '')?.[1] ??
      /Container (\S+) failed/.exec(event.message ?? '')?.[1];
    if (!container) return;
    const at = new Date(event.lastAt).toISOString();
    const kills = info.livenessKills.get(container) ?? [];
    if (!kills.includes(at)) {
      info.livenessKills.set(container, [...kills, at].slice(-MAX_KILLS));
    }
  }

  private lastFailureOf(info: PodInfo | undefined, event: EventInput) {
    if (!info) return undefined;
    const container =
      /\{(.+)\}$/.exec(event.regarding?.fieldPath ?? '')?.[1] ??
      (info.containers.length === 1 ? info.containers[0] : undefined);
    return container ? info.lastFailure.get(container) : undefined;
  }

  /** Events the store already holds about a pod, applied in time order. */
  private async replayStoredEvents(info: PodInfo, at: Date) {
    const page = await this.store.listEvents({
      cluster: info.cluster,
      regardingUids: [info.uid],
      limit: 1000,
    });
    // only what had happened by `at`: later Events arrive through the watch in order, with the
    // pod state that classifies them (e.g. the OOM kill behind a BackOff)
    const events = [...page.items]
      .reverse()
      .filter(e => Date.parse(e.lastAt) <= at.getTime());
    for (const e of events) {
      if (isLivenessKill(e)) this.noteLivenessKill(info, e as EventInput);
    }
    for (const e of events) {
      if (e.type === 'Warning')
        await this.onEvent(info.cluster, e as EventInput, at);
    }
  }

  private async podInfo(
    cluster: string,
    regarding: NonNullable<EventInput['regarding']>,
  ): Promise<PodInfo | undefined> {
    if (regarding.uid) {
      const cached = this.pods.get(`${cluster}/${regarding.uid}`);
      if (cached) return cached;
    }
    // not seen by this process yet: the stored pod knows its workload
    let row: PodRow | undefined;
    if (regarding.uid) {
      row = await this.store.getPod(cluster, regarding.uid);
    } else if (regarding.namespace && regarding.name) {
      const rows = await this.store.findPodsByName(
        cluster,
        regarding.namespace,
        regarding.name,
      );
      row = rows[0];
    }
    if (!row) return undefined;
    const containers = await this.store.listContainers(cluster, [row.uid]);
    const lastFailure = new Map<string, string>();
    for (const c of containers) {
      const reason =
        c.state === 'terminated' ? c.stateReason : c.lastTermination?.reason;
      if (reason) lastFailure.set(c.name, reason);
    }
    const info: PodInfo = {
      cluster,
      uid: row.uid,
      name: row.name,
      subject: row.workload
        ? { cluster, namespace: row.namespace, ...row.workload }
        : { cluster, namespace: row.namespace, kind: 'Pod', name: row.name },
      containers: containers.map(c => c.name),
      init: new Set(containers.filter(c => c.type === 'init').map(c => c.name)),
      lastFailure,
      livenessKills: new Map(),
      stateSignals: [],
      terminations: new Map(),
    };
    if (row.nodeName) info.node = row.nodeName;
    if (row.owner) info.owner = { kind: row.owner.kind, name: row.owner.name };
    return info;
  }

  /** The subject of an Event about a workload or another namespaced object. */
  private async objectSubject(
    cluster: string,
    event: EventInput,
  ): Promise<IncidentSubject> {
    const r = event.regarding!;
    const namespace = r.namespace ?? event.namespace ?? '';
    if (r.kind === 'ReplicaSet' && r.uid) {
      // a ReplicaSet's problems (e.g. FailedCreate) belong to its Deployment
      const rs = await this.store.listWorkloads({
        cluster,
        uids: [r.uid],
        includeDeleted: true,
        limit: 1,
      });
      const owner = rs.items[0]?.owner;
      if (owner && WORKLOAD_KINDS.has(owner.kind)) {
        return { cluster, namespace, kind: owner.kind, name: owner.name };
      }
    }
    return { cluster, namespace, kind: r.kind!, name: r.name ?? '' };
  }

  private async openIncidents(): Promise<Map<string, IncidentRow>> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.open;
  }

  /** Merges the store's open incidents into the cache (newer rows win, so writes in flight stay). */
  private async load(): Promise<void> {
    for (let offset = 0; ; offset += 1000) {
      const page = await this.store.listIncidents({
        statuses: ['open'],
        limit: 1000,
        offset,
      });
      for (const row of page.items) {
        // a staged update is newer than anything stored
        if (this.staged.has(row.fingerprint)) continue;
        const cached = this.open.get(row.fingerprint);
        if (
          !cached ||
          cached.id !== row.id ||
          Date.parse(row.updatedAt) >= Date.parse(cached.updatedAt)
        ) {
          this.cache(row);
        }
      }
      if (page.items.length < 1000) break;
    }
  }

  /** The open incident of a fingerprint: cache first, then the store (never opens a duplicate). */
  private async openIncident(
    fingerprint: string,
    signal: IncidentSignal,
  ): Promise<IncidentRow | undefined> {
    const cached = (await this.openIncidents()).get(fingerprint);
    // a sustain-only signal cannot open anything: no need to ask the store
    if (cached || signal.sustainOnly) return cached;
    const row = await this.store.findOpenIncident(fingerprint);
    if (row) this.cache(row);
    return row;
  }

  private async latestResolved(fingerprint: string) {
    const cached = this.resolved.get(fingerprint);
    if (cached !== undefined) return cached ?? undefined;
    const page = await this.store.listIncidents({
      fingerprints: [fingerprint],
      statuses: ['resolved'],
      limit: 1,
    });
    const row = page.items[0];
    this.rememberResolved(fingerprint, row ?? null);
    return row;
  }

  private rememberResolved(fingerprint: string, row: IncidentRow | null) {
    if (this.resolved.size >= MAX_RESOLVED_CACHE) {
      this.resolved.delete(this.resolved.keys().next().value!);
    }
    this.resolved.set(fingerprint, row);
  }

  /** Runs `fn` after earlier calls for the same key (one incident is written by one call at a time). */
  private serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(key, tail);
    tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return next;
  }

  private async apply(
    cluster: string,
    subject: IncidentSubject,
    signal: IncidentSignal,
    at: Date,
    info?: PodInfo,
    event?: EventInput,
  ) {
    const fingerprint = incidentFingerprint(
      subject,
      signal.type,
      signal.container,
    );
    await this.serialised(fingerprint, async () => {
      const open = await this.openIncident(fingerprint, signal);
      // what the resolved predecessor already counted is not counted again
      let previous: IncidentRow | undefined;
      if (!open) previous = await this.latestResolved(fingerprint);
      else if (
        open.recurrenceOf &&
        !viewOf(open)!.state.counters[signal.counterKey]
      )
        // only a counter new to this incident needs the predecessor's value
        previous = await this.store.getIncident(open.recurrenceOf);
      const decision = applySignal(
        viewOf(open),
        viewOf(previous),
        signal,
        at,
        this.config,
      );
      if (decision.action === 'ignore') return;
      let evidence: IncidentEvidence;
      if (open) {
        evidence = { ...evidenceOf(open), state: decision.state };
        if (event) {
          evidence.events = mergeEvent(evidence.events, evidenceEvent(event));
        }
        if (
          signal.podUid &&
          evidence.logs.errorLines.length === 0 &&
          (evidence.logAttempts ?? 0) < MAX_LOG_ATTEMPTS
        ) {
          evidence.logs = await gatherLogs(
            this.store,
            cluster,
            signal.podUid,
            signal,
          );
          evidence.logAttempts = (evidence.logAttempts ?? 0) + 1;
        }
      } else {
        evidence = await gatherEvidence(this.store, {
          cluster,
          subject,
          signal,
          state: decision.state,
          at,
          node: info?.node ?? signal.details.nodeName,
          owner: info?.owner,
        });
        if (event) {
          evidence.events = mergeEvent(evidence.events, evidenceEvent(event));
        }
      }
      evidence = fitEvidence(evidence);
      const severity =
        open && severityRank(open.severity) < severityRank(signal.severity)
          ? open.severity
          : signal.severity;
      const hint =
        open?.rootCauseHint && evidence.logs.errorLines.length === 0
          ? open.rootCauseHint
          : rootCauseHint(signal, {
              ...hintContext(evidence),
              restartCadenceSeconds: restartCadence(info, signal),
            });
      const input: IncidentInput = {
        type: signal.type,
        severity,
        fingerprint,
        cluster,
        namespace: subject.namespace,
        container: isContainerScoped(signal.type)
          ? signal.container
          : undefined,
        summary: incidentSummary(subject, signal),
        rootCauseHint: hint,
        occurrences: decision.occurrences,
        firstSeenAt: decision.firstSeenAt,
        lastSeenAt: decision.lastSeenAt,
        evidence,
      };
      if (subject.kind !== 'Pod') {
        input.workloadKind = subject.kind;
        input.workloadName = subject.name;
      }
      const podUid = signal.podUid ?? open?.podUid;
      const podName = signal.podName ?? info?.name ?? open?.podName;
      if (podUid) input.podUid = podUid;
      if (podName) input.podName = podName;
      if (subject.kind === 'Pod') input.podName = subject.name;
      if (open && this.staging > 0) {
        this.stage(mergedRow(open, input, at), at);
        return;
      }
      const { incident, created } = await this.store.upsertIncident(input, at);
      this.cache(incident);
      if (created) {
        this.logger?.info(
          `Incident opened: ${incident.summary} (#${incident.id}${
            incident.recurrenceOf ? `, recurs #${incident.recurrenceOf}` : ''
          })`,
        );
      }
    });
  }

  /** Holds an open incident's update in the cache until the batch's flush writes it. */
  private stage(row: IncidentRow, at: TimeInput) {
    this.cache(row);
    this.staged.set(row.fingerprint, at);
  }

  /** Writes every staged update: one upsert per incident, whatever the batch did to it. */
  private async flush() {
    for (const fingerprint of [...this.staged.keys()]) {
      await this.serialised(fingerprint, () => this.writeStaged(fingerprint));
    }
  }

  /** Writes one staged update (the caller holds the fingerprint's turn). */
  private async writeStaged(fingerprint: string) {
    const at = this.staged.get(fingerprint);
    if (at === undefined) return;
    this.staged.delete(fingerprint);
    const row = this.open.get(fingerprint);
    if (!row) return;
    try {
      const { incident } = await this.store.upsertIncident(row, at);
      if (this.open.get(fingerprint) === row) this.cache(incident);
    } catch (error) {
      this.staged.set(fingerprint, at);
      throw error;
    }
  }

  private cache(row: IncidentRow) {
    this.uncache(row.fingerprint);
    this.open.set(row.fingerprint, row);
    for (const c of Object.values(evidenceOf(row)?.state?.counters ?? {})) {
      if (!c.pod) continue;
      const key = `${row.cluster}/${c.pod}`;
      const set = this.byPod.get(key) ?? new Set<string>();
      set.add(row.fingerprint);
      this.byPod.set(key, set);
    }
  }

  private uncache(fingerprint: string) {
    const row = this.open.get(fingerprint);
    if (!row) return;
    this.open.delete(fingerprint);
    for (const c of Object.values(evidenceOf(row)?.state?.counters ?? {})) {
      const key = `${row.cluster}/${c.pod}`;
      const set = this.byPod.get(key);
      set?.delete(fingerprint);
      if (set?.size === 0) this.byPod.delete(key);
    }
  }

  /** Applies a state change to every open incident that counts the pod. */
  private async updateTouching(
    cluster: string,
    podUid: string,
    change: (
      view: IncidentLifecycleView,
      row: IncidentRow,
    ) =>
      | IncidentState
      | { state: IncidentState; resolveAt: string }
      | undefined,
  ) {
    const open = await this.openIncidents();
    const touching = [...(this.byPod.get(`${cluster}/${podUid}`) ?? [])]
      .map(fingerprint => open.get(fingerprint))
      .filter((row): row is IncidentRow => row !== undefined);
    for (const candidate of touching) {
      await this.serialised(candidate.fingerprint, async () => {
        const row = this.open.get(candidate.fingerprint);
        if (!row) return;
        const result = change(viewOf(row)!, row);
        if (!result) return;
        const { state, resolveAt } =
          'counters' in result
            ? { state: result, resolveAt: undefined }
            : result;
        const updated = { ...row, evidence: { ...evidenceOf(row), state } };
        const at = resolveAt ?? state.clearSince ?? row.lastSeenAt;
        if (this.staging > 0 || resolveAt) {
          // resolving writes what is staged first
          this.stage(updated, at);
        } else {
          const { incident } = await this.store.upsertIncident(updated, at);
          this.cache(incident);
        }
        if (resolveAt) await this.resolveLocked(updated, resolveAt);
      });
    }
  }

  private resolve(row: IncidentRow, at: string) {
    return this.serialised(row.fingerprint, async () => {
      const current = this.open.get(row.fingerprint);
      if (!current || current.id !== row.id) return false;
      return this.resolveLocked(current, at);
    });
  }

  private async resolveLocked(row: IncidentRow, at: string) {
    await this.writeStaged(row.fingerprint);
    const done = await this.store.resolveIncident(row.id, at);
    this.uncache(row.fingerprint);
    const resolved = await this.store.getIncident(row.id);
    this.rememberResolved(row.fingerprint, resolved ?? null);
    if (done) {
      this.logger?.info(`Incident resolved: ${row.summary} (#${row.id})`);
    }
    return done;
  }
}
