import { randomUUID } from 'node:crypto';
import { KubeObject, ObjectRef, WatchEventType } from '../types';
import {
  ResourceRegistry,
  ResourceType,
  storageId,
} from '../resources/registry';

/** One change in the store, as watchers and the ledger see it. */
export interface StoreEvent {
  rv: number;
  type: WatchEventType;
  storage: string;
  key: string;
  object: KubeObject;
  /** The object before this change (undefined for ADDED). */
  prev?: KubeObject;
}

export class StoreError extends Error {
  constructor(
    readonly code: 404 | 409 | 422 | 400,
    readonly reason:
      | 'NotFound'
      | 'AlreadyExists'
      | 'Conflict'
      | 'Invalid'
      | 'BadRequest',
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string },
  ) {
    super(message);
  }
}

export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface StoreOptions {
  /** How many changes the watch history keeps (the apiserver's watch-cache window). */
  historyWindow?: number;
  now?: () => string;
}

function keyOf(namespace: string | undefined, name: string) {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * In-memory object store with a global, monotonically increasing resourceVersion
 * (like etcd's revision) and a bounded change history for watches and consistent
 * paginated lists. Stored objects are never mutated in place: every change stores a
 * fresh copy, so history entries and ledger snapshots stay valid.
 */
export class ObjectStore {
  private rv = 0;
  /** Highest rv no longer in history: watches from below it get 410. */
  private floor = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private historyStart = 0; // index of the first live entry (amortised shift)
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  readonly historyWindow: number;
  private readonly now: () => string;

  constructor(readonly registry: ResourceRegistry, options: StoreOptions = {}) {
    this.historyWindow = options.historyWindow ?? 10000;
    this.now =
      options.now ?? (() => new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch can still start from. */
  get oldestWatchableRv(): number {
    return this.floor;
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  typeOf(
    apiVersion: string | undefined,
    kind: string | undefined,
  ): ResourceType {
    const t =
      apiVersion && kind ? this.registry.byKind(apiVersion, kind) : undefined;
    if (!t) {
      throw new StoreError(
        400,
        'BadRequest',
        `no matches for kind "${kind}" in version "${apiVersion}"`,
      );
    }
    return t;
  }

  private bucket(storage: string) {
    let b = this.data.get(storage);
    if (!b) {
      b = new Map();
      this.data.set(storage, b);
    }
    return b;
  }

  private emit(e: StoreEvent) {
    this.history.push(e);
    const live = this.history.length - this.historyStart;
    if (live > this.historyWindow) {
      const drop = live - this.historyWindow;
      this.floor = this.history[this.historyStart + drop - 1].rv;
      this.historyStart += drop;
      if (
        this.historyStart > 4096 &&
        this.historyStart > this.history.length / 2
      ) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a faulty listener must not break the store
      }
    }
  }

  /** Drops all history (like an apiserver restart with etcd compaction). */
  compact() {
    this.floor = this.rv;
    this.history = [];
    this.historyStart = 0;
  }

  /** Changes with rv > since for one storage; throws TooOldError outside the window. */
  changesSince(since: number, storage?: string): StoreEvent[] {
    if (since < this.floor) throw new TooOldError(since, this.floor + 1);
    const out: StoreEvent[] = [];
    // binary search the first entry with rv > since
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= since) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) {
      const e = this.history[i];
      if (!storage || e.storage === storage) out.push(e);
    }
    return out;
  }

  get(ref: ObjectRef): KubeObject | undefined {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    return this.getIn(storageId(t), ref.namespace, ref.name);
  }

  getIn(storage: string, namespace: string | undefined, name: string) {
    return this.data.get(storage)?.get(keyOf(namespace, name));
  }

  /** Current objects of one storage (optionally one namespace), sorted like etcd keys. */
  listIn(storage: string, namespace?: string): KubeObject[] {
    const b = this.data.get(storage);
    if (!b) return [];
    const out: Array<[string, KubeObject]> = [];
    for (const [k, o] of b) {
      if (namespace && o.metadata.namespace !== namespace) continue;
      out.push([k, o]);
    }
    out.sort(byKey);
    return out.map(x => x[1]);
  }

  /**
   * The objects of one storage as they were at `atRv` (for exact-rv lists and
   * continue tokens), rebuilt by undoing later history. Throws TooOldError when the
   * history no longer reaches back that far.
   */
  listAt(storage: string, atRv: number, namespace?: string): KubeObject[] {
    if (atRv >= this.rv) return this.listIn(storage, namespace);
    const later = this.changesSince(atRv, storage);
    const map = new Map<string, KubeObject>(this.data.get(storage) ?? []);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i];
      if (e.type === 'ADDED') map.delete(e.key);
      else if (e.prev) map.set(e.key, e.prev);
    }
    return [...map]
      .filter(([, o]) => !namespace || o.metadata.namespace === namespace)
      .sort(byKey)
      .map(x => x[1]);
  }

  count(storage: string): number {
    return this.data.get(storage)?.size ?? 0;
  }

  create(input: KubeObject): KubeObject {
    const t = this.typeOf(input.apiVersion, input.kind);
    const storage = storageId(t);
    const obj: KubeObject = structuredClone(input);
    const md = obj.metadata ?? (obj.metadata = {});
    if (!md.name && md.generateName) {
      md.name = md.generateName + randomSuffix(5);
    }
    if (!md.name) {
      throw new StoreError(
        422,
        'Invalid',
        `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    }
    if (t.namespaced) {
      md.namespace = md.namespace || 'default';
    } else {
      delete md.namespace;
    }
    const key = keyOf(md.namespace, md.name);
    const b = this.bucket(storage);
    if (b.has(key)) {
      throw new StoreError(
        409,
        'AlreadyExists',
        `${t.plural}${t.group ? `.${t.group}` : ''} "${
          md.name
        }" already exists`,
        { name: md.name, group: t.group, kind: t.plural },
      );
    }
    md.uid = md.uid || randomUUID();
    md.creationTimestamp = md.creationTimestamp || this.now();
    md.generation = md.generation ?? 1;
    md.resourceVersion = String(++this.rv);
    b.set(key, obj);
    if (t.kind === 'CustomResourceDefinition') this.registry.addCrd(obj);
    this.emit({ rv: this.rv, type: 'ADDED', storage, key, object: obj });
    return obj;
  }

  /** Replaces an object (optimistic concurrency when the input carries a resourceVersion). */
  update(input: KubeObject, options: { checkRv?: boolean } = {}): KubeObject {
    const t = this.typeOf(input.apiVersion, input.kind);
    const storage = storageId(t);
    const md = input.metadata;
    const ns = t.namespaced ? md.namespace || 'default' : undefined;
    const key = keyOf(ns, md.name!);
    const b = this.bucket(storage);
    const prev = b.get(key);
    if (!prev) {
      throw new StoreError(
        404,
        'NotFound',
        `${t.plural}${t.group ? `.${t.group}` : ''} "${md.name}" not found`,
        {
          name: md.name,
          group: t.group,
          kind: t.plural,
        },
      );
    }
    if (
      options.checkRv &&
      md.resourceVersion &&
      md.resourceVersion !== prev.metadata.resourceVersion
    ) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${t.plural}${
          t.group ? `.${t.group}` : ''
        } "${
          md.name
        }": the object has been modified; please apply your changes to the latest version and try again`,
        { name: md.name, group: t.group, kind: t.plural },
      );
    }
    const obj: KubeObject = structuredClone(input);
    obj.metadata.uid = prev.metadata.uid;
    obj.metadata.creationTimestamp = prev.metadata.creationTimestamp;
    obj.metadata.namespace = ns;
    if (!ns) delete obj.metadata.namespace;
    const specChanged = JSON.stringify(prev.spec) !== JSON.stringify(obj.spec);
    obj.metadata.generation =
      (prev.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(key, obj);
    if (t.kind === 'CustomResourceDefinition') this.registry.addCrd(obj);
    this.emit({
      rv: this.rv,
      type: 'MODIFIED',
      storage,
      key,
      object: obj,
      prev,
    });
    return obj;
  }

  /** Read-modify-write of one object; `fn` mutates a private copy. */
  patch(ref: ObjectRef, fn: (o: KubeObject) => void | KubeObject): KubeObject {
    const cur = this.get(ref);
    if (!cur) {
      const t = this.typeOf(ref.apiVersion, ref.kind);
      throw new StoreError(
        404,
        'NotFound',
        `${t.plural}${t.group ? `.${t.group}` : ''} "${ref.name}" not found`,
        {
          name: ref.name,
          group: t.group,
          kind: t.plural,
        },
      );
    }
    const copy = structuredClone(cur);
    const out = fn(copy) ?? copy;
    return this.update(out);
  }

  /** Removes an object at once (graceful deletion is modelled by callers via deletionTimestamp). */
  delete(ref: ObjectRef): KubeObject {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    const storage = storageId(t);
    const ns = t.namespaced ? ref.namespace || 'default' : undefined;
    const key = keyOf(ns, ref.name);
    const b = this.bucket(storage);
    const prev = b.get(key);
    if (!prev) {
      throw new StoreError(
        404,
        'NotFound',
        `${t.plural}${t.group ? `.${t.group}` : ''} "${ref.name}" not found`,
        {
          name: ref.name,
          group: t.group,
          kind: t.plural,
        },
      );
    }
    b.delete(key);
    const obj: KubeObject = {
      ...prev,
      metadata: {
        ...prev.metadata,
        resourceVersion: String(++this.rv),
        deletionTimestamp: prev.metadata.deletionTimestamp ?? this.now(),
      },
    };
    if (t.kind === 'CustomResourceDefinition') this.registry.removeCrd(prev);
    this.emit({
      rv: this.rv,
      type: 'DELETED',
      storage,
      key,
      object: obj,
      prev,
    });
    return obj;
  }

  /** Creates or replaces (handy for scenarios and tests). */
  apply(input: KubeObject): KubeObject {
    const t = this.typeOf(input.apiVersion, input.kind);
    const ns = t.namespaced ? input.metadata.namespace || 'default' : undefined;
    const existing = input.metadata.name
      ? this.getIn(storageId(t), ns, input.metadata.name)
      : undefined;
    return existing ? this.update(input) : this.create(input);
  }
}

/** etcd key order (plain string comparison, not locale-aware). */
function byKey(a: [string, unknown], b: [string, unknown]): number {
  if (a[0] === b[0]) return 0;
  return a[0] < b[0] ? -1 : 1;
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}
