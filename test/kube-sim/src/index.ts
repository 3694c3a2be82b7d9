import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SimClock } from './clock';
import { generateTls, SimTls } from './certs';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig';
import { ResourceRegistry } from './resources/registry';
import { ObjectStore } from './store/store';
import { Ledger } from './ledger/ledger';
import { Authorizer, ForbidRule } from './server/auth';
import { Faults } from './faults/faults';
import { WatchHub } from './watch/watch';
import { LogStore } from './logs/logs';
import { SimServer } from './server/server';
import { SimCluster } from './scenarios/cluster';
import {
  SCENARIOS,
  ScenarioDef,
  findScenario,
  ALL_SCENARIOS,
} from './scenarios/catalog';
import { LoadGenerator } from './load/load';

export type { KubeObject, ObjectRef, WatchEventType } from './types';
export type { ForbidRule } from './server/auth';
export type {
  RequestMatch,
  HttpErrorFault,
  ScriptedResponse,
} from './faults/faults';
export type {
  LedgerChange,
  LedgerOccurrence,
  LedgerLogLine,
  ChangeQuery,
} from './ledger/ledger';
export type { Behaviour, WorkloadSpec } from './scenarios/cluster';
export type { ScenarioDef } from './scenarios/catalog';
export type { ResourceType } from './resources/registry';
export { Ledger } from './ledger/ledger';
export { ObjectStore } from './store/store';
export { Faults } from './faults/faults';
export { SimCluster } from './scenarios/cluster';
export { LoadGenerator } from './load/load';
export { SCENARIOS } from './scenarios/catalog';
export {
  labelMatcher,
  fieldMatcher,
  parseLabelSelector,
} from './store/selectors';
export { renderKubeconfig } from './kubeconfig';
export { podStatusColumn } from './server/table';

export interface KubeSimOptions {
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /** Listen address; loopback only by default. */
  host?: string;
  /** Bearer token clients must send; random when omitted. */
  token?: string;
  /** Scenario name(s) to start ('all' for every one). */
  scenario?: string | string[];
  /** Simulated seconds per wall second (e.g. 60: a minute of cluster life per second). */
  timeScale?: number;
  /**
   * 'simulated' (default): timestamps follow simulated time, so with timeScale > 1 they run
   * ahead of the wall clock; 'wall': timestamps are wall-clock time, timers stay accelerated.
   */
  timestamps?: 'simulated' | 'wall';
  /** Changes kept for watches / consistent lists; older resourceVersions get 410. */
  historyWindow?: number;
  /** Write the kubeconfig here (a temp file is written when omitted). */
  kubeconfigPath?: string;
  /** Requests matching these rules get 403 Forbidden. */
  forbid?: ForbidRule[];
  /** Wall ms between watch BOOKMARKs (real apiserver: ~60 s). */
  bookmarkIntervalMs?: number;
  /** Server-chosen watch end when the client sets no timeoutSeconds (real: 1800 s). */
  minRequestTimeoutSeconds?: number;
  /** 'random' writes watch events in arbitrary chunk boundaries. */
  watchChunking?: 'lines' | 'random';
  /** Continue tokens older than this get 410 Expired (real: etcd compaction, ~5 min). */
  continueTtlMs?: number;
  /** Nodes to create (default 3: node-1 … node-3). */
  nodes?: number;
  /** Reuse a TLS identity (CA + serving cert). */
  tls?: SimTls;
  /** Ledger size cap per list (changes, occurrences, log lines); default 2,000,000. */
  ledgerMaxEntries?: number;
  /** Events older than this (simulated seconds since lastTimestamp) are deleted, like --event-ttl (default 3600). */
  eventTtlSeconds?: number;
}

export interface KubeSim {
  url: string;
  port: number;
  token: string;
  caPem: string;
  kubeconfigPath: string;
  kubeconfigYaml: string;
  clock: SimClock;
  store: ObjectStore;
  ledger: Ledger;
  faults: Faults;
  auth: Authorizer;
  logs: LogStore;
  cluster: SimCluster;
  load: LoadGenerator;
  scenarios: {
    list(): ScenarioDef[];
    /** Starts a scenario (objects appear at once, lifecycles follow in sim time). */
    run(name: string): ScenarioDef[];
  };
  /** Number of open watch streams. */
  openWatches(): number;
  close(): Promise<void>;
}

/** Starts an in-process simulated kube-apiserver with a simulated cluster behind it. */
export async function startKubeSim(
  options: KubeSimOptions = {},
): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('hex');
  const tls = options.tls ?? generateTls();
  const clock = new SimClock(
    options.timeScale ?? 1,
    options.timestamps ?? 'simulated',
  );
  const registry = new ResourceRegistry();
  const store = new ObjectStore(registry, {
    historyWindow: options.historyWindow,
    now: () => clock.nowIso(),
  });
  const ledger = new Ledger(() => clock.nowIso(), options.ledgerMaxEntries);
  store.subscribe(e => ledger.recordChange(e));
  const hub = new WatchHub();
  const faults = new Faults(hub, store);
  const auth = new Authorizer(token);
  for (const r of options.forbid ?? []) auth.forbid(r);
  const logs = new LogStore();
  const cluster = new SimCluster(store, logs, clock, ledger, {
    eventTtlSeconds: options.eventTtlSeconds,
  });
  const load = new LoadGenerator(store, cluster);

  const server = new SimServer(
    {
      store,
      auth,
      faults,
      hub,
      logs,
      clock,
      watch: {
        bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60000,
        minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
        chunking: options.watchChunking ?? 'lines',
        maxBufferedBytes: 256 * 1024 * 1024,
      },
      continueTtlMs: options.continueTtlMs ?? 5 * 60 * 1000,
      onDeletePod: (pod, grace) => cluster.deletePodViaApi(pod, grace),
    },
    tls,
  );
  const port = await server.listen(options.port ?? 0, host);
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // base cluster: system namespaces and nodes
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
    cluster.ensureNamespace(ns);
  for (let i = 1; i <= (options.nodes ?? 3); i++) cluster.addNode(`node-${i}`);

  const kubeconfigYaml = renderKubeconfig({
    server: url,
    caPem: tls.caPem,
    token,
  });
  let tmpDir: string | undefined;
  let kubeconfigPath = options.kubeconfigPath;
  if (!kubeconfigPath) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-'));
    kubeconfigPath = path.join(tmpDir, 'kubeconfig');
  }
  writeKubeconfig(kubeconfigPath, kubeconfigYaml);

  const run = (name: string): ScenarioDef[] => {
    const defs = name === ALL_SCENARIOS ? SCENARIOS : [findScenario(name)];
    if (defs.some(d => !d)) {
      throw new Error(
        `unknown scenario "${name}"; known: ${SCENARIOS.map(s => s.name).join(
          ', ',
        )}, ${ALL_SCENARIOS}`,
      );
    }
    for (const d of defs as ScenarioDef[]) {
      cluster.ensureNamespace(d.namespace);
      d.setup(cluster, d.namespace);
    }
    return defs as ScenarioDef[];
  };
  const initial = options.scenario ? [options.scenario].flat() : [];
  try {
    initial.forEach(run);
  } catch (e) {
    await server.close();
    clock.close();
    throw e;
  }

  return {
    url,
    port,
    token,
    caPem: tls.caPem,
    kubeconfigPath,
    kubeconfigYaml,
    clock,
    store,
    ledger,
    faults,
    auth,
    logs,
    cluster,
    load,
    scenarios: { list: () => [...SCENARIOS], run },
    openWatches: () => hub.streams.size,
    async close() {
      load.stopChurn();
      cluster.close();
      clock.close();
      await server.close();
      if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
