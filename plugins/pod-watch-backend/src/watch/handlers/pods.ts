import type { V1Pod } from '@kubernetes/client-node';
import { describePod } from '@pod-watch/plugin-pod-watch-common';
import type {
  ContainerInput,
  ContainerStateName,
  ContainerType,
  PodInput,
  PodWatchStore,
} from '../../store';
import {
  PodDerivationInput,
  refreshPodDerivations,
} from '../../store/podDerivations';
import { storedPodVersions } from '../../store/storedPodVersions';
import { HistoryRecorder } from './history';
import {
  controllerOf,
  KindHandler,
  KubeObject,
  latestByUid,
  WatchEvent,
} from './types';

/** A container instance that just terminated: its logs are `--previous` until the next restart. */
export interface ContainerTermination {
  cluster: string;
  namespace: string;
  podName: string;
  podUid: string;
  container: string;
  /** restart number of the terminated instance */
  instance: number;
  /** true: read with `previous=true` (the container restarted); false: it is the current state */
  previous: boolean;
  finishedAt?: string;
}

function stateOf(state: any): {
  name: ContainerStateName;
  reason?: string;
  message?: string;
  since?: string;
} {
  if (state?.running)
    return { name: 'running', since: state.running.startedAt };
  if (state?.terminated) {
    const t = state.terminated;
    return {
      name: 'terminated',
      reason: t.reason,
      message: t.message,
      since: t.startedAt,
    };
  }
  if (state?.waiting) {
    return {
      name: 'waiting',
      reason: state.waiting.reason,
      message: state.waiting.message,
    };
  }
  return { name: 'unknown' };
}

function containersOf(pod: KubeObject): ContainerInput[] {
  const out: ContainerInput[] = [];
  const add = (
    specs: any[] | undefined,
    statuses: any[] | undefined,
    type: ContainerType,
  ) => {
    for (const spec of specs ?? []) {
      const s = (statuses ?? []).find((x: any) => x.name === spec.name);
      const state = stateOf(s?.state);
      const last = s?.lastState?.terminated;
      out.push({
        name: spec.name,
        type,
        image: s?.image ?? spec.image,
        ready: Boolean(s?.ready),
        state: state.name,
        stateReason: state.reason,
        stateMessage: state.message,
        stateSince: state.since,
        restartCount: s?.restartCount ?? 0,
        lastTermination: last
          ? {
              reason: last.reason,
              exitCode: last.exitCode,
              finishedAt: last.finishedAt,
            }
          : undefined,
      });
    }
  };
  add(pod.spec?.initContainers, pod.status?.initContainerStatuses, 'init');
  add(pod.spec?.containers, pod.status?.containerStatuses, 'app');
  add(
    pod.spec?.ephemeralContainers,
    pod.status?.ephemeralContainerStatuses,
    'ephemeral',
  );
  return out;
}

/** The top-level workload: a ReplicaSet named `<deployment>-<pod-template-hash>` belongs to that Deployment. */
function workloadOf(pod: KubeObject) {
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  }
  return { kind: owner.kind, name: owner.name };
}

/** Store input for a pod, with kubectl status, health, attention and top issue from common. */
export function toPodInput(
  cluster: string,
  pod: KubeObject,
  at: Date,
  deleted = false,
): PodInput {
  const summary = describePod(pod as V1Pod, { now: at });
  return {
    cluster,
    uid: pod.metadata.uid!,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    nodeName: pod.spec?.nodeName,
    phase: pod.status?.phase,
    status: summary.status,
    ready: summary.ready,
    restarts: summary.restarts,
    lastRestartAt: summary.lastRestartAt,
    health: summary.health,
    attention: summary.attention,
    topIssue: summary.topIssue,
    owner: controllerOf(pod),
    workload: workloadOf(pod),
    podIp: pod.status?.podIP,
    labels: pod.metadata.labels ?? {},
    resourceVersion: pod.metadata.resourceVersion,
    createdAt: pod.metadata.creationTimestamp,
    containers: containersOf(pod),
    seenAt: at,
    deletedAt: deleted ? at : undefined,
  };
}

/** Container instances whose termination this pod state reports for the first time. */
export class TerminationTracker {
  private readonly seen = new Map<string, string>();

  constructor(private readonly cluster: string) {}

  detect(pod: KubeObject): ContainerTermination[] {
    const out: ContainerTermination[] = [];
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const s of statuses) {
      const last = s.lastState?.terminated;
      const current = s.state?.terminated;
      // a terminated current state is the instance itself; lastState is the one before
      const candidates: Array<[any, number, boolean]> = [];
      if (last)
        candidates.push([last, Math.max(0, (s.restartCount ?? 0) - 1), true]);
      if (current) candidates.push([current, s.restartCount ?? 0, false]);
      for (const [t, instance, previous] of candidates) {
        const key = `${pod.metadata.uid}/${s.name}/${instance}`;
        const mark = `${t.finishedAt ?? ''}/${t.containerID ?? ''}`;
        if (this.seen.get(key) === mark) continue;
        this.seen.set(key, mark);
        out.push({
          cluster: this.cluster,
          namespace: pod.metadata.namespace ?? '',
          podName: pod.metadata.name ?? '',
          podUid: pod.metadata.uid!,
          container: s.name,
          instance,
          previous,
          finishedAt: t.finishedAt,
        });
      }
    }
    return out;
  }

  forget(uid: string) {
    for (const key of this.seen.keys()) {
      if (key.startsWith(`${uid}/`)) this.seen.delete(key);
    }
  }
}

export function createPodHandler(options: {
  cluster: string;
  store: PodWatchStore;
  /** called with containers that just terminated (previous-log capture) */
  onTerminations?: (t: ContainerTermination[]) => void;
}): KindHandler {
  const { cluster, store } = options;
  const history = new HistoryRecorder(store, cluster, 'v1', 'Pod');
  const terminations = new TerminationTracker(cluster);
  // what was last written of the time-dependent fields, to rewrite only what time changed
  const derived = new Map<string, string>();
  const derivedKey = (
    p: Pick<PodInput, 'status' | 'health' | 'attention'> & {
      topIssue?: { reason: string; severity?: string; container?: string };
    },
  ) =>
    [
      p.status,
      p.health,
      p.attention,
      p.topIssue?.reason,
      p.topIssue?.severity,
      p.topIssue?.container,
    ].join('|');
  // the (re)list being stored page by page: `at` identifies it (see KindHandler.storePage)
  let listing:
    | {
        at: Date;
        stored: ReturnType<typeof storedPodVersions>;
        done: Map<string, string>;
      }
    | undefined;
  const notify = (pods: readonly KubeObject[]) => {
    if (!options.onTerminations) return;
    const found = pods.flatMap(p => terminations.detect(p));
    if (found.length > 0) options.onTerminations(found);
  };
  return {
    async apply(events: readonly WatchEvent[], at: Date) {
      const latest = latestByUid(events);
      const inputs = latest.map(e =>
        toPodInput(cluster, e.object, at, e.type === 'DELETED'),
      );
      await store.upsertPods(inputs);
      for (const p of inputs) {
        if (p.deletedAt) derived.delete(p.uid);
        else derived.set(p.uid, derivedKey(p));
      }
      const deleted = latest
        .filter(e => e.type === 'DELETED')
        .map(e => e.object.metadata.uid!);
      if (deleted.length > 0) await store.markPodsDeleted(cluster, deleted, at);
      await history.record(events, at);
      notify(latest.filter(e => e.type !== 'DELETED').map(e => e.object));
      // terminations of a deleted pod are captured with its last state above; then forget it
      deleted.forEach(uid => terminations.forget(uid));
    },
    async storePage(objects, scope, at) {
      if (listing?.at !== at) {
        const stored = storedPodVersions(store.ctx, cluster, scope.namespace);
        listing = { at, stored, done: new Map() };
      }
      const { stored, done } = listing;
      const before = await stored;
      const inputs: PodInput[] = [];
      const unchanged: string[] = [];
      for (const o of objects) {
        const uid = o.metadata.uid!;
        const same = before.get(uid);
        // the stored row is this very state: no derivation, only "seen"
        if (same && same.resourceVersion === o.metadata.resourceVersion) {
          done.set(uid, derivedKey(same));
          unchanged.push(uid);
        } else inputs.push(toPodInput(cluster, o, at));
      }
      await store.upsertPods(inputs);
      await store.markPodsSeen(cluster, unchanged, at);
      for (const p of inputs) done.set(p.uid, derivedKey(p));
    },
    async replace(objects, scope, at) {
      const paged = listing?.at === at ? listing.done : new Map();
      listing = undefined;
      const inputs = objects
        .filter(o => !paged.has(o.metadata.uid!))
        .map(o => toPodInput(cluster, o, at));
      await store.upsertPods(inputs);
      derived.clear();
      for (const [uid, key] of paged) derived.set(uid, key);
      for (const p of inputs) derived.set(p.uid, derivedKey(p));
      const uids = objects.map(o => o.metadata.uid!);
      await store.markPodsSeen(
        cluster,
        uids.filter(uid => !paged.has(uid)),
        at,
      );
      const missing = await store.markMissingPodsDeleted({
        cluster,
        namespace: scope.namespace,
        presentUids: uids,
        at,
      });
      missing.forEach(uid => terminations.forget(uid));
      history.retain(new Set(uids));
      history.remember(objects);
      notify(objects);
    },
    async tick(at) {
      const updates: PodDerivationInput[] = [];
      for (const [uid, pod] of history.lastStates()) {
        const before = derived.get(uid);
        if (before === undefined || !pod.metadata.resourceVersion) continue;
        const input = toPodInput(cluster, pod, at);
        const key = derivedKey(input);
        if (key === before) continue;
        derived.set(uid, key);
        updates.push({
          ...input,
          resourceVersion: pod.metadata.resourceVersion,
        });
      }
      await refreshPodDerivations(store.ctx, cluster, updates);
    },
  };
}
