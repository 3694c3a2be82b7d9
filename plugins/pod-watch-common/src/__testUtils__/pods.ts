import type {
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
} from '@kubernetes/client-node';

/** Fixed evaluation time for unit tests. */
export const NOW = new Date('2026-01-01T12:00:00Z');

/** ISO time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString();
}

export function running(
  name: string,
  opts: Partial<V1ContainerStatus> & { since?: number } = {},
): V1ContainerStatus {
  const { since = 3600, ...rest } = opts;
  return {
    name,
    image: `${name}:1`,
    imageID: '',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: ago(since) as unknown as Date } },
    ...rest,
  };
}

export function waiting(
  name: string,
  reason: string,
  opts: Partial<V1ContainerStatus> = {},
): V1ContainerStatus {
  return {
    name,
    image: `${name}:1`,
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason, message: `${reason} message` } },
    ...opts,
  };
}

export function terminated(
  name: string,
  exitCode: number,
  reason?: string,
  opts: Partial<V1ContainerStatus> & { signal?: number } = {},
): V1ContainerStatus {
  const { signal, ...rest } = opts;
  return {
    name,
    image: `${name}:1`,
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: {
      terminated: {
        exitCode,
        reason,
        signal,
        finishedAt: ago(60) as unknown as Date,
      },
    },
    ...rest,
  };
}

/** A last termination `secondsAgo` before NOW. */
export function lastTerminated(
  secondsAgo: number,
  reason = 'Error',
  exitCode = 1,
) {
  return {
    terminated: {
      exitCode,
      reason,
      finishedAt: ago(secondsAgo) as unknown as Date,
    },
  };
}

export interface PodOpts {
  phase?: string;
  reason?: string;
  message?: string;
  containers?: V1ContainerStatus[];
  initContainers?: V1ContainerStatus[];
  /** Names of init containers that are sidecars (restartPolicy Always). */
  sidecars?: string[];
  ready?: boolean;
  conditions?: V1PodCondition[];
  startedAgo?: number;
  deletedAgo?: number;
  restartPolicy?: string;
  spec?: Partial<NonNullable<V1Pod['spec']>>;
}

/** Builds a Pod the way the API server would return it (times as strings). */
export function makePod(opts: PodOpts = {}): V1Pod {
  const containers = opts.containers ?? [running('app')];
  const inits = opts.initContainers ?? [];
  const ready = opts.ready ?? containers.every(c => c.ready);
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d9c-abcde',
      namespace: 'shop',
      uid: 'uid-1',
      creationTimestamp: ago(opts.startedAgo ?? 7200) as unknown as Date,
    },
    spec: {
      restartPolicy: opts.restartPolicy ?? 'Always',
      containers: containers.map(c => ({ name: c.name, image: c.image })),
      initContainers: inits.length
        ? inits.map(c => ({
            name: c.name,
            image: c.image,
            ...(opts.sidecars?.includes(c.name)
              ? { restartPolicy: 'Always' }
              : {}),
          }))
        : undefined,
      ...opts.spec,
    },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: ago(opts.startedAgo ?? 7200) as unknown as Date,
      conditions: opts.conditions ?? [
        { type: 'Initialized', status: 'True' },
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: ago(opts.startedAgo ?? 7200) as unknown as Date,
        },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: containers,
      initContainerStatuses: inits.length ? inits : undefined,
    },
  };
  if (opts.reason) pod.status!.reason = opts.reason;
  if (opts.message) pod.status!.message = opts.message;
  if (opts.deletedAgo !== undefined) {
    pod.metadata!.deletionTimestamp = ago(opts.deletedAgo) as unknown as Date;
    pod.metadata!.deletionGracePeriodSeconds = 30;
  }
  return pod;
}
