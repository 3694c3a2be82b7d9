import { mockServices } from '@backstage/backend-test-utils';
import { KubeSim, startKubeSim, KubeSimOptions } from '@pod-watch/kube-sim';
import { Knex } from 'knex';
import { kubeConfigForServer } from '../../clusters/clusterConfig';
import { KubeClient } from '../../clusters/KubeClient';
import {
  POD_WATCH_DEFAULTS,
  PodWatchConfig,
} from '../../clusters/podWatchConfig';
import type { PodWatchStore } from '../../store';

/** A simulator and a client for it through the same path production uses (config cluster). */
export async function startSim(options: KubeSimOptions = {}) {
  const sim = await startKubeSim({
    port: 0,
    bookmarkIntervalMs: 200,
    ...options,
  });
  const kubeConfig = kubeConfigForServer({
    name: 'sim',
    url: sim.url,
    token: sim.token,
    caData: Buffer.from(sim.caPem).toString('base64'),
  });
  return { sim, client: new KubeClient(kubeConfig), kubeConfig };
}

/** Fast settings for tests: small pages, short timeouts, millisecond backoff. */
export const TEST_WATCH_SETTINGS: PodWatchConfig['watch'] = {
  ...POD_WATCH_DEFAULTS.watch,
  pageSize: 3,
  timeoutSeconds: 30,
  inactivityTimeoutSeconds: 5,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
};

export const testLogger = () => mockServices.logger.mock();

export function simPod(
  name: string,
  namespace: string,
  extra: Record<string, any> = {},
): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      containers: [{ name: 'app', image: 'busybox' }],
      nodeName: 'node-1',
    },
    status: { phase: 'Running' },
    ...extra,
  };
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** Live objects of a table for a cluster: uid → resourceVersion. */
export async function storedVersions(
  knex: Knex,
  table: 'pods' | 'workloads' | 'watched_objects',
  cluster: string,
  where: Record<string, unknown> = {},
): Promise<Record<string, string>> {
  const rows = await knex(table)
    .where({ cluster, ...where })
    .whereNull('deleted_at');
  return Object.fromEntries(rows.map((r: any) => [r.uid, r.resource_version]));
}

/** The simulator's current objects of a storage id: uid → resourceVersion. */
export function simVersions(
  sim: KubeSim,
  storage: string,
  filter: (o: any) => boolean = () => true,
): Record<string, string> {
  return Object.fromEntries(
    sim.store
      .listIn(storage)
      .filter(filter)
      .map(o => [o.metadata.uid!, o.metadata.resourceVersion!]),
  );
}

/** Waits until the store's live objects equal the simulator's (uids and resourceVersions). */
export async function expectInSync(
  knex: Knex,
  sim: KubeSim,
  cluster: string,
  table: 'pods' | 'workloads' | 'watched_objects',
  storage: string,
  options: {
    where?: Record<string, unknown>;
    filter?: (o: any) => boolean;
    timeoutMs?: number;
  } = {},
) {
  let stored: Record<string, string> = {};
  let expected: Record<string, string> = {};
  try {
    await waitFor(
      async () => {
        stored = await storedVersions(knex, table, cluster, options.where);
        expected = simVersions(sim, storage, options.filter);
        return (
          JSON.stringify(sortKeys(stored)) ===
          JSON.stringify(sortKeys(expected))
        );
      },
      options.timeoutMs ?? 10_000,
      `${table} in sync`,
    );
  } catch (e) {
    expect(sortKeys(stored)).toEqual(sortKeys(expected));
    throw e;
  }
}

function sortKeys(o: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(o).sort(([a], [b]) => a.localeCompare(b)),
  );
}

export type { PodWatchStore };
