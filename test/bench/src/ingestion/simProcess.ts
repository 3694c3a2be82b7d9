/**
 * Parent side of simChild.ts: starts the simulator in a child process and talks to it over IPC.
 * The ingestion and resync sections both use it: on 2 cores, a simulator on the benchmark's own
 * event loop would serialise its list pages and watch events between the ingester's batches and
 * charge that time to Pod Watch.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { LoadGenerator } from '@pod-watch/kube-sim';
import { kubeConfigForServer } from '@pod-watch/plugin-pod-watch-backend/src/clusters/clusterConfig';
import { KubeClient } from '@pod-watch/plugin-pod-watch-backend/src/clusters/KubeClient';

export type SimRequest =
  | { op: 'createPods'; args: Parameters<LoadGenerator['createPods']>[0] }
  | { op: 'startChurn'; args: Parameters<LoadGenerator['startChurn']>[0] }
  | { op: 'stopChurn' }
  | { op: 'resourceVersion' }
  /** wall time of every change after sinceRv in these storages (e.g. core/pods) */
  | { op: 'changes'; args: { sinceRv: number; storages: string[] } }
  /** uid → resourceVersion of the current objects of a storage */
  | { op: 'versions'; args: { storage: string } };

type Replies = {
  createPods: ReturnType<LoadGenerator['createPods']>;
  startChurn: null;
  stopChurn: ReturnType<LoadGenerator['stats']>;
  resourceVersion: number;
  changes: { rv: number[]; wallMs: number[] };
  versions: Record<string, string>;
};

export interface SimProcess {
  url: string;
  token: string;
  caPem: string;
  /** a client through the production path (config cluster → KubeConfig → KubeClient) */
  client(): KubeClient;
  request<R extends SimRequest>(req: R): Promise<Replies[R['op']]>;
  close(): Promise<void>;
}

export async function startSimProcess(): Promise<SimProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'simChild.ts'), [], {
    cwd: path.resolve(__dirname, '..', '..'),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  const ready = await new Promise<{
    url: string;
    token: string;
    caPem: string;
  }>((resolve, reject) => {
    child.once('exit', code =>
      reject(new Error(`kube-sim child exited (${code}) before it was ready`)),
    );
    child.on('message', (msg: any) => {
      if (msg.ready) {
        resolve(msg.ready);
        return;
      }
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`kube-sim child: ${msg.error}`));
      else p?.resolve(msg.result);
    });
  });
  child.on('exit', code => {
    for (const p of pending.values())
      p.reject(new Error(`kube-sim child exited (${code})`));
    pending.clear();
  });
  return {
    ...ready,
    client: () =>
      new KubeClient(
        kubeConfigForServer({
          name: 'bench-sim',
          url: ready.url,
          token: ready.token,
          caData: Buffer.from(ready.caPem).toString('base64'),
        }),
      ),
    request: req =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        child.send({ id, req });
      }),
    close: () =>
      new Promise(resolve => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
