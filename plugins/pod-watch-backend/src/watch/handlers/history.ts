import type { PodWatchStore } from '../../store';
import type { HistoryInput, HistoryVerb } from '../../store';
import { KubeObject, WatchEvent } from './types';

const VERBS: Record<WatchEvent['type'], HistoryVerb> = {
  ADDED: 'create',
  MODIFIED: 'update',
  DELETED: 'delete',
};

/** The object without managedFields (bulky and useless for triage). */
export function trimObject(o: KubeObject): KubeObject {
  const { managedFields: _drop, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** RFC 7386 merge patch turning `before` into `after` (null = removed). */
export function mergePatchDiff(before: any, after: any): any {
  if (
    before === null ||
    after === null ||
    typeof before !== 'object' ||
    typeof after !== 'object' ||
    Array.isArray(before) ||
    Array.isArray(after)
  ) {
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : after;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (!(key in after)) out[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    const d = key in before ? mergePatchDiff(before[key], value) : value;
    if (d !== undefined) out[key] = d;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Appends object history for watch events: snapshots for create/delete, a merge-patch diff
 * against the previous state this process saw for updates (a snapshot when it saw none).
 * Keeps the last state per uid in memory for the diffs.
 */
export class HistoryRecorder {
  private readonly last = new Map<string, KubeObject>();

  constructor(
    private readonly store: PodWatchStore,
    private readonly cluster: string,
    private readonly apiVersion: string,
    private readonly kind: string,
  ) {}

  async record(events: readonly WatchEvent[], at: Date): Promise<void> {
    const entries: HistoryInput[] = [];
    for (const e of events) {
      const o = trimObject(e.object);
      const { uid, name, namespace, resourceVersion } = o.metadata;
      if (!uid || !name || !resourceVersion) continue;
      const verb = VERBS[e.type];
      const previous = this.last.get(uid);
      const entry: HistoryInput = {
        cluster: this.cluster,
        objectUid: uid,
        apiVersion: o.apiVersion ?? this.apiVersion,
        kind: o.kind ?? this.kind,
        namespace,
        name,
        verb,
        resourceVersion,
        at,
      };
      if (verb === 'update' && previous) {
        entry.diff = mergePatchDiff(previous, o) ?? {};
      } else {
        entry.snapshot = o;
      }
      entries.push(entry);
      if (verb === 'delete') this.last.delete(uid);
      else this.last.set(uid, o);
    }
    if (entries.length > 0) await this.store.recordHistory(entries);
  }

  /** Forget states not in a fresh list (their deletes were missed). */
  retain(uids: ReadonlySet<string>) {
    for (const uid of this.last.keys()) {
      if (!uids.has(uid)) this.last.delete(uid);
    }
  }

  /** The last state seen per uid (live objects only). */
  lastStates(): IterableIterator<[string, KubeObject]> {
    return this.last.entries();
  }

  remember(objects: readonly KubeObject[]) {
    for (const o of objects) {
      if (o.metadata.uid) this.last.set(o.metadata.uid, trimObject(o));
    }
  }
}
