/**
 * Who watches the cluster, measured from outside the replicas: the open watch streams of each
 * replica at its own proxy, sampled every ~200 ms with the lease row read just before and just
 * after, and the simulator's own count of streams it serves. From the proxies' request logs it
 * also computes exactly (not sampled) how long both replicas had requests open at once.
 */
import type { KubeSim } from '@pod-watch/kube-sim';
import type { Knex } from 'knex';
import type { ProxiedRequest } from '../restart/apiServerProxy';
import type { ReplicaSlot } from './replicaSlots';

export interface WatchSample {
  at: number;
  /** open watch streams per slot */
  watches: number[];
  /** lease holder id of each slot's process at the sample */
  holders: Array<string | undefined>;
  /** the lease row's holder just before and just after the proxies were read */
  lease: [string | undefined, string | undefined];
  /** watch streams the simulator serves */
  simWatches: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export const openWatches = (requests: readonly ProxiedRequest[]) =>
  requests.filter(r => r.watch && r.closedAt === undefined).length;

export function startWatchSampler(o: {
  slots: ReplicaSlot[];
  holderAt(slot: ReplicaSlot, at: number): string | undefined;
  sim: KubeSim;
  knex: Knex;
  lease: string;
  intervalMs: number;
}) {
  const samples: WatchSample[] = [];
  let stopped = false;
  const leaseHolder = async () =>
    (
      await o
        .knex('leases')
        .where({ name: o.lease })
        .first()
        .catch(() => undefined)
    )?.holder as string | undefined;
  const loop = (async () => {
    while (!stopped) {
      const before = await leaseHolder();
      const at = Date.now();
      const watches = o.slots.map(s => openWatches(s.proxy.requests));
      const simWatches = o.sim.openWatches();
      const after = await leaseHolder();
      samples.push({
        at,
        watches,
        holders: o.slots.map(s => o.holderAt(s, at)),
        lease: [before, after],
        simWatches,
      });
      await sleep(o.intervalMs);
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** From the samples after `since`: when the lease row stopped naming `from`, and first named `to`. */
export function leaseChanges(
  samples: readonly WatchSample[],
  since: number,
  from: string,
  to: string,
): { leftAt?: number; takenAt?: number } {
  const later = samples.filter(s => s.at >= since);
  return {
    leftAt: later.find(s => !s.lease.includes(from))?.at,
    takenAt: later.find(s => s.lease.includes(to))?.at,
  };
}

type Span = [number, number];

/** Merged spans during which a slot had a request (or only a watch) open. */
export function busySpans(
  requests: readonly ProxiedRequest[],
  until: number,
  watchesOnly: boolean,
): Span[] {
  const spans = requests
    .filter(r => !watchesOnly || r.watch)
    .map((r): Span => [r.at, r.closedAt ?? until])
    .sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

/** Total ms two merged span lists overlap, and where the first overlap starts. */
export function overlap(
  a: Span[],
  b: Span[],
): { ms: number; firstAt?: number } {
  let ms = 0;
  let firstAt: number | undefined;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const from = Math.max(a[i][0], b[j][0]);
    const to = Math.min(a[i][1], b[j][1]);
    if (to > from) {
      ms += to - from;
      firstAt ??= from;
    }
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return { ms, firstAt };
}

export interface TimelineSummary {
  samples: number;
  /** median and longest time between two samples */
  medianGapMs: number;
  maxGapMs: number;
  /** samples with more than one replica holding open watch streams */
  twoWatching: number;
  /** samples whose only watching replica was not the lease holder (read before or after) */
  watchingWithoutLease: number;
  /** samples outside the hand-over windows with no replica watching */
  nobodyWatching: number;
  /** most watch streams one replica had open, and the most the simulator served */
  maxReplicaWatches: number;
  maxSimWatches: number;
}

export function summarizeTimeline(
  samples: readonly WatchSample[],
  /** [from, to] stretches where nobody watching is expected (start-up, hand-overs) */
  handOvers: ReadonlyArray<[number, number]>,
): TimelineSummary {
  const inHandOver = (at: number) =>
    handOvers.some(([from, to]) => from <= at && at <= to);
  const gaps: number[] = [];
  let twoWatching = 0;
  let watchingWithoutLease = 0;
  let nobodyWatching = 0;
  samples.forEach((s, i) => {
    if (i > 0) gaps.push(s.at - samples[i - 1].at);
    const watching = s.watches.flatMap((n, slot) => (n > 0 ? [slot] : []));
    if (watching.length > 1) twoWatching++;
    if (watching.length === 0 && !inHandOver(s.at)) nobodyWatching++;
    if (watching.length === 1) {
      const holder = s.holders[watching[0]];
      if (!holder || !s.lease.includes(holder)) watchingWithoutLease++;
    }
  });
  gaps.sort((a, b) => a - b);
  return {
    samples: samples.length,
    medianGapMs: gaps[Math.floor(gaps.length / 2)] ?? 0,
    maxGapMs: gaps[gaps.length - 1] ?? 0,
    twoWatching,
    watchingWithoutLease,
    nobodyWatching,
    maxReplicaWatches: Math.max(0, ...samples.flatMap(s => s.watches)),
    maxSimWatches: Math.max(0, ...samples.map(s => s.simWatches)),
  };
}
