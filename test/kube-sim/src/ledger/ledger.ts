import { KubeObject, WatchEventType } from '../types';
import { StoreEvent } from '../store/store';

/** One state change the simulator made (object snapshot included). */
export interface LedgerChange {
  seq: number;
  /** Simulated time (ISO) and wall time (ms) of the change. */
  at: string;
  wallMs: number;
  rv: number;
  type: WatchEventType;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  object: KubeObject;
}

/** One occurrence reported through the event recorder (before aggregation). */
export interface LedgerOccurrence {
  seq: number;
  at: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  involvedObject: {
    kind: string;
    namespace?: string;
    name: string;
    uid: string;
  };
  /** Name of the Event object this occurrence was aggregated into, and its count after it. */
  eventName: string;
  count: number;
}

/** One container log line the simulator wrote. */
export interface LedgerLogLine {
  seq: number;
  at: string;
  namespace: string;
  pod: string;
  container: string;
  line: string;
}

export interface ChangeQuery {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  type?: WatchEventType;
  sinceRv?: number;
}

/**
 * Ground truth of everything the simulator produced: every store change (with the
 * object as it was), every event occurrence and every log line. Downstream tests
 * compare what they captured with this to prove nothing was lost or duplicated.
 */
export class Ledger {
  private seq = 0;
  private readonly changeList: LedgerChange[] = [];
  private readonly occurrenceList: LedgerOccurrence[] = [];
  private readonly logList: LedgerLogLine[] = [];

  constructor(
    private readonly nowIso: () => string,
    /** Caps memory for long load runs; oldest entries are dropped first. */
    readonly maxEntries = 2_000_000,
  ) {}

  recordChange(e: StoreEvent) {
    const o = e.object;
    this.changeList.push({
      seq: ++this.seq,
      at: this.nowIso(),
      wallMs: Date.now(),
      rv: e.rv,
      type: e.type,
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      namespace: o.metadata.namespace,
      name: o.metadata.name ?? '',
      uid: o.metadata.uid ?? '',
      object: o,
    });
    this.trim(this.changeList);
  }

  /** Drops the oldest entries in batches (amortised O(1) per record). */
  private trim(list: unknown[]) {
    if (list.length > this.maxEntries * 1.1) {
      this.dropped += list.length - this.maxEntries;
      list.splice(0, list.length - this.maxEntries);
    }
  }

  /** Entries dropped because of maxEntries (0 means the ledger is complete). */
  dropped = 0;

  recordOccurrence(o: Omit<LedgerOccurrence, 'seq' | 'at'>) {
    this.occurrenceList.push({ seq: ++this.seq, at: this.nowIso(), ...o });
    this.trim(this.occurrenceList);
  }

  recordLog(l: Omit<LedgerLogLine, 'seq' | 'at'> & { at?: string }) {
    this.logList.push({
      seq: ++this.seq,
      at: l.at ?? this.nowIso(),
      ...l,
    } as LedgerLogLine);
    this.trim(this.logList);
  }

  /** Store changes, filtered. */
  changes(q: ChangeQuery = {}): LedgerChange[] {
    return this.changeList.filter(
      c =>
        (!q.kind || c.kind === q.kind) &&
        (!q.apiVersion || c.apiVersion === q.apiVersion) &&
        (!q.namespace || c.namespace === q.namespace) &&
        (!q.name || c.name === q.name) &&
        (!q.uid || c.uid === q.uid) &&
        (!q.type || c.type === q.type) &&
        (q.sinceRv === undefined || c.rv > q.sinceRv),
    );
  }

  /** Event occurrences, filtered by the involved object and reason. */
  occurrences(
    q: {
      reason?: string;
      namespace?: string;
      name?: string;
      kind?: string;
      type?: string;
    } = {},
  ): LedgerOccurrence[] {
    return this.occurrenceList.filter(
      o =>
        (!q.reason || o.reason === q.reason) &&
        (!q.type || o.type === q.type) &&
        (!q.kind || o.involvedObject.kind === q.kind) &&
        (!q.namespace || o.involvedObject.namespace === q.namespace) &&
        (!q.name || o.involvedObject.name === q.name),
    );
  }

  /** The latest state of every Event object the simulator wrote (aggregated view). */
  events(
    q: { namespace?: string; involvedName?: string; reason?: string } = {},
  ): KubeObject[] {
    const latest = new Map<string, LedgerChange>();
    for (const c of this.changeList) {
      if (c.kind !== 'Event') continue;
      latest.set(c.uid, c);
    }
    return [...latest.values()]
      .filter(c => c.type !== 'DELETED')
      .map(c => c.object)
      .filter(
        e =>
          (!q.namespace || e.metadata.namespace === q.namespace) &&
          (!q.involvedName || e.involvedObject?.name === q.involvedName) &&
          (!q.reason || e.reason === q.reason),
      );
  }

  logs(
    q: { namespace?: string; pod?: string; container?: string } = {},
  ): LedgerLogLine[] {
    return this.logList.filter(
      l =>
        (!q.namespace || l.namespace === q.namespace) &&
        (!q.pod || l.pod === q.pod) &&
        (!q.container || l.container === q.container),
    );
  }

  counts() {
    return {
      changes: this.changeList.length,
      occurrences: this.occurrenceList.length,
      logLines: this.logList.length,
      dropped: this.dropped,
    };
  }
}
