/**
 * Two Pod Watch replicas as real child processes on one database, each behind its own recording
 * proxy in front of the same simulator. A request is attributed to a replica by the proxy it
 * went through (no guessing from source ports): the slot keeps its proxy when the process in it
 * is killed and replaced.
 */
import os from 'node:os';
import type { JsonObject } from '@backstage/config';
import type { KubeSim } from '@pod-watch/kube-sim';
import type { Knex } from 'knex';
import { ApiServerProxy, startApiServerProxy } from '../restart/apiServerProxy';
import { BackendProcess, spawnBackend } from '../restart/backendProcess';
import { clusterConfig } from '../restart/podWatchBackend';

export interface ReplicaSlot {
  name: string;
  proxy: ApiServerProxy;
  /** the process in the slot now (undefined between a stop and the next spawn) */
  process?: BackendProcess;
  /** every process that ran in the slot, with its lease holder id */
  history: Array<{ pid: number; holder: string; from: number; to?: number }>;
}

/** The engine's default lease holder id (PodWatchEngine: `hostname/pid`). */
export const holderOfPid = (pid: number) => `${os.hostname()}/${pid}`;

export async function startReplicaSlots(o: {
  names: string[];
  sim: KubeSim;
  tls: { certPem: string; keyPem: string };
  cluster: string;
  database: Knex.Config;
  podWatch: JsonObject;
}) {
  const slots: ReplicaSlot[] = [];
  for (const name of o.names) {
    const proxy = await startApiServerProxy({
      url: o.sim.url,
      caPem: o.sim.caPem,
      tls: o.tls,
    });
    slots.push({ name, proxy, history: [] });
  }
  const ended = (slot: ReplicaSlot) => {
    const last = slot.history[slot.history.length - 1];
    if (last && last.to === undefined) last.to = Date.now();
    slot.process = undefined;
  };
  return {
    slots,
    /** starts a new process in the slot (same cluster name and database, own proxy) */
    spawn(slot: ReplicaSlot): BackendProcess {
      const child = spawnBackend({
        database: o.database,
        config: {
          kubernetes: clusterConfig(o.cluster, {
            ...o.sim,
            url: slot.proxy.url,
          }),
          podWatch: o.podWatch,
        },
      });
      slot.process = child;
      slot.history.push({
        pid: child.pid,
        holder: holderOfPid(child.pid),
        from: Date.now(),
      });
      return child;
    },
    async kill9(slot: ReplicaSlot) {
      await slot.process?.kill9();
      ended(slot);
    },
    /** SIGTERM; resolves with the exit code */
    async terminate(slot: ReplicaSlot): Promise<number | null | undefined> {
      const code = await slot.process?.terminate();
      ended(slot);
      return code;
    },
    /** the holder id of the process that was in the slot at `at` */
    holderAt(slot: ReplicaSlot, at: number): string | undefined {
      return slot.history.find(h => h.from <= at && (h.to ?? Infinity) >= at)
        ?.holder;
    },
    async close() {
      for (const slot of slots) {
        await slot.process?.kill9();
        await slot.proxy.close();
      }
    },
  };
}

export type ReplicaSlots = Awaited<ReturnType<typeof startReplicaSlots>>;
