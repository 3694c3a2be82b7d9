/**
 * Feeds what a kube-sim run produced (its ledger: every object change and log line, in order)
 * into the store and the incident builder the way the watch engine does: the store gets the
 * object first, then the builder hook runs. Real simulator objects, no hand-made pods.
 */
import {
  classifyLogLine,
  redactSecrets,
} from '@pod-watch/plugin-pod-watch-common';
import type { LedgerChange, LedgerLogLine } from '@pod-watch/kube-sim';
import { normalizeCoreEvent, type PodWatchStore } from '../../store';
import type { IncidentBuilder } from '../IncidentBuilder';
import { applyWork, type IncidentWork } from '../work';

export const CLUSTER = 'sim';

export type FeedItem =
  | { seq: number; at: string; change: LedgerChange }
  | { seq: number; at: string; log: LedgerLogLine };

export function feedItems(
  changes: readonly LedgerChange[],
  logs: readonly LedgerLogLine[] = [],
): FeedItem[] {
  return [
    ...changes.map(change => ({ seq: change.seq, at: change.at, change })),
    ...logs.map(log => ({ seq: log.seq, at: log.at, log })),
  ].sort((a, b) => a.seq - b.seq);
}

/** Latest state per uid of the given kind (what a relist returns), without deleted objects. */
export function finalObjects(changes: readonly LedgerChange[], kind: string) {
  const latest = new Map<string, LedgerChange>();
  for (const c of changes) if (c.kind === kind) latest.set(c.uid, c);
  return [...latest.values()]
    .filter(c => c.type !== 'DELETED')
    .map(c => c.object as any);
}

/**
 * How the builder gets the changes: `direct` calls its hooks one at a time and waits; `queued`
 * hands them to its queue as the watch hooks do (built in batches behind the feed, Events
 * coalescing) and waits for the queue only before a sweep and at the end.
 */
export type FeedMode = 'direct' | 'queued';

/** Writes the engine's share (Events, EndpointSlices, Deployment history, logs) and calls the builder. */
export class SimFeeder {
  private readonly podUids = new Map<string, string>();
  private readonly restarts = new Map<string, number>();
  private readonly images = new Map<string, string>();
  private lastSweep = 0;

  constructor(
    private readonly store: PodWatchStore,
    private readonly builder: IncidentBuilder,
    private readonly sweepEverySeconds = 30,
    private readonly mode: FeedMode = 'direct',
  ) {}

  async feed(items: readonly FeedItem[]) {
    for (const item of items) {
      const at = new Date(item.at);
      if ('log' in item) await this.log(item.log);
      else await this.change(item.change, at);
      if (at.getTime() - this.lastSweep >= this.sweepEverySeconds * 1000) {
        if (this.lastSweep > 0) {
          await this.builder.idle();
          await this.builder.sweep(at);
        }
        this.lastSweep = at.getTime();
      }
    }
    await this.builder.idle();
  }

  private async hand(work: IncidentWork) {
    if (this.mode === 'queued') await this.builder.enqueue([work]);
    else await applyWork(this.builder, work);
  }

  private async change(c: LedgerChange, at: Date) {
    const o = c.object as any;
    switch (c.kind) {
      case 'Pod': {
        this.podUids.set(`${c.namespace}/${c.name}`, c.uid);
        for (const s of [
          ...(o.status?.initContainerStatuses ?? []),
          ...(o.status?.containerStatuses ?? []),
        ]) {
          this.restarts.set(`${c.uid}/${s.name}`, s.restartCount ?? 0);
        }
        await this.hand({
          kind: c.type === 'DELETED' ? 'podDeleted' : 'pod',
          cluster: CLUSTER,
          pod: o,
          at,
        });
        return;
      }
      case 'Event': {
        if (c.type === 'DELETED') return;
        const event = normalizeCoreEvent(CLUSTER, o);
        await this.store.upsertEvents([event]);
        await this.hand({ kind: 'event', cluster: CLUSTER, event, at });
        return;
      }
      case 'EndpointSlice': {
        const service = o.metadata.labels?.['kubernetes.io/service-name'];
        if (!service || c.type === 'DELETED') return;
        await this.store.replaceServiceEndpoints({
          cluster: CLUSTER,
          namespace: c.namespace!,
          service,
          slice: c.name,
          seenAt: at,
          endpoints: (o.endpoints ?? []).flatMap((e: any) =>
            (e.addresses ?? []).map((ip: string) => ({
              ip,
              podUid: e.targetRef?.uid,
              podName: e.targetRef?.name,
              nodeName: e.nodeName,
              ready: e.conditions?.ready ?? null,
              serving: e.conditions?.serving ?? null,
              terminating: e.conditions?.terminating ?? null,
            })),
          ),
        });
        return;
      }
      case 'Deployment': {
        // the rollout history the incident's "changes before" evidence reads
        const image = o.spec?.template?.spec?.containers?.[0]?.image;
        const before = this.images.get(c.uid);
        this.images.set(c.uid, image);
        if (c.type === 'MODIFIED' && before === image) return;
        await this.store.recordHistory([
          {
            cluster: CLUSTER,
            objectUid: c.uid,
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: c.namespace,
            name: c.name,
            verb: c.type === 'ADDED' ? 'create' : 'update',
            resourceVersion: String(c.rv),
            at,
            ...(c.type === 'ADDED'
              ? { snapshot: { image } }
              : { diff: { image: { from: before, to: image } } }),
          },
        ]);
        return;
      }
      default:
    }
  }

  private async log(l: LedgerLogLine) {
    const podUid = this.podUids.get(`${l.namespace}/${l.pod}`);
    if (!podUid) return;
    const cls = classifyLogLine(l.line);
    await this.store.insertLogLines([
      {
        cluster: CLUSTER,
        namespace: l.namespace,
        podUid,
        podName: l.pod,
        container: l.container,
        instance: this.restarts.get(`${podUid}/${l.container}`) ?? 0,
        source: 'live',
        at: l.at,
        level: cls.level,
        exception: cls.exception !== undefined,
        text: redactSecrets(l.line),
      },
    ]);
  }
}
