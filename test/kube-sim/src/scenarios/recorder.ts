import { KubeObject } from '../types';
import { ObjectStore } from '../store/store';
import { Ledger } from '../ledger/ledger';
import { SimClock } from '../clock';

export interface EventSource {
  component: string;
  host?: string;
}

export interface RecordOptions {
  /** events.k8s.io-style aggregation (series) instead of count/lastTimestamp. */
  series?: boolean;
  fieldPath?: string;
  action?: string;
}

/**
 * Writes Events like client-go's recorder: a repeat of the same (object, type,
 * reason, message, source) updates the existing Event (count + lastTimestamp, or
 * series.count + lastObservedTime for the events.k8s.io recorder) instead of
 * creating a new one.
 */
export class EventRecorder {
  private readonly seen = new Map<string, { ns: string; name: string }>();
  private readonly keyByName = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly ledger: Ledger,
  ) {}

  /** Forgets an expired Event so a later repeat creates a new one (as after --event-ttl). */
  forget(ns: string, name: string) {
    const k = this.keyByName.get(`${ns}/${name}`);
    if (k === undefined) return;
    this.keyByName.delete(`${ns}/${name}`);
    this.seen.delete(k);
  }

  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    options: RecordOptions = {},
  ): KubeObject | undefined {
    const md = involved.metadata;
    const ns = md.namespace || 'default';
    const key = [
      md.uid,
      options.fieldPath ?? '',
      type,
      reason,
      message,
      source.component,
      source.host ?? '',
    ].join('\u0000');
    const prev = this.seen.get(key);
    const now = this.clock.nowIso();
    const micro = this.clock.nowMicro();
    if (prev) {
      const existing = this.store.getIn('core/events', prev.ns, prev.name);
      if (existing) {
        const updated = this.store.patch(
          {
            apiVersion: 'v1',
            kind: 'Event',
            namespace: prev.ns,
            name: prev.name,
          },
          e => {
            if (options.series) {
              e.series = {
                count: (e.series?.count ?? 1) + 1,
                lastObservedTime: micro,
              };
            } else {
              e.count = (e.count ?? 1) + 1;
              e.lastTimestamp = now;
            }
          },
        );
        this.ledger.recordOccurrence({
          type,
          reason,
          message,
          involvedObject: {
            kind: involved.kind!,
            namespace: md.namespace,
            name: md.name!,
            uid: md.uid!,
          },
          eventName: prev.name,
          count: updated.series?.count ?? updated.count,
        });
        return updated;
      }
    }
    // "<object>.<hex unix nanos>" like client-go; the counter keeps names unique under acceleration
    const nanos =
      BigInt(Math.floor(this.clock.now())) * 1000000n +
      BigInt(++this.seq % 1000000);
    const name = `${md.name}.${nanos.toString(16)}`;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: involved.kind,
        namespace: md.namespace,
        name: md.name,
        uid: md.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: md.resourceVersion,
        ...(options.fieldPath ? { fieldPath: options.fieldPath } : {}),
      },
      reason,
      message,
      source: {
        component: source.component,
        ...(source.host ? { host: source.host } : {}),
      },
      firstTimestamp: options.series ? null : now,
      lastTimestamp: options.series ? null : now,
      count: 1,
      type,
      eventTime: options.series ? micro : null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      ...(options.action ? { action: options.action } : {}),
    };
    if (options.series) delete ev.count;
    const created = this.store.create(ev);
    this.seen.set(key, { ns, name });
    this.keyByName.set(`${ns}/${name}`, key);
    this.ledger.recordOccurrence({
      type,
      reason,
      message,
      involvedObject: {
        kind: involved.kind!,
        namespace: md.namespace,
        name: md.name!,
        uid: md.uid!,
      },
      eventName: name,
      count: 1,
    });
    return created;
  }
}
