import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeApiError, KubeClient } from '../clusters/KubeClient';
import { isNamespaceWatched, PodWatchConfig } from '../clusters/podWatchConfig';
import type { ContainerRow, PodRow, PodWatchStore } from '../store';
import type { ContainerTermination } from '../watch/handlers';
import { parseTimestampedLogs, toLogLineInputs } from './logLines';

/** Counters of one collection run, as logged in the `Sync complete` line. */
export interface LogRunSummary {
  cluster: string;
  namespace: string;
  pods: number;
  containers: number;
  logs: number;
  durationMs: number;
}

/** One container instance to read: a termination from the pod watch, or a running container. */
type LogTarget = Omit<ContainerTermination, 'cluster' | 'finishedAt'>;

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

const PAGE = 2000;

/**
 * Container logs of one cluster: the recent tail of every running container in watched
 * namespaces (scheduled), and the logs of a container instance that just terminated (from
 * the pod watch) before the kubelet discards them at the next restart. Lines are redacted,
 * classified, folded and fingerprinted before they are stored; re-reading overlapping lines is
 * harmless (the store ignores lines it already has).
 */
export class LogCollector {
  private readonly queue: ContainerTermination[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly options: {
      cluster: string;
      client: KubeClient;
      store: PodWatchStore;
      logger: LoggerService;
      config: Pick<PodWatchConfig, 'logs' | 'namespaces'>;
    },
  ) {}

  /** Reads one container instance's logs into the store; returns lines stored. */
  private async collect(
    target: LogTarget,
    signal?: AbortSignal,
  ): Promise<number> {
    const { client, store, cluster, config } = this.options;
    let since: string | undefined;
    if (!target.previous) {
      since = await store.lastLogTime({
        cluster,
        podUid: target.podUid,
        container: target.container,
        instance: target.instance,
      });
    }
    let body: string;
    try {
      body = await client.getText(
        `/api/v1/namespaces/${encodeURIComponent(
          target.namespace,
        )}/pods/${encodeURIComponent(target.podName)}/log`,
        {
          container: target.container,
          previous: target.previous || undefined,
          timestamps: true,
          tailLines: config.logs.tailLines,
          limitBytes: config.logs.limitBytes,
          sinceTime: since,
        },
        signal,
      );
    } catch (e) {
      // 400: container not started / no previous instance; 404: pod gone. Nothing to read.
      if (e instanceof KubeApiError && [400, 404].includes(e.status)) return 0;
      throw e;
    }
    const lines = parseTimestampedLogs(body, new Date().toISOString());
    if (lines.length === 0) return 0;
    if (!target.previous && (await this.restartedSince(target))) {
      // the container restarted while we read: the lines may be the next instance's
      return 0;
    }
    await store.insertLogLines(
      toLogLineInputs(lines, {
        cluster,
        namespace: target.namespace,
        podUid: target.podUid,
        podName: target.podName,
        container: target.container,
        instance: target.instance,
        source: target.previous ? 'previous' : 'live',
      }),
    );
    return lines.length;
  }

  private async restartedSince(target: LogTarget): Promise<boolean> {
    const [container] = (
      await this.options.store.listContainers(this.options.cluster, [
        target.podUid,
      ])
    ).filter(c => c.name === target.container);
    return (
      container !== undefined && container.restartCount !== target.instance
    );
  }

  /** Queues captures of terminated container instances (called from the pod watch). */
  capture(terminations: readonly ContainerTermination[]) {
    if (!this.options.config.logs.enabled || !this.options.config.logs.previous)
      return;
    this.queue.push(
      ...terminations.filter(t =>
        isNamespaceWatched(this.options.config.namespaces, t.namespace),
      ),
    );
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
      });
    }
  }

  /** Resolves when every queued capture has been attempted. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      await pool(batch, this.options.config.logs.concurrency, async t => {
        try {
          await this.collect(t);
        } catch (e) {
          this.options.logger.warn(
            `Pod Watch: cannot capture logs of ${t.namespace}/${t.podName}/${t.container}#${t.instance}: ${e}`,
          );
        }
      });
    }
  }

  /** Live pods of the cluster (optionally one namespace) from the store, in pages. */
  private async livePods(namespace?: string): Promise<PodRow[]> {
    const { store, cluster } = this.options;
    const out: PodRow[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.listPodsForSelector({
        selector: [],
        clusters: [cluster],
        namespaces: namespace ? [namespace] : undefined,
        limit: PAGE,
        offset,
      });
      out.push(...page.items);
      if (page.items.length < PAGE) return out;
    }
  }

  /**
   * One tail run over the running containers of watched namespaces (one namespace, or all
   * when omitted). Logs `Sync complete …` and returns the counters.
   */
  async collectTails(
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<LogRunSummary> {
    const started = Date.now();
    const { store, cluster, config, logger } = this.options;
    const pods = (await this.livePods(namespace)).filter(p =>
      isNamespaceWatched(config.namespaces, p.namespace),
    );
    const containers: ContainerRow[] = [];
    for (let i = 0; i < pods.length; i += 500) {
      containers.push(
        ...(await store.listContainers(
          cluster,
          pods.slice(i, i + 500).map(p => p.uid),
        )),
      );
    }
    const byUid = new Map(pods.map(p => [p.uid, p]));
    const targets: LogTarget[] = containers
      .filter(c => c.state === 'running')
      .map(c => {
        const pod = byUid.get(c.podUid)!;
        return {
          namespace: pod.namespace,
          podName: pod.name,
          podUid: pod.uid,
          container: c.name,
          instance: c.restartCount,
          previous: false,
        };
      });
    let logs = 0;
    if (config.logs.enabled) {
      await pool(targets, config.logs.concurrency, async t => {
        if (signal?.aborted) return;
        try {
          logs += await this.collect(t, signal);
        } catch (e) {
          if (!signal?.aborted) {
            logger.warn(
              `Pod Watch: cannot read logs of ${t.namespace}/${t.podName}/${t.container}: ${e}`,
            );
          }
        }
      });
    }
    const summary: LogRunSummary = {
      cluster,
      namespace: namespace ?? '*',
      pods: pods.length,
      containers: targets.length,
      logs,
      durationMs: Date.now() - started,
    };
    logger.info(
      `Sync complete cluster=${summary.cluster} namespace=${summary.namespace} pods=${summary.pods} containers=${summary.containers} logs=${summary.logs} durationMs=${summary.durationMs}`,
    );
    return summary;
  }
}
