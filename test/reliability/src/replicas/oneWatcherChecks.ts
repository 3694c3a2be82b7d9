/**
 * The "one watcher per cluster" checks over a whole run: the sampled timeline (open watch
 * streams per replica, the lease row, the simulator's stream count) and the exact overlap of the
 * replicas' requests in their proxies' logs.
 */
import type { Checks } from '../lib/result';
import type { ReplicaSlot } from './replicaSlots';
import {
  busySpans,
  overlap,
  summarizeTimeline,
  WatchSample,
} from './watchTimeline';

export function checkOneWatcher(
  checks: Checks,
  o: {
    samples: readonly WatchSample[];
    /** [from, to] stretches where nobody watching is expected */
    handOverWindows: ReadonlyArray<[number, number]>;
    slots: ReplicaSlot[];
    /** for the offsets in the details */
    startedAt: number;
  },
): void {
  const t = summarizeTimeline(o.samples, o.handOverWindows);
  checks.expect(
    'at every sample at most one replica has open watch streams',
    t.samples > 0 && t.twoWatching === 0,
    `${t.twoWatching} of ${t.samples} samples with two (every ${t.medianGapMs} ms, longest gap ${t.maxGapMs} ms)`,
  );
  checks.expect(
    'the replica watching is always the lease holder',
    t.watchingWithoutLease === 0,
    `${t.watchingWithoutLease} samples watched by a replica the leases row did not name`,
  );
  checks.expect(
    'outside the hand-overs one replica watches at every sample',
    t.nobodyWatching === 0,
    `${t.nobodyWatching} samples with nobody watching`,
  );
  checks.expect(
    'the simulator never serves more watch streams than one replica opens',
    t.maxSimWatches > 0 && t.maxSimWatches <= t.maxReplicaWatches,
    `at most ${t.maxSimWatches} served, ${t.maxReplicaWatches} opened by one replica`,
  );
  const until = Date.now();
  const [a, b] = o.slots.map(s => s.proxy.requests);
  const watchOverlap = overlap(
    busySpans(a, until, true),
    busySpans(b, until, true),
  );
  const requestOverlap = overlap(
    busySpans(a, until, false),
    busySpans(b, until, false),
  );
  checks.expect(
    'no moment (exact, from the proxy logs) when both replicas had requests to the cluster open',
    watchOverlap.ms === 0 && requestOverlap.ms === 0,
    `watch streams overlap ${watchOverlap.ms} ms, any request ${
      requestOverlap.ms
    } ms${
      requestOverlap.firstAt
        ? ` (first at +${(
            (requestOverlap.firstAt - o.startedAt) /
            1000
          ).toFixed(1)} s)`
        : ''
    }; requests ${o.slots
      .map(s => `${s.name} ${s.proxy.requests.length}`)
      .join(', ')}`,
  );
}
