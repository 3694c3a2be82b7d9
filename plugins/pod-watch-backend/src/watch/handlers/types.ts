/** A Kubernetes object as it arrives on the wire (raw JSON). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      kind: string;
      name: string;
      uid?: string;
      controller?: boolean;
    }>;
    managedFields?: unknown;
    [key: string]: unknown;
  };
  [key: string]: any;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** Maps one kind's objects into the store. */
export interface KindHandler {
  /** Applies watch events, in order. */
  apply(events: readonly WatchEvent[], at: Date): Promise<void>;
  /**
   * After a (re)list: `objects` is everything in scope now; whatever the store still holds
   * as live in that scope and the list lacks was deleted while nobody watched.
   */
  replace(
    objects: readonly KubeObject[],
    scope: { namespace?: string },
    at: Date,
  ): Promise<void>;
  /**
   * Optional: one page of a (re)list, stored while the next page downloads. `replace` follows
   * with every listed object and the same `at`, and skips what its pages already stored.
   */
  storePage?(
    objects: readonly KubeObject[],
    scope: { namespace?: string },
    at: Date,
  ): Promise<void>;
  /** Periodic re-evaluation of time-dependent derived fields (pods: health, attention …). */
  tick?(at: Date): Promise<void>;
}

/** The controller owner reference, if any. */
export function controllerOf(o: KubeObject) {
  const refs = o.metadata.ownerReferences ?? [];
  const ref = refs.find(r => r.controller) ?? refs[0];
  return ref ? { kind: ref.kind, name: ref.name, uid: ref.uid } : undefined;
}

/** The latest state per uid of a batch (a batch may carry several changes of one object). */
export function latestByUid(events: readonly WatchEvent[]): WatchEvent[] {
  const byUid = new Map<string, WatchEvent>();
  for (const e of events) {
    const uid = e.object.metadata.uid;
    if (!uid) continue;
    byUid.delete(uid);
    byUid.set(uid, e);
  }
  return [...byUid.values()];
}
