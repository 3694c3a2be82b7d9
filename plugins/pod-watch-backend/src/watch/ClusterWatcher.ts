import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeClient } from '../clusters/KubeClient';
import { isNamespaceWatched, PodWatchConfig } from '../clusters/podWatchConfig';
import type { PodWatchStore } from '../store';
import { recordSyncStatus } from '../store/syncStatus';
import { sleep } from './backoff';
import {
  ContainerTermination,
  createKindHandler,
  KindHandler,
} from './handlers';
import {
  BUILTIN_WATCHED_KINDS,
  customResourceKind,
  WatchedKind,
} from './kinds';
import { Reflector, ReflectorStatus } from './Reflector';

export interface ClusterWatcherOptions {
  cluster: string;
  client: KubeClient;
  store: PodWatchStore;
  logger: LoggerService;
  config: PodWatchConfig;
  /** identifies this replica in the stored status */
  holder?: string;
  /** container instances that just terminated (previous-log capture) */
  onTerminations?: (t: ContainerTermination[]) => void;
  /** decorates each kind's handler, e.g. so the incident builder sees what the store got */
  wrapHandler?: (handler: KindHandler, kind: WatchedKind) => KindHandler;
  /** ms between re-evaluations of time-dependent pod fields (default 60000) */
  rederiveIntervalMs?: number;
  /** ms between status writes (default 5000) */
  statusIntervalMs?: number;
  persistIntervalMs?: number;
}

/** The kinds to watch under `podWatch.kinds` and `podWatch.customResources`. */
export function watchedKinds(config: PodWatchConfig): WatchedKind[] {
  return [
    ...config.kinds.map(id => BUILTIN_WATCHED_KINDS[id]).filter(Boolean),
    ...config.customResources.map(customResourceKind),
  ];
}

/**
 * All reflectors of one cluster: one per kind, or per kind and namespace when
 * `podWatch.namespaces.allow` is set (RBAC may then be namespaced). Runs them until the signal
 * aborts and writes their live status to the store, so every replica can report it.
 */
export class ClusterWatcher {
  readonly reflectors: Reflector[];

  constructor(private readonly options: ClusterWatcherOptions) {
    const { cluster, client, store, logger, config } = options;
    const scopes: Array<string | undefined> =
      config.namespaces.allow.length > 0
        ? config.namespaces.allow.filter(ns =>
            isNamespaceWatched(config.namespaces, ns),
          )
        : [undefined];
    const wrap = options.wrapHandler ?? ((h: KindHandler) => h);
    const filter =
      config.namespaces.deny.length > 0
        ? (o: { metadata: { namespace?: string } }) =>
            isNamespaceWatched(config.namespaces, o.metadata.namespace)
        : undefined;
    this.reflectors = watchedKinds(config).flatMap(kind =>
      (kind.namespaced ? scopes : [undefined]).map(
        namespace =>
          new Reflector({
            cluster,
            kind,
            namespace,
            client,
            store,
            handler: wrap(
              createKindHandler({
                cluster,
                kind,
                store,
                onTerminations: options.onTerminations,
              }),
              kind,
            ),
            logger,
            settings: config.watch,
            filter,
            persistIntervalMs: options.persistIntervalMs,
          }),
      ),
    );
  }

  get cluster() {
    return this.options.cluster;
  }

  status(): ReflectorStatus[] {
    return this.reflectors.map(r => ({ ...r.status }));
  }

  /** Relists every kind (the periodic safety net). */
  resync() {
    this.reflectors.forEach(r => r.resync());
  }

  /** Health, attention and top issue change with time alone (timeouts, restart windows). */
  async rederive(at: Date) {
    for (const r of this.reflectors) {
      await r
        .tick(at)
        .catch(e =>
          this.options.logger.warn(
            `Pod Watch: cannot re-evaluate ${r.key}: ${e}`,
          ),
        );
    }
  }

  private async writeStatus() {
    const at = Date.now();
    await recordSyncStatus(
      this.options.store.ctx,
      this.reflectors.map(r => ({
        cluster: this.options.cluster,
        kind: r.key,
        connected: r.status.connected,
        lastEventAt: r.status.lastEventAt,
        lagMs: r.status.lagMs,
        holder: this.options.holder,
        at,
      })),
    ).catch(e =>
      this.options.logger.warn(`Pod Watch: cannot write sync status: ${e}`),
    );
  }

  async run(signal: AbortSignal): Promise<void> {
    const { store, cluster } = this.options;
    await store.upsertClusters([{ name: cluster }]).catch(() => undefined);
    const running = Promise.all(this.reflectors.map(r => r.run(signal)));
    const statusLoop = (async () => {
      let lastTick = Date.now();
      while (!signal.aborted) {
        await sleep(this.options.statusIntervalMs ?? 5000, signal);
        if (signal.aborted) break;
        await this.writeStatus();
        if (
          Date.now() - lastTick >=
          (this.options.rederiveIntervalMs ?? 60_000)
        ) {
          lastTick = Date.now();
          await this.rederive(new Date());
        }
        if (this.reflectors.some(r => r.status.connected)) {
          await store
            .upsertClusters([{ name: cluster, seenAt: Date.now() }])
            .catch(() => undefined);
        }
      }
    })();
    await running;
    await statusLoop;
    await this.writeStatus();
  }
}
