import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeObject } from '../types';
import { ObjectStore, StoreEvent, TooOldError } from '../store/store';
import { ResourceType, groupVersion, storageId } from '../resources/registry';
import { makeStatus } from '../server/status';
import { SimClock } from '../clock';

export interface WatchParams {
  type: ResourceType;
  namespace?: string;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  labelMatch: (o: KubeObject) => boolean;
  fieldMatch: (o: KubeObject) => boolean;
  /** Converts a stored object into what this endpoint serves (view + apiVersion). */
  render: (o: KubeObject) => KubeObject;
}

export interface WatchOptions {
  /** Wall ms between BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
  /** Server-chosen stream end when the client gives no timeoutSeconds: [min, 2*min) seconds. */
  minRequestTimeoutSeconds: number;
  /** 'lines' writes one chunk per event; 'random' splits and merges lines at random offsets. */
  chunking: 'lines' | 'random';
  /** A watcher whose unsent buffer passes this many bytes is closed (slow consumer). */
  maxBufferedBytes: number;
}

/** One open watch stream. */
export class WatchStream {
  private pending = '';
  private stalledUntil = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  sent = 0;
  readonly startedAt = Date.now();

  constructor(
    readonly path: string,
    readonly params: WatchParams,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly options: WatchOptions,
    private readonly onClose: (w: WatchStream) => void,
  ) {}

  get resource(): string {
    return this.params.type.plural;
  }

  start(stallMs = 0) {
    const { res, params, store } = this;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    if (stallMs) this.stall(stallMs);
    const storage = storageId(params.type);
    const close = () => this.finish(false);
    this.req.on('close', close);
    res.on('close', close);

    const rvParam = params.resourceVersion;
    let startRv = store.resourceVersion;
    const initial = params.sendInitialEvents || !rvParam || rvParam === '0';
    if (initial) {
      for (const o of store.listIn(storage, params.namespace)) {
        if (this.matches(o)) this.send('ADDED', o);
      }
      if (params.sendInitialEvents) {
        this.sendBookmark(true);
      }
    } else {
      const from = Number(rvParam);
      if (!Number.isInteger(from) || from < 0) {
        this.sendRaw(
          `${JSON.stringify({
            type: 'ERROR',
            object: makeStatus(
              400,
              'BadRequest',
              `invalid resource version: ${rvParam}`,
            ),
          })}\n`,
        );
        this.finish(true);
        return;
      }
      try {
        for (const e of store.changesSince(from, storage)) this.onChange(e);
        startRv = store.resourceVersion;
      } catch (err) {
        if (err instanceof TooOldError) {
          this.sendRaw(
            `${JSON.stringify({
              type: 'ERROR',
              object: makeStatus(410, 'Expired', err.message),
            })}\n`,
          );
          this.finish(true);
          return;
        }
        throw err;
      }
    }
    void startRv;
    this.unsubscribe = store.subscribe(e => {
      if (e.storage === storage) this.onChange(e);
    });
    if (params.allowWatchBookmarks) {
      const t = setInterval(
        () => this.sendBookmark(false),
        this.options.bookmarkIntervalMs,
      );
      this.timers.push(t);
    }
    const timeoutS =
      params.timeoutSeconds ??
      this.options.minRequestTimeoutSeconds * (1 + Math.random());
    this.timers.push(setTimeout(() => this.finish(true), timeoutS * 1000));
  }

  private matches(o: KubeObject) {
    const p = this.params;
    if (p.namespace && o.metadata.namespace !== p.namespace) return false;
    return p.labelMatch(o) && p.fieldMatch(o);
  }

  /** Selector-aware translation: an object leaving the selection is DELETED for this watcher. */
  private onChange(e: StoreEvent) {
    const now = this.matches(e.object);
    const before = e.prev ? this.matches(e.prev) : false;
    if (e.type === 'ADDED') {
      if (now) this.send('ADDED', e.object);
    } else if (e.type === 'DELETED') {
      if (before || now) this.send('DELETED', e.object);
    } else if (now && before) this.send('MODIFIED', e.object);
    else if (now) this.send('ADDED', e.object);
    else if (before) this.send('DELETED', e.object);
  }

  private send(type: string, o: KubeObject) {
    this.sent++;
    this.sendRaw(
      `${JSON.stringify({ type, object: this.params.render(o) })}\n`,
    );
  }

  private sendBookmark(initialEnd: boolean) {
    if (!this.params.allowWatchBookmarks && !initialEnd) return;
    const t = this.params.type;
    const obj: KubeObject = {
      kind: t.kind,
      apiVersion: groupVersion(t),
      metadata: {
        resourceVersion: String(this.store.resourceVersion),
        ...(initialEnd
          ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
          : {}),
      },
    };
    this.sendRaw(`${JSON.stringify({ type: 'BOOKMARK', object: obj })}\n`);
  }

  /** Queues raw bytes; flushes now unless stalled. */
  sendRaw(text: string) {
    if (this.ended) return;
    this.pending += text;
    if (Date.now() >= this.stalledUntil) this.flush();
  }

  private flush() {
    if (this.ended || !this.pending) return;
    const text = this.pending;
    this.pending = '';
    if (this.options.chunking === 'random' && text.length > 1) {
      // arbitrary chunk boundaries: clients must reassemble lines themselves
      let i = 0;
      while (i < text.length) {
        const n =
          1 + Math.floor(Math.random() * Math.min(text.length - i, 200));
        this.res.write(text.slice(i, i + n));
        i += n;
      }
    } else {
      this.res.write(text);
    }
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      // the real apiserver drops watchers that cannot keep up
      this.finish(true);
    }
  }

  /** Sends no bytes for `ms` (events queue up), then flushes. */
  stall(ms: number) {
    this.stalledUntil = Date.now() + ms;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stalledUntil = 0;
      this.flush();
    }, ms);
  }

  /** Ends the stream with a half-written JSON line (connection cut mid-chunk). */
  closeMidChunk() {
    if (this.ended) return;
    this.flush();
    this.cleanup();
    // cut the connection once the half line is on the wire
    this.res.write('{"type":"MODIFIED","object":{"kind":"', () => {
      this.res.destroy();
      this.req.socket?.destroy();
    });
  }

  /** Writes a line that is not JSON, then keeps streaming. */
  malformedLine() {
    this.sendRaw('{"type":"ADDED","object":{this is not json\n');
  }

  /** Drops the TCP connection without a clean end. */
  destroy() {
    if (this.ended) return;
    this.cleanup();
    this.res.destroy();
    this.req.socket?.destroy();
  }

  /** Ends the stream cleanly (server-chosen end, timeoutSeconds or shutdown). */
  finish(graceful: boolean) {
    if (this.ended) return;
    if (graceful) this.flush();
    this.cleanup();
    if (graceful) this.res.end();
    else this.res.destroy();
  }

  private cleanup() {
    this.ended = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.onClose(this);
  }

  get isOpen() {
    return !this.ended;
  }
  get clockNow() {
    return this.clock.now();
  }
}

/** All open watch streams (faults act on them). */
export class WatchHub {
  readonly streams = new Set<WatchStream>();

  add(w: WatchStream) {
    this.streams.add(w);
  }

  remove(w: WatchStream) {
    this.streams.delete(w);
  }

  select(filter?: { resource?: string }): WatchStream[] {
    return [...this.streams].filter(
      w => !filter?.resource || w.resource === filter.resource,
    );
  }

  closeAll() {
    for (const w of [...this.streams]) w.finish(true);
  }
}
