import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import os from 'node:os';
import {
  ClusterConfigProblem,
  ClusterTarget,
  readClusters,
} from '../clusters/clusterConfig';
import { KubeClient } from '../clusters/KubeClient';
import { PodWatchConfig, readPodWatchConfig } from '../clusters/podWatchConfig';
import type { IncidentLifecycleConfig } from '@pod-watch/plugin-pod-watch-common';
import {
  IncidentBuilder,
  incidentHandlerWrapper,
  readIncidentConfig,
} from '../incidents';
import { PodWatchStore, scheduleRetention } from '../store';
import { ClusterWatcher } from '../watch/ClusterWatcher';
import type { ReflectorStatus } from '../watch/Reflector';
import { LeaseElector } from './LeaseElector';
import { LogCollector, LogRunSummary } from './LogCollector';

interface ClusterRuntime {
  target: ClusterTarget;
  client: KubeClient;
  logs: LogCollector;
  /** set while this replica holds the cluster's lease */
  watcher?: ClusterWatcher;
}

export interface EngineStatus {
  holder: string;
  clusters: Array<{
    name: string;
    leading: boolean;
    reflectors: ReflectorStatus[];
  }>;
  problems: ClusterConfigProblem[];
}

/**
 * Pod Watch's collection engine: per cluster, a watch led through a lease in the database
 * (exactly one replica watches a cluster; another takes over within about 40 s when the holder
 * dies, at once when it shuts down), plus local tasks that act only on the replica holding it:
 * the periodic full resync and the log tails. Previous-container logs are captured from the
 * pod watch as containers terminate. Retention runs as its own global task.
 */
export class PodWatchEngine {
  readonly holder: string;
  /** turns what the watches store into incidents (pods, Events, workload deletions) */
  readonly incidents: IncidentBuilder;
  private readonly clusters = new Map<string, ClusterRuntime>();
  private campaigns?: { stop: AbortController; done: Promise<void> };

  constructor(
    private readonly options: {
      store: PodWatchStore;
      logger: LoggerService;
      config: PodWatchConfig;
      clusters: ClusterTarget[];
      problems?: ClusterConfigProblem[];
      holder?: string;
      incidents?: Partial<IncidentLifecycleConfig>;
    },
  ) {
    this.holder = options.holder ?? `${os.hostname()}/${process.pid}`;
    this.incidents = new IncidentBuilder({
      store: options.store,
      logger: options.logger,
      config: options.incidents,
    });
    for (const target of options.clusters) {
      const client = new KubeClient(target.kubeConfig);
      this.clusters.set(target.name, {
        target,
        client,
        logs: new LogCollector({
          cluster: target.name,
          client,
          store: options.store,
          logger: options.logger,
          config: options.config,
        }),
      });
    }
  }

  /** Reads clusters and `podWatch` settings; unusable clusters are reported, not fatal. */
  static fromConfig(options: {
    config: Config;
    store: PodWatchStore;
    logger: LoggerService;
  }): PodWatchEngine {
    const { clusters, problems } = readClusters(options.config);
    for (const p of problems) {
      options.logger.error(
        `Pod Watch: cluster "${p.name}" is misconfigured and will not be watched: ${p.error}`,
      );
    }
    if (clusters.length === 0) {
      options.logger.warn(
        'Pod Watch: no clusters configured (kubernetes.clusterLocatorMethods or podWatch.clusters)',
      );
    }
    return new PodWatchEngine({
      store: options.store,
      logger: options.logger,
      config: readPodWatchConfig(options.config),
      clusters,
      problems,
      incidents: readIncidentConfig(options.config),
    });
  }

  get clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  private runtime(name: string): ClusterRuntime {
    const rt = this.clusters.get(name);
    if (!rt) throw new Error(`unknown cluster ${name}`);
    return rt;
  }

  /** Watches one cluster until the signal aborts (the body of the global watch task). */
  async watchCluster(name: string, signal: AbortSignal): Promise<void> {
    const rt = this.runtime(name);
    const { store, logger, config } = this.options;
    const watcher = new ClusterWatcher({
      cluster: name,
      client: rt.client,
      store,
      logger,
      config,
      holder: this.holder,
      onTerminations: t => rt.logs.capture(t),
      wrapHandler: incidentHandlerWrapper({
        cluster: name,
        builder: this.incidents,
        logger,
      }),
    });
    // another replica may have written incidents while this one did not hold the cluster
    await this.incidents
      .refresh()
      .catch(e => logger.warn(`Pod Watch: cannot load open incidents: ${e}`));
    rt.watcher = watcher;
    logger.info(
      `Pod Watch: watching cluster ${name} (${watcher.reflectors.length} streams) on ${this.holder}`,
    );
    try {
      await watcher.run(signal);
    } finally {
      rt.watcher = undefined;
      // what the watch stored is turned into incidents before another replica takes over
      await this.incidents.idle();
      await rt.logs.idle();
      logger.info(`Pod Watch: released cluster ${name}`);
    }
  }

  /** Resolves when every queued incident update and previous-log capture has been done. */
  async idle(): Promise<void> {
    await this.incidents.idle();
    await Promise.all([...this.clusters.values()].map(rt => rt.logs.idle()));
  }

  isLeading(name: string): boolean {
    return Boolean(this.clusters.get(name)?.watcher);
  }

  /** The periodic safety net: relist every kind of a cluster this replica watches. */
  resync(name: string): boolean {
    const watcher = this.clusters.get(name)?.watcher;
    watcher?.resync();
    return Boolean(watcher);
  }

  /** One log-tail run for a cluster this replica watches (per allowed namespace, or `*`). */
  async collectLogs(
    name: string,
    signal?: AbortSignal,
  ): Promise<LogRunSummary[]> {
    const rt = this.runtime(name);
    if (!rt.watcher) return [];
    // every stream down: the API server is unreachable, and one request per container would
    // hammer it while the watches back off
    if (!rt.watcher.status().some(r => r.connected)) {
      this.options.logger.info(
        `Pod Watch: log tails of cluster ${name} skipped, the cluster is unreachable`,
      );
      return [];
    }
    const { allow } = this.options.config.namespaces;
    const scopes = allow.length > 0 ? allow : [undefined];
    const out: LogRunSummary[] = [];
    for (const ns of scopes) {
      if (signal?.aborted) break;
      out.push(await rt.logs.collectTails(ns, signal));
    }
    return out;
  }

  /** Campaigns for every cluster's lease and watches the clusters it wins, until `stop`. */
  start(): void {
    if (this.campaigns) return;
    const { store, logger, config } = this.options;
    const stop = new AbortController();
    const done = Promise.all(
      this.clusterNames.map(name =>
        new LeaseElector({
          store,
          name: `cluster:${name}`,
          holder: this.holder,
          logger,
          timings: {
            leaseMs: config.leadership.leaseSeconds * 1000,
            renewMs: config.leadership.renewSeconds * 1000,
          },
        }).run(stop.signal, signal => this.watchCluster(name, signal)),
      ),
    ).then(() => undefined);
    this.campaigns = { stop, done };
  }

  /** Stops watching and releases the leases, so another replica takes over at once. */
  async stop(): Promise<void> {
    const campaigns = this.campaigns;
    if (!campaigns) return;
    this.campaigns = undefined;
    campaigns.stop.abort();
    await campaigns.done;
  }

  /** Registers the periodic tasks (resync, log tails, incident sweep, retention). */
  async schedule(scheduler: SchedulerService, config: Config): Promise<void> {
    const { schedules } = this.options.config;
    const { logger, store } = this.options;
    for (const name of this.clusters.keys()) {
      await scheduler.scheduleTask({
        id: `pod-watch:resync:${name}`,
        scope: 'local',
        frequency: { minutes: schedules.resyncMinutes },
        initialDelay: { minutes: schedules.resyncMinutes },
        timeout: { minutes: 1 },
        fn: async () => {
          if (this.resync(name))
            logger.info(`Pod Watch: resync of cluster ${name}`);
        },
      });
      await scheduler.scheduleTask({
        id: `pod-watch:logs:${name}`,
        scope: 'local',
        frequency: { seconds: schedules.logsSeconds },
        initialDelay: { seconds: Math.min(60, schedules.logsSeconds) },
        timeout: { minutes: 10 },
        fn: async signal => {
          await this.collectLogs(name, signal);
        },
      });
    }
    // resolves incidents clear for podWatch.incidents.clearAfterSeconds, on the replica that
    // holds the clusters (its builder saw their latest state)
    await scheduler.scheduleTask({
      id: 'pod-watch:incidents',
      scope: 'local',
      frequency: { minutes: 1 },
      initialDelay: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: async () => {
        const leading = this.clusterNames.filter(n => this.isLeading(n));
        if (leading.length === 0) return;
        const { resolved } = await this.incidents.sweep(new Date(), {
          clusters: leading,
        });
        if (resolved > 0)
          logger.info(`Pod Watch: ${resolved} incidents resolved`);
      },
    });
    await scheduleRetention({
      scheduler,
      config,
      logger,
      run: policy => store.applyRetention(policy),
    });
  }

  status(): EngineStatus {
    return {
      holder: this.holder,
      clusters: [...this.clusters.entries()].map(([name, rt]) => ({
        name,
        leading: Boolean(rt.watcher),
        reflectors: rt.watcher?.status() ?? [],
      })),
      problems: this.options.problems ?? [],
    };
  }
}
