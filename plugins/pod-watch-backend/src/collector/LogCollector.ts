import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeApiError, KubeClient } from '../clusters/KubeClient';
import { redactKnownCredentials } from '../clusters/redactCredentials';
import { isNamespaceWatched, PodWatchConfig } from '../clusters/podWatchConfig';
import type { ContainerRow, PodRow, PodWatchStore } from '../store';
import { LOG_LINE_BYTES } from '../store/logs';
import type { ContainerTermination } from '../watch/handlers';
import {
  LogRead,
  logSecond,
  nextLogSecond,
  parseLogRead,
  TimedLine,
  toLogLineInputs,
  TRUNCATED_MARK,
} from './logLines';

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

/** The larger limit of the one read that tries to get a line longer than limitBytes whole. */
export const LONG_LINE_READ_BYTES = 4 * 1024 * 1024;
/** Bounds the memory of skipped long lines (entries of gone pods are never looked up again). */
const MAX_SKIPPED = 10_000;

const skipKey = (t: LogTarget) =>
  `${t.podUid}\u0000${t.container}\u0000${t.instance}`;

/**
 * Container logs of one cluster: the recent tail of every running container in watched
 * namespaces (scheduled), and the logs of a container instance that just terminated (from
 * the pod watch) before the kubelet discards them at the next restart. Lines are redacted,
 * classified, folded and fingerprinted before they are stored; re-reading overlapping lines is
 * harmless (the store ignores lines it already has).
 */
export class LogCollector {
  private readonly queue: ContainerTermination[] = [];
  /** per container instance: the second of a line too long to read, which reads start after */
  private readonly skipped = new Map<string, string>();
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

  /** One read of a container instance's log; undefined when there is nothing to read. */
  private async read(
    target: LogTarget,
    sinceTime: string | undefined,
    limitBytes: number,
    signal?: AbortSignal,
  ): Promise<LogRead | undefined> {
    const { client, config } = this.options;
    try {
      const body = await client.getText(
        `/api/v1/namespaces/${encodeURIComponent(
          target.namespace,
        )}/pods/${encodeURIComponent(target.podName)}/log`,
        {
          container: target.container,
          previous: target.previous || undefined,
          timestamps: true,
          tailLines: config.logs.tailLines,
          limitBytes,
          sinceTime,
        },
        signal,
      );
      return parseLogRead(body, new Date().toISOString(), limitBytes);
    } catch (e) {
      // 400: container not started / no previous instance; 404: pod gone. Nothing to read.
      if (e instanceof KubeApiError && [400, 404].includes(e.status))
        return undefined;
      throw e;
    }
  }

  /**
   * limitBytes cut a read that started in the second of its newest line: every later read
   * from that second would be cut at the same line, for good. Like Fluent Bit's tail input, which grows
   * its buffer up to Buffer_Max_Size for a long line and skips a longer one (Skip_Long_Lines),
   * read the same window once more with a larger limit; if even that cuts the same line, keep
   * the start of it marked truncated (the store keeps 16 KiB of a line anyway) and go on from
   * the next second. The kubelet's sinceTime has whole seconds, so nothing finer can start
   * after the line: lines written after it within the same second are lost, lines before it
   * are stored already (re-read lines are ignored by the store).
   */
  private async readPastCut(
    target: LogTarget,
    since: string | undefined,
    cut: LogRead,
    signal?: AbortSignal,
  ): Promise<TimedLine[]> {
    const { limitBytes } = this.options.config.logs;
    const wide = await this.read(
      target,
      since,
      Math.max(LONG_LINE_READ_BYTES, limitBytes),
      signal,
    );
    if (!wide?.cutLine || wide.lines.length > cut.lines.length) {
      return wide?.lines ?? cut.lines;
    }
    const long = {
      at: wide.cutLine.at,
      // no need to redact and fold megabytes the store cuts to LOG_LINE_BYTES anyway
      text: wide.cutLine.text.slice(0, LOG_LINE_BYTES) + TRUNCATED_MARK,
    };
    if (this.skipped.size > MAX_SKIPPED) this.skipped.clear();
    this.skipped.set(skipKey(target), logSecond(long.at));
    const after = await this.read(
      target,
      nextLogSecond(long.at),
      limitBytes,
      signal,
    );
    return [...wide.lines, long, ...(after?.lines ?? [])];
  }

  /** Where a live read starts: the second of the newest stored line, or after a skipped one. */
  private async sinceOf(target: LogTarget): Promise<string | undefined> {
    const { store, cluster } = this.options;
    const last = await store.lastLogTime({
      cluster,
      podUid: target.podUid,
      container: target.container,
      instance: target.instance,
    });
    if (last === undefined) return undefined;
    const skipped = this.skipped.get(skipKey(target));
    if (skipped !== undefined && logSecond(last) <= skipped) {
      return nextLogSecond(skipped);
    }
    this.skipped.delete(skipKey(target));
    return logSecond(last);
  }

  /** Reads one container instance's logs into the store; returns lines stored. */
  private async collect(
    target: LogTarget,
    signal?: AbortSignal,
  ): Promise<number> {
    const { store, cluster, config } = this.options;
    // the API server passes sinceTime to the kubelet in whole seconds: ask for just that, so
    // every cluster (and the simulator) reads the same window
    const since = target.previous ? undefined : await this.sinceOf(target);
    const first = await this.read(
      target,
      since,
      config.logs.limitBytes,
      signal,
    );
    if (!first) return 0;
    // the next run starts at the second of the newest line read: a later second than this
    // read started at gets nearer the cut line, the same second would be cut there again (and
    // a previous instance is read once)
    const { lines: read } = first;
    const stuck =
      first.cut &&
      (target.previous ||
        read.length === 0 ||
        logSecond(read[read.length - 1].at) <=
          (since ?? logSecond(read[0].at)));
    const lines = stuck
      ? await this.readPastCut(target, since, first, signal)
      : first.lines;
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

  /** An error for the log: never with the cluster's credentials in it. */
  private errorText(e: unknown) {
    return redactKnownCredentials(String(e), this.options.client.kubeConfig);
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
            `Pod Watch: cannot capture logs of ${t.namespace}/${t.podName}/${
              t.container
            }#${t.instance}: ${this.errorText(e)}`,
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
              `Pod Watch: cannot read logs of ${t.namespace}/${t.podName}/${
                t.container
              }: ${this.errorText(e)}`,
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
