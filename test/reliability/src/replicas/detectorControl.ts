/**
 * Control for the "one watcher" instruments: a third replica on a database of its own holds a
 * lease of its own, so it watches the cluster alongside the current leader. The same sampler,
 * summary and exact overlap that must report nothing for the two real replicas must report it
 * here; otherwise their silence proves nothing.
 */
import type { JsonObject } from '@backstage/config';
import type { KubeSim } from '@pod-watch/kube-sim';
import { openScratchDatabase } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { Knex } from 'knex';
import { ReplicaSlot, ReplicaSlots, startReplicaSlots } from './replicaSlots';
import {
  busySpans,
  openWatches,
  overlap,
  startWatchSampler,
  summarizeTimeline,
  TimelineSummary,
} from './watchTimeline';

export async function detectorControl(o: {
  sim: KubeSim;
  tls: { certPem: string; keyPem: string };
  pgUrl: string;
  cluster: string;
  podWatch: JsonObject;
  /** the real replicas, their database and lease */
  replicas: ReplicaSlots;
  leader: ReplicaSlot;
  knex: Knex;
  lease: string;
}): Promise<{ summary: TimelineSummary; overlapMs: number }> {
  const db = await openScratchDatabase('pg', {
    pgUrl: o.pgUrl,
    name: 'replicas_control',
  });
  const control = await startReplicaSlots({
    names: ['control'],
    sim: o.sim,
    tls: o.tls,
    cluster: o.cluster,
    database: db.connection,
    podWatch: o.podWatch,
  });
  const [slot] = control.slots;
  const sampler = startWatchSampler({
    slots: [o.leader, slot],
    holderAt: (s, at) => o.replicas.holderAt(s, at) ?? control.holderAt(s, at),
    sim: o.sim,
    knex: o.knex,
    lease: o.lease,
    intervalMs: 150,
  });
  try {
    await control.spawn(slot).ready;
    await waitFor(
      () => openWatches(slot.proxy.requests) > 0,
      30_000,
      'the control replica watching',
    ).catch(() => undefined);
    await new Promise(r => setTimeout(r, 1000));
    await sampler.stop();
    const until = Date.now();
    return {
      summary: summarizeTimeline(sampler.samples, []),
      overlapMs: overlap(
        busySpans(o.leader.proxy.requests, until, true),
        busySpans(slot.proxy.requests, until, true),
      ).ms,
    };
  } finally {
    await sampler.stop();
    await control.close();
    await db.close();
  }
}
