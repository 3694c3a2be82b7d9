/**
 * Store versus simulator ground truth: what Pod Watch stored for a cluster compared with the
 * simulator's current objects and its ledger (every change, every Event occurrence). Shared by
 * the chaos and restart sections. Reads the tables directly (read-only): the store's own list
 * functions deduplicate by design, so they could not show a duplicate.
 */
import type { KubeSim, LedgerChange } from '@pod-watch/kube-sim';
import { normalizeCoreEvent } from '@pod-watch/plugin-pod-watch-backend/src/store';
import type { Knex } from 'knex';
import {
  simVersions,
  storedVersions,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';

/** Watched workload kinds: the store's `workloads` table against the simulator's storage. */
const WORKLOAD_STORAGES: Record<string, string> = {
  Deployment: 'apps/deployments',
  ReplicaSet: 'apps/replicasets',
  StatefulSet: 'apps/statefulsets',
  DaemonSet: 'apps/daemonsets',
  Job: 'batch/jobs',
};

export interface LedgerCompareOptions {
  sim: KubeSim;
  knex: Knex;
  cluster: string;
  /**
   * Wall ms from which the watcher observed the cluster: earlier ledger entries were only
   * listed (a list writes no history), so the history check starts here.
   */
  sinceWallMs: number;
  /** compare the workloads table too (default true: every default kind is watched) */
  workloads?: boolean;
  /** how many examples per discrepancy kind to keep in `details` (default 5) */
  examples?: number;
}

export interface LedgerComparison {
  lost: number;
  duplicates: number;
  details: {
    lost: Record<string, number>;
    duplicates: Record<string, number>;
    /** history entries missing inside recorded gaps: expected, not lost */
    excusedByGaps: number;
    /**
     * the part of `lost` a watch that catches up repairs (live objects, Events); the rest
     * (history) is final: wait for this to reach 0 before judging
     */
    stateLost: number;
    checked: Record<string, number>;
    examples: string[];
  };
}

const HISTORY_LOSS = 'Pod change missing from history';

interface Gap {
  kind: string;
  start: number;
  end: number;
  reason: string;
}

const num = (v: unknown) => Number(v ?? 0);

/** Compares the store of `cluster` with the simulator; see Counts.lost / Counts.duplicates. */
export async function compareWithLedger(
  o: LedgerCompareOptions,
): Promise<LedgerComparison> {
  const lost: Record<string, number> = {};
  const duplicates: Record<string, number> = {};
  const checked: Record<string, number> = {};
  const examples: string[] = [];
  const maxExamples = o.examples ?? 5;
  const perKind = new Map<string, number>();
  const note = (
    into: Record<string, number>,
    what: string,
    n: number,
    example: () => string,
  ) => {
    if (n <= 0) return;
    into[what] = (into[what] ?? 0) + n;
    const seen = perKind.get(what) ?? 0;
    if (seen < maxExamples) examples.push(`${what}: ${example()}`);
    perKind.set(what, seen + 1);
  };
  const { sim, knex, cluster } = o;
  if (sim.ledger.dropped > 0) {
    note(lost, 'ledger truncated (incomplete truth)', 1, () =>
      String(sim.ledger.dropped),
    );
  }

  // 1. live state: every live object with the simulator's uid + resourceVersion, nothing else
  const live: Array<[string, 'pods' | 'workloads', string, string?]> = [
    ['Pod', 'pods', 'core/pods'],
  ];
  if (o.workloads !== false) {
    for (const [kind, storage] of Object.entries(WORKLOAD_STORAGES)) {
      live.push([kind, 'workloads', storage, kind]);
    }
  }
  for (const [kind, table, storage, workloadKind] of live) {
    const stored = await storedVersions(
      knex,
      table,
      cluster,
      workloadKind ? { kind: workloadKind } : {},
    );
    const expected = simVersions(sim, storage);
    checked[`live ${kind}`] = Object.keys(expected).length;
    for (const [uid, rv] of Object.entries(expected)) {
      if (stored[uid] === undefined) {
        note(lost, `${kind} missing`, 1, () => uid);
      } else if (stored[uid] !== rv) {
        note(lost, `${kind} stale`, 1, () => {
          const missed = sim.ledger
            .changes({ uid, sinceRv: Number(stored[uid]) })
            .map(c => `${c.type} rv ${c.rv} ${Date.now() - c.wallMs} ms ago`);
          return `${uid} rv ${stored[uid]} ≠ ${rv}; missed ${missed.join(
            ', ',
          )}`;
        });
      }
    }
    for (const uid of Object.keys(stored)) {
      if (expected[uid] === undefined) {
        note(lost, `${kind} deleted but live in store`, 1, () => uid);
      }
    }
  }

  const gaps: Gap[] = (await knex('observation_gaps').where({ cluster })).map(
    (g: any) => ({
      kind: g.kind,
      start: num(g.started_at),
      end: g.ended_at === null ? Infinity : num(g.ended_at),
      reason: String(g.reason ?? ''),
    }),
  );
  /** where a change falls relative to the next gap of its kind (for the examples) */
  const nextGap = (kindId: string, wallMs: number) => {
    const g = gaps
      .filter(x => x.kind === kindId && x.start >= wallMs)
      .sort((a, b) => a.start - b.start)[0];
    return g
      ? `${g.start - wallMs} ms before gap "${g.reason}"`
      : 'no gap after';
  };
  const inGap = (kindId: string, wallMs: number) =>
    gaps.some(g => g.kind === kindId && g.start <= wallMs && wallMs <= g.end);
  let excusedByGaps = 0;

  // 2. Events: every occurrence reflected in the stored Event's count and last time
  const eventChanges = sim.ledger.changes({ kind: 'Event' });
  const byName = new Map<string, LedgerChange[]>();
  for (const c of eventChanges) {
    // Events of cluster-scoped objects live in `default`: look them up by their unique name
    const key = c.name;
    const list = byName.get(key);
    if (list) list.push(c);
    else byName.set(key, [c]);
  }
  const storedEvents: any[] = await knex('events').where({ cluster });
  const eventByUid = new Map(storedEvents.map(e => [e.uid, e]));
  const occurrences = sim.ledger.occurrences();
  checked['Event occurrences'] = occurrences.length;
  for (const occ of occurrences) {
    const changes = byName.get(occ.eventName) ?? [];
    // the Event state that carried this occurrence (count reached)
    const carrier = changes.find(
      c =>
        c.type !== 'DELETED' &&
        normalizeCoreEvent(cluster, c.object as any).count >= occ.count,
    );
    const row = carrier ? eventByUid.get(carrier.uid) : undefined;
    if (row && num(row.count) >= occ.count) continue;
    // an Event that expired (TTL) while the watch was down was never observable
    const deleted = changes.some(c => c.type === 'DELETED');
    if (carrier && deleted && inGap('events', carrier.wallMs)) {
      excusedByGaps++;
      continue;
    }
    note(
      lost,
      'Event occurrence not stored',
      1,
      () =>
        `${occ.eventName} #${occ.count} (stored ${
          row ? num(row.count) : 'none'
        })`,
    );
  }
  const latestEvents = latestByUid(eventChanges);
  checked.Events = latestEvents.size;
  for (const [uid, c] of latestEvents) {
    if (c.type === 'DELETED') continue;
    const row = eventByUid.get(uid);
    if (!row) continue; // counted above as lost occurrences
    const expected = normalizeCoreEvent(cluster, c.object as any);
    const lastAt = new Date(expected.lastAt as string).getTime();
    if (num(row.count) !== expected.count || num(row.last_at) !== lastAt) {
      note(
        lost,
        'Event stale (count / lastTimestamp)',
        1,
        () =>
          `${uid} count ${row.count} ≠ ${expected.count} or last ${row.last_at} ≠ ${lastAt}`,
      );
    }
  }

  // 3. pod history: every change after the watch started, outside recorded gaps
  const history = new Map<string, number>();
  for (const h of await knex('object_history')
    .where({ cluster, kind: 'Pod' })
    .select('object_uid', 'resource_version')) {
    const key = `${h.object_uid}@${h.resource_version}`;
    history.set(key, (history.get(key) ?? 0) + 1);
  }
  const podChanges = sim.ledger
    .changes({ kind: 'Pod' })
    .filter(c => c.wallMs >= o.sinceWallMs);
  checked['Pod changes since watch start'] = podChanges.length;
  for (const c of podChanges) {
    if (history.has(`${c.uid}@${c.rv}`)) continue;
    if (inGap('pods', c.wallMs)) {
      excusedByGaps++;
      continue;
    }
    const late = gaps.some(
      g =>
        g.kind === 'pods' && g.start > c.wallMs && g.start - c.wallMs <= 5000,
    );
    note(
      lost,
      late ? `${HISTORY_LOSS}, < 5 s before a gap opened` : HISTORY_LOSS,
      1,
      () =>
        `${c.namespace}/${c.name} ${c.type} rv ${c.rv}, ${nextGap(
          'pods',
          c.wallMs,
        )}`,
    );
  }

  // 4. duplicates
  for (const [key, n] of history) {
    note(duplicates, 'history row (pod uid + rv)', n - 1, () => key);
  }
  const eventUids = new Map<string, number>();
  for (const e of storedEvents)
    eventUids.set(e.uid, (eventUids.get(e.uid) ?? 0) + 1);
  for (const [uid, n] of eventUids) {
    note(duplicates, 'Event row (same uid)', n - 1, () => uid);
  }
  // one happening stored under two uids: same subject + reason + first time
  const identity = (subject: string, reason: string, firstAt: number) =>
    `${subject}|${reason}|${firstAt}`;
  const simIdentities = new Map<string, Set<string>>();
  for (const [uid, c] of latestEvents) {
    const e = normalizeCoreEvent(cluster, c.object as any);
    const key = identity(
      e.regarding?.uid ?? `${e.regarding?.namespace}/${e.regarding?.name}`,
      e.reason ?? '',
      new Date(e.firstAt as string).getTime(),
    );
    simIdentities.set(key, (simIdentities.get(key) ?? new Set()).add(uid));
  }
  const storedIdentities = new Map<string, Set<string>>();
  for (const e of storedEvents) {
    const key = identity(
      e.regarding_uid ?? `${e.regarding_namespace}/${e.regarding_name}`,
      e.reason ?? '',
      num(e.first_at),
    );
    storedIdentities.set(
      key,
      (storedIdentities.get(key) ?? new Set()).add(e.uid),
    );
  }
  for (const [key, uids] of storedIdentities) {
    const truth = simIdentities.get(key)?.size ?? 1;
    note(
      duplicates,
      'Event stored under several uids',
      uids.size - Math.max(1, truth),
      () => `${key}: ${[...uids].join(', ')}`,
    );
  }
  await compareIncidents(o, note, duplicates, checked);

  const sum = (r: Record<string, number>) =>
    Object.values(r).reduce((a, b) => a + b, 0);
  return {
    lost: sum(lost),
    duplicates: sum(duplicates),
    details: {
      lost,
      duplicates,
      excusedByGaps,
      stateLost: stateLost(lost),
      checked,
      examples,
    },
  };
}

function stateLost(lost: Record<string, number>): number {
  return Object.entries(lost)
    .filter(([what]) => !what.startsWith(HISTORY_LOSS))
    .reduce((a, [, n]) => a + n, 0);
}

/** Latest ledger change per uid, in ledger order. */
function latestByUid(changes: LedgerChange[]): Map<string, LedgerChange> {
  const out = new Map<string, LedgerChange>();
  for (const c of changes) out.set(c.uid, c);
  return out;
}

/**
 * Incidents: one open incident per fingerprint, and no counter above what the simulator
 * produced (an Event's count, a container's restarts + the current failure); each occurrence above counts.
 */
async function compareIncidents(
  o: LedgerCompareOptions,
  note: (
    into: Record<string, number>,
    what: string,
    n: number,
    example: () => string,
  ) => void,
  duplicates: Record<string, number>,
  checked: Record<string, number>,
) {
  const { sim, knex, cluster } = o;
  const rows: any[] = await knex('incidents').where({ cluster });
  checked.incidents = rows.length;
  const open = new Map<string, number>();
  for (const r of rows.filter(x => x.status === 'open')) {
    open.set(r.fingerprint, (open.get(r.fingerprint) ?? 0) + 1);
  }
  for (const [fingerprint, n] of open) {
    note(
      duplicates,
      'open incidents per fingerprint',
      n - 1,
      () => fingerprint,
    );
  }
  const eventCount = new Map<string, number>();
  for (const c of sim.ledger.changes({ kind: 'Event' })) {
    if (c.type === 'DELETED') continue;
    const n = normalizeCoreEvent(cluster, c.object as any).count;
    eventCount.set(c.uid, Math.max(eventCount.get(c.uid) ?? 0, n));
  }
  const restarts = new Map<string, number>();
  for (const c of sim.ledger.changes({ kind: 'Pod' })) {
    const statuses = [
      ...(c.object.status?.initContainerStatuses ?? []),
      ...(c.object.status?.containerStatuses ?? []),
    ];
    for (const s of statuses) {
      restarts.set(
        c.uid,
        Math.max(restarts.get(c.uid) ?? 0, num(s.restartCount)),
      );
    }
  }
  for (const r of rows) {
    const evidence =
      typeof r.evidence_json === 'string'
        ? JSON.parse(r.evidence_json)
        : r.evidence_json;
    const counters: Record<string, any> = evidence?.state?.counters ?? {};
    for (const [key, c] of Object.entries(counters)) {
      let bound: number | undefined;
      if (key.startsWith('event:')) bound = eventCount.get(key.slice(6));
      // restarts + 1 for a container that is down right now (see classify.ts failures())
      else if (c.kind === 'restarts' && c.pod && restarts.has(c.pod))
        bound = restarts.get(c.pod)! + 1;
      if (bound === undefined) continue;
      note(
        duplicates,
        'incident counter above the ledger',
        Math.max(0, num(c.last) - bound),
        () => `incident ${r.id} ${key}: ${c.last} > ${bound}`,
      );
    }
  }
}
