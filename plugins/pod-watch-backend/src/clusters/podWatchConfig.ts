import type { Config } from '@backstage/config';

/** A custom resource to watch, addressed like the API does: group/version/plural. */
export interface CustomResourceKind {
  group: string;
  version: string;
  plural: string;
  /** the object kind (for history and display); derived from the plural when omitted */
  kind?: string;
  namespaced: boolean;
}

/** `podWatch.*` with every default applied. See config.d.ts for the documentation. */
export interface PodWatchConfig {
  namespaces: { allow: string[]; deny: string[] };
  kinds: string[];
  customResources: CustomResourceKind[];
  logs: {
    enabled: boolean;
    tailLines: number;
    limitBytes: number;
    previous: boolean;
    concurrency: number;
  };
  schedules: {
    resyncMinutes: number;
    logsSeconds: number;
  };
  /** one replica per cluster holds a lease in the database and watches it */
  leadership: {
    leaseSeconds: number;
    renewSeconds: number;
  };
  watch: {
    pageSize: number;
    timeoutSeconds: number;
    inactivityTimeoutSeconds: number;
    backoffInitialMs: number;
    backoffMaxMs: number;
  };
}

/** The built-in kinds, by the id used in `podWatch.kinds` and in the sync state. */
export const BUILTIN_KINDS = [
  'pods',
  'events',
  'events.k8s.io/events',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'endpointslices',
] as const;

/** core/v1 Events only by default: events.k8s.io/v1 serves the same objects a second time. */
export const DEFAULT_KINDS = BUILTIN_KINDS.filter(
  k => k !== 'events.k8s.io/events',
);

export const POD_WATCH_DEFAULTS: PodWatchConfig = {
  namespaces: { allow: [], deny: [] },
  kinds: [...DEFAULT_KINDS],
  customResources: [],
  logs: {
    enabled: true,
    tailLines: 200,
    limitBytes: 256 * 1024,
    previous: true,
    concurrency: 4,
  },
  schedules: {
    resyncMinutes: 30,
    logsSeconds: 60,
  },
  leadership: {
    leaseSeconds: 30,
    renewSeconds: 5,
  },
  watch: {
    pageSize: 500,
    timeoutSeconds: 300,
    inactivityTimeoutSeconds: 120,
    backoffInitialMs: 800,
    backoffMaxMs: 30_000,
  },
};

function positive(c: Config | undefined, key: string, fallback: number) {
  const value = c?.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`podWatch.${key} must be a positive number`);
  }
  return value;
}

/** Reads and validates `podWatch` (throws with the offending key on invalid values). */
export function readPodWatchConfig(config: Config): PodWatchConfig {
  const c = config.getOptionalConfig('podWatch');
  const d = POD_WATCH_DEFAULTS;
  const kinds = c?.getOptionalStringArray('kinds') ?? d.kinds;
  const unknown = kinds.filter(
    k => !(BUILTIN_KINDS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    throw new Error(
      `podWatch.kinds: unknown kind(s) ${unknown.join(
        ', ',
      )}; known: ${BUILTIN_KINDS.join(
        ', ',
      )} (custom resources go in podWatch.customResources)`,
    );
  }
  const customResources = (
    c?.getOptionalConfigArray('customResources') ?? []
  ).map(r => ({
    group: r.getString('group'),
    version: r.getString('version'),
    plural: r.getString('plural'),
    kind: r.getOptionalString('kind'),
    namespaced: r.getOptionalBoolean('namespaced') ?? true,
  }));
  const int = (key: string, fallback: number) =>
    Math.trunc(positive(c, key, fallback));
  return {
    namespaces: {
      allow: c?.getOptionalStringArray('namespaces.allow') ?? [],
      deny: c?.getOptionalStringArray('namespaces.deny') ?? [],
    },
    kinds,
    customResources,
    logs: {
      enabled: c?.getOptionalBoolean('logs.enabled') ?? d.logs.enabled,
      tailLines: int('logs.tailLines', d.logs.tailLines),
      limitBytes: int('logs.limitBytes', d.logs.limitBytes),
      previous: c?.getOptionalBoolean('logs.previous') ?? d.logs.previous,
      concurrency: int('logs.concurrency', d.logs.concurrency),
    },
    schedules: {
      resyncMinutes: positive(
        c,
        'schedules.resyncMinutes',
        d.schedules.resyncMinutes,
      ),
      logsSeconds: positive(
        c,
        'schedules.logsSeconds',
        d.schedules.logsSeconds,
      ),
    },
    leadership: readLeadership(c),
    watch: {
      pageSize: int('watch.pageSize', d.watch.pageSize),
      timeoutSeconds: positive(
        c,
        'watch.timeoutSeconds',
        d.watch.timeoutSeconds,
      ),
      inactivityTimeoutSeconds: positive(
        c,
        'watch.inactivityTimeoutSeconds',
        d.watch.inactivityTimeoutSeconds,
      ),
      backoffInitialMs: positive(
        c,
        'watch.backoffInitialMs',
        d.watch.backoffInitialMs,
      ),
      backoffMaxMs: positive(c, 'watch.backoffMaxMs', d.watch.backoffMaxMs),
    },
  };
}

/** Whether a namespace is watched under the allow / deny lists (deny wins). */
export function isNamespaceWatched(
  namespaces: PodWatchConfig['namespaces'],
  namespace: string | undefined,
): boolean {
  if (namespace === undefined) return true;
  if (namespaces.deny.includes(namespace)) return false;
  return namespaces.allow.length === 0 || namespaces.allow.includes(namespace);
}

function readLeadership(c: Config | undefined): PodWatchConfig['leadership'] {
  const d = POD_WATCH_DEFAULTS.leadership;
  const leaseSeconds = positive(c, 'leadership.leaseSeconds', d.leaseSeconds);
  const renewSeconds = positive(c, 'leadership.renewSeconds', d.renewSeconds);
  // the holder must renew several times within a lease, or a slow renewal hands it over
  if (renewSeconds * 3 > leaseSeconds) {
    throw new Error(
      `podWatch.leadership.renewSeconds (${renewSeconds}) must be at most a third of leaseSeconds (${leaseSeconds})`,
    );
  }
  return { leaseSeconds, renewSeconds };
}
