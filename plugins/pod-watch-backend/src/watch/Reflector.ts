import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeApiError, KubeClient } from '../clusters/KubeClient';
import type { PodWatchConfig } from '../clusters/podWatchConfig';
import type { PodWatchStore } from '../store';
import { Backoff, sleep } from './backoff';
import type { KindHandler, KubeObject, WatchEvent } from './handlers';
import { apiVersionOf, collectionPath, WatchedKind } from './kinds';
import { readAhead, readLineBatches } from './lineReader';

/** The watch stream is no longer trustworthy (malformed line): relist. */
export class WatchDesyncError extends Error {}

/** Live status of one reflector, for the UI and /health. */
export interface ReflectorStatus {
  cluster: string;
  kind: string;
  namespace?: string;
  connected: boolean;
  resourceVersion?: string;
  lastEventAt?: string;
  lastListAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** ms from receiving the newest batch to having it stored */
  lagMs?: number;
  relists: number;
  watchRestarts: number;
}

export interface ReflectorOptions {
  cluster: string;
  kind: WatchedKind;
  /** watch one namespace; cluster-wide when omitted */
  namespace?: string;
  client: KubeClient;
  store: PodWatchStore;
  handler: KindHandler;
  logger: LoggerService;
  settings: PodWatchConfig['watch'];
  /** objects to ignore (denied namespaces of a cluster-wide watch) */
  filter?: (o: KubeObject) => boolean;
  /** minimum ms between resourceVersion writes while events stream */
  persistIntervalMs?: number;
  random?: () => number;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * Watch data is stamped when this process reads it, but the server sent it earlier (network,
 * TLS and a busy event loop: up to 44 ms in the full chaos run on a loaded 2-core machine), so
 * trust ends this much before the newest arrival: changes still in flight then are in the gap.
 */
const IN_FLIGHT_MS = 1000;

/**
 * client-go reflector semantics for one (cluster, kind[, namespace]): a paginated list
 * (falling back to a full list when a continue token expires), then a watch from the list's
 * resourceVersion with bookmarks and a randomised timeout, re-watched from the newest
 * resourceVersion when it ends. 410 Gone relists and reconciles deletions; a malformed line
 * relists; 429/5xx/connection errors back off exponentially with jitter, honouring
 * Retry-After; a silent stream is cut after the inactivity timeout. The resourceVersion is
 * persisted so a restart resumes without a relist, and every stretch during which the stream
 * was down is recorded as an observation gap.
 */
export class Reflector {
  readonly key: string;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private rv: string | undefined;
  private persistedRv: string | undefined;
  private lastPersistAt = 0;
  private gapOpen = false;
  /**
   * Epoch ms up to which every change is stored: when the newest fully applied watch data
   * arrived (less IN_FLIGHT_MS), or a list's snapshot was requested. A failure opens its gap
   * here, not when it is noticed: what the server sent after this may be lost with the stream.
   */
  private trustedUntil: number | undefined;
  private resyncRequested = false;
  private streamAbort: AbortController | undefined;
  readonly status: ReflectorStatus;

  constructor(private readonly options: ReflectorOptions) {
    this.key = options.namespace
      ? `${options.kind.id}@${options.namespace}`
      : options.kind.id;
    this.random = options.random ?? Math.random;
    this.backoff = new Backoff(
      options.settings.backoffInitialMs,
      options.settings.backoffMaxMs,
      this.random,
    );
    this.status = {
      cluster: options.cluster,
      kind: options.kind.id,
      namespace: options.namespace,
      connected: false,
      relists: 0,
      watchRestarts: 0,
    };
  }

  /** Re-evaluates time-dependent derived fields of what this reflector stored. */
  async tick(at: Date): Promise<void> {
    await this.options.handler.tick?.(at);
  }

  /** Relist and reconcile at the next opportunity (the periodic safety-net resync). */
  resync() {
    this.resyncRequested = true;
    this.streamAbort?.abort();
  }

  /** Lists and watches until the signal aborts. Never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const { store, cluster } = this.options;
    try {
      const state = (await store.getSyncState(cluster)).find(
        s => s.kind === this.key,
      );
      this.rv = state?.resourceVersion;
      this.persistedRv = this.rv;
      this.status.resourceVersion = this.rv;
      if (state?.lastSuccessAt) {
        // nobody watched between the last stored success and now
        await this.openGap(state.lastSuccessAt, 'collector was not running');
      }
    } catch (e) {
      this.options.logger.warn(
        `Pod Watch: cannot read sync state for ${this.describe()}: ${e}`,
      );
    }
    while (!signal.aborted) {
      try {
        if (this.resyncRequested) {
          this.resyncRequested = false;
          this.rv = undefined;
        }
        if (!this.rv) {
          this.rv = await this.list(signal);
        }
        await this.watch(signal);
      } catch (e) {
        if (signal.aborted) break;
        if (this.resyncRequested) continue;
        await this.onError(e, signal);
      }
    }
    this.status.connected = false;
    await this.persist(true).catch(() => undefined);
  }

  private describe() {
    return `cluster=${this.options.cluster} kind=${this.key}`;
  }

  private async onError(e: unknown, signal: AbortSignal) {
    const { store, cluster, logger } = this.options;
    const now = new Date();
    const gone = e instanceof KubeApiError && e.gone;
    const desync = e instanceof WatchDesyncError;
    const message = (e as Error)?.message ?? String(e);
    this.status.connected = false;
    this.status.lastError = message;
    this.status.lastErrorAt = now.toISOString();
    await this.openGap(
      new Date(Math.min(now.getTime(), this.trustedUntil ?? Infinity)),
      message,
    );
    if (gone || desync) {
      // the resourceVersion is useless: relist and reconcile
      this.rv = undefined;
    }
    await store
      .recordSyncError({
        cluster,
        kind: this.key,
        error: message,
        at: now,
        resetResourceVersion: gone,
      })
      .catch(err => logger.warn(`Pod Watch: cannot record sync error: ${err}`));
    if (gone) {
      logger.info(
        `Pod Watch: ${this.describe()} resourceVersion expired, relisting`,
      );
      return;
    }
    const delay = this.backoff.next(e);
    logger.warn(
      `Pod Watch: ${this.describe()} ${message}; retrying in ${Math.round(
        delay,
      )} ms`,
    );
    await sleep(delay, signal);
  }

  private async openGap(startedAt: string | Date, reason: string) {
    if (this.gapOpen) return;
    this.gapOpen = true;
    const { store, cluster } = this.options;
    await store
      .openGap({
        cluster,
        kind: this.options.kind.id,
        namespace: this.options.namespace,
        startedAt,
        reason,
      })
      .catch(err =>
        this.options.logger.warn(`Pod Watch: cannot record gap: ${err}`),
      );
  }

  private async closeGap(at: Date) {
    if (!this.gapOpen) return;
    this.gapOpen = false;
    // the closed gap covers everything before `at`: a next gap starts here at the earliest
    this.trustedUntil = Math.max(this.trustedUntil ?? 0, at.getTime());
    const { store, cluster } = this.options;
    await store
      .closeGaps({
        cluster,
        kind: this.options.kind.id,
        namespace: this.options.namespace,
        endedAt: at,
      })
      .catch(err =>
        this.options.logger.warn(`Pod Watch: cannot close gap: ${err}`),
      );
  }

  private async persist(force = false) {
    if (!this.rv || this.rv === this.persistedRv) return;
    const now = Date.now();
    if (
      !force &&
      now - this.lastPersistAt < (this.options.persistIntervalMs ?? 1000)
    )
      return;
    this.lastPersistAt = now;
    const rv = this.rv;
    await this.options.store.recordSyncSuccess({
      cluster: this.options.cluster,
      kind: this.key,
      resourceVersion: rv,
      at: now,
    });
    this.persistedRv = rv;
  }

  /**
   * Paginated list; returns the list's resourceVersion after reconciling the store with it.
   * Each page is stored (when the handler can) while the next one downloads, so download and
   * store writes overlap; deletions are reconciled once, with every listed object.
   */
  private async list(signal: AbortSignal): Promise<string> {
    const { client, kind, namespace, settings, handler, filter } = this.options;
    const path = collectionPath(kind, namespace);
    const apiVersion = apiVersionOf(kind);
    const scope = { namespace };
    // the list is a snapshot taken after this: every change before it is in the list
    let at = new Date();
    let items: KubeObject[] = [];
    let full = false;
    let listRv = '';
    const request = (cont: string | undefined) => {
      const page = client.getJson(
        path,
        full ? {} : { limit: settings.pageSize, continue: cont },
        signal,
      );
      // awaited below, unless storing the previous page throws first
      page.catch(() => undefined);
      return page;
    };
    let cont: string | undefined;
    let next = request(undefined);
    for (;;) {
      let page: any;
      try {
        page = await next;
      } catch (e) {
        if (e instanceof KubeApiError && e.gone && cont && !full) {
          // continue token expired mid-list: start over with one full list
          this.options.logger.info(
            `Pod Watch: ${this.describe()} continue token expired, full list`,
          );
          full = true;
          cont = undefined;
          items = [];
          at = new Date();
          next = request(undefined);
          continue;
        }
        throw e;
      }
      listRv = page.metadata?.resourceVersion ?? listRv;
      cont = full ? undefined : page.metadata?.continue || undefined;
      if (cont) next = request(cont);
      const objects: KubeObject[] = [];
      for (const o of page.items ?? []) {
        const object = { apiVersion, kind: kind.kind, ...o };
        if (object.metadata?.uid && (!filter || filter(object))) {
          objects.push(object);
          items.push(object);
        }
      }
      await handler.storePage?.(objects, scope, at);
      if (!cont) break;
    }
    this.status.relists++;
    await handler.replace(items, scope, at);
    this.trustedUntil = at.getTime();
    this.status.lastListAt = at.toISOString();
    this.status.lastEventAt = at.toISOString();
    this.rv = listRv;
    this.status.resourceVersion = listRv;
    this.backoff.reset();
    await this.persist(true);
    return listRv;
  }

  /** One watch request from this.rv; returns when the server ends the stream cleanly. */
  private async watch(signal: AbortSignal): Promise<void> {
    const { client, kind, namespace, settings, handler, filter } = this.options;
    // a resync asked for while listing: relist before watching again
    if (this.resyncRequested) return;
    const abort = new AbortController();
    this.streamAbort = abort;
    const onAbort = () => abort.abort();
    signal.addEventListener('abort', onAbort);
    let inactive = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        inactive = true;
        abort.abort();
      }, settings.inactivityTimeoutSeconds * 1000);
    };
    const timeoutSeconds = Math.floor(
      settings.timeoutSeconds * (1 + this.random()),
    );
    try {
      arm();
      const { body } = await client.stream(
        collectionPath(kind, namespace),
        {
          watch: 1,
          resourceVersion: this.rv,
          allowWatchBookmarks: true,
          timeoutSeconds,
        },
        abort.signal,
      );
      this.status.connected = true;
      this.status.watchRestarts++;
      await this.closeGap(new Date());
      const apiVersion = apiVersionOf(kind);
      for await (const batch of readAhead(readLineBatches(body), {
        onData: arm,
      })) {
        const lines = batch.items;
        const received = Date.now();
        const events: WatchEvent[] = [];
        let failure: Error | undefined;
        let rv = this.rv;
        for (const line of lines) {
          let parsed: any;
          try {
            parsed = JSON.parse(line);
          } catch {
            failure = new WatchDesyncError(
              `malformed watch line: ${line.slice(0, 80)}`,
            );
            break;
          }
          const type = parsed?.type;
          const object = parsed?.object;
          if (type === 'ERROR') {
            failure = new KubeApiError(
              `watch error: ${object?.code ?? ''} ${
                object?.message ?? ''
              }`.trim(),
              object?.code ?? 500,
              object?.reason,
            );
            break;
          }
          const objectRv = object?.metadata?.resourceVersion;
          if (type === 'BOOKMARK') {
            if (objectRv) rv = objectRv;
            continue;
          }
          if (!EVENT_TYPES.has(type) || !object?.metadata?.uid) {
            failure = new WatchDesyncError(
              `unexpected watch event ${String(type)}`,
            );
            break;
          }
          if (objectRv) rv = objectRv;
          const o = { apiVersion, kind: kind.kind, ...object } as KubeObject;
          if (!filter || filter(o)) events.push({ type, object: o });
        }
        if (events.length > 0) {
          const at = new Date();
          await handler.apply(events, at);
          this.status.lastEventAt = at.toISOString();
          this.status.lagMs = Date.now() - received;
        }
        if (rv !== this.rv) {
          this.rv = rv;
          this.status.resourceVersion = rv;
          await this.persist();
        }
        this.backoff.reset();
        if (failure) throw failure;
        // never before what a closed gap already covers
        this.trustedUntil = Math.max(
          this.trustedUntil ?? 0,
          batch.lastArrivalMs - IN_FLIGHT_MS,
        );
      }
      await this.persist(true);
    } catch (e) {
      if (inactive && !signal.aborted) {
        throw new KubeApiError(
          `watch inactive for ${settings.inactivityTimeoutSeconds} s`,
          0,
        );
      }
      if (abort.signal.aborted && !signal.aborted && this.resyncRequested) {
        return;
      }
      throw e;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.streamAbort = undefined;
      abort.abort();
    }
  }
}
