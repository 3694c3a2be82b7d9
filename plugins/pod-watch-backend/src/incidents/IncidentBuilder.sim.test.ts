/*
 * Incident building from real simulator runs: every kube-sim scenario runs in-process with time
 * acceleration; the ledger's objects, Events and log lines are fed through the store and the
 * builder as the watch engine would. Each scenario must yield exactly the expected incidents
 * (type, occurrences from the simulator's own ground truth, resolution), on SQLite and
 * PostgreSQL, and replays (relist, backend restart, the whole watch history again) must change
 * nothing.
 */
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  startKubeSim,
  type LedgerChange,
  type LedgerLogLine,
} from '@pod-watch/kube-sim';
import { createStoreTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../database/migrations';
import { normalizeCoreEvent, PodWatchStore, type IncidentRow } from '../store';
import { toPodInput } from '../watch/handlers/pods';
import { IncidentBuilder } from './IncidentBuilder';
import { withIncidents, type HandlerLike } from './hooks';
import type { IncidentEvidence } from './evidence';
import {
  CLUSTER,
  feedItems,
  finalObjects,
  SimFeeder,
  type FeedMode,
} from './__testUtils__/simFeed';

jest.setTimeout(180_000);

const databases = createStoreTestDatabases();
const CLEAR_AFTER = 120;
const config = { clearAfterSeconds: CLEAR_AFTER };
/** Simulated seconds each run covers: crash loops reach several restarts, Jobs give up. */
const SIM_SECONDS = 420;
const TIME_SCALE = 25;
/** Every scenario of the catalog, by name (new ones must be added here with their expectations). */
const SCENARIOS = [
  'healthy',
  'stateful',
  'crashloop',
  'oomkilled',
  'imagepull',
  'config-error',
  'unschedulable',
  'init-failure',
  'readiness-failure',
  'liveness-kill',
  'eviction',
  'rollout',
  'job-success',
  'job-failure',
  'node-lost',
];

interface Run {
  changes: LedgerChange[];
  logs: LedgerLogLine[];
  end: string;
  /** a second eviction in `reports`, after the first incident resolved */
  recurrence: LedgerChange[];
  /** `web` after a rollout to an image that crashes */
  badRollout: LedgerChange[];
}
let run: Run;

beforeAll(async () => {
  const sim = await startKubeSim({
    scenario: SCENARIOS,
    timeScale: TIME_SCALE,
  });
  const known = sim.scenarios.list().map(x => x.name);
  if (
    known.length !== SCENARIOS.length ||
    known.some(n => !SCENARIOS.includes(n))
  ) {
    await sim.close();
    throw new Error(
      `scenario catalog changed: ${known.join(', ')}; add expectations here`,
    );
  }
  try {
    await new Promise(r => setTimeout(r, (SIM_SECONDS * 1000) / TIME_SCALE));
    // one synchronous snapshot: ledger and store agree
    const changes = sim.ledger.changes();
    const logs = sim.ledger.logs();
    const end = sim.clock.nowIso();
    const lastSeq = Math.max(
      ...changes.map(c => c.seq),
      ...logs.map(l => l.seq),
    );
    const victim = sim.store
      .listIn('core/pods', 'reports')
      .find(
        p => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
      );
    sim.cluster.evict('reports', victim!.metadata.name!);
    sim.cluster.rollout('web', 'web', {
      image: 'registry.example.com/shop/web:2.0.0',
      behaviour: 'crashloop',
    });
    // the new pods start and crash (20 simulated seconds of running)
    await new Promise(r => setTimeout(r, (60 * 1000) / TIME_SCALE));
    const after = (ns: string) =>
      sim.ledger.changes({ namespace: ns }).filter(c => c.seq > lastSeq);
    run = {
      changes,
      logs,
      end,
      recurrence: after('reports'),
      badRollout: after('web'),
    };
  } finally {
    await sim.close();
  }
});

// ------------------------------------------------------------------ ground truth from the sim

const lastPods = (ns: string) =>
  finalObjects(run.changes, 'Pod').filter(p => p.metadata.namespace === ns);
const allPodsEver = (ns: string) => {
  const latest = new Map<string, any>();
  for (const c of run.changes)
    if (c.kind === 'Pod' && c.namespace === ns) latest.set(c.uid, c.object);
  return [...latest.values()];
};
const events = (ns: string, filter: (e: any) => boolean) =>
  finalObjects(run.changes, 'Event')
    .filter(e => (!ns || e.metadata.namespace === ns) && filter(e))
    .map(e => normalizeCoreEvent(CLUSTER, e));

/** restarts + 1 while down after a failure: what the builder counts per container */
function failures(ns: string, container: string, init = false) {
  let n = 0;
  for (const p of lastPods(ns)) {
    const list = init
      ? p.status?.initContainerStatuses
      : p.status?.containerStatuses;
    const s = (list ?? []).find((x: any) => x.name === container);
    if (!s) continue;
    const down =
      s.state?.waiting?.reason === 'CrashLoopBackOff' ||
      (s.state?.terminated && s.state.terminated.exitCode !== 0);
    n += (s.restartCount ?? 0) + (down ? 1 : 0);
  }
  return n;
}

/** per pod the largest Event count, summed over pods */
function eventOccurrences(ns: string, filter: (e: any) => boolean) {
  const perPod = new Map<string, number>();
  for (const e of events(ns, filter)) {
    const pod = e.regarding?.uid ?? '';
    perPod.set(pod, Math.max(perPod.get(pod) ?? 0, e.count));
  }
  return [...perPod.values()].reduce((a, b) => a + b, 0);
}

interface Expected {
  ns: string;
  type: string;
  container?: string;
  status: 'open' | 'resolved';
  occurrences: () => number;
}

const warning = (reason: string, message?: RegExp) => (e: any) =>
  e.type === 'Warning' &&
  e.reason === reason &&
  (!message || message.test(e.message ?? ''));

const EXPECTED: Expected[] = [
  {
    ns: 'payments',
    type: 'crash-loop',
    container: 'app',
    status: 'open',
    occurrences: () => failures('payments', 'app'),
  },
  {
    ns: 'catalog',
    type: 'oom-killed',
    container: 'app',
    status: 'open',
    occurrences: () => failures('catalog', 'app'),
  },
  {
    ns: 'checkout',
    type: 'image-pull',
    container: 'app',
    status: 'open',
    occurrences: () => eventOccurrences('checkout', warning('Failed')),
  },
  {
    ns: 'search',
    type: 'config-error',
    container: 'app',
    status: 'open',
    occurrences: () => eventOccurrences('search', warning('Failed')),
  },
  {
    ns: 'ml',
    type: 'unschedulable',
    status: 'open',
    occurrences: () => eventOccurrences('ml', warning('FailedScheduling')),
  },
  {
    ns: 'orders',
    type: 'init-failure',
    container: 'migrate',
    status: 'open',
    occurrences: () => failures('orders', 'migrate', true),
  },
  {
    ns: 'inventory',
    type: 'readiness-probe',
    container: 'app',
    status: 'open',
    occurrences: () => eventOccurrences('inventory', warning('Unhealthy')),
  },
  {
    ns: 'notifications',
    type: 'liveness-probe',
    container: 'app',
    status: 'open',
    occurrences: () => failures('notifications', 'app'),
  },
  { ns: 'reports', type: 'evicted', status: 'resolved', occurrences: () => 1 },
  {
    ns: 'batch-fail',
    type: 'job-failed',
    status: 'resolved',
    occurrences: () =>
      allPodsEver('batch-fail').filter(p => p.status?.phase === 'Failed')
        .length,
  },
];
/** Pods on the lost node: the edge scenario's, and any DaemonSet pod placed there. */
const nodeLost = (): Expected[] =>
  [...new Set(events('', warning('NodeNotReady')).map(e => e.namespace!))].map(
    ns => ({
      ns,
      type: 'node-lost',
      status: 'resolved' as const,
      occurrences: () => eventOccurrences(ns, warning('NodeNotReady')),
    }),
  );
const expected = () => [...EXPECTED, ...nodeLost()];

/** scenarios that must yield nothing */
const QUIET = ['shop', 'web', 'batch'];

// ------------------------------------------------------------------ helpers

async function freshStore(id: TestDatabaseId) {
  const knex = await databases.init(id);
  await applyMigrations(knex);
  return PodWatchStore.create(knex);
}

async function allIncidents(store: PodWatchStore): Promise<IncidentRow[]> {
  const page = await store.listIncidents({ cluster: CLUSTER, limit: 1000 });
  return page.items.sort((a, b) => a.id - b.id);
}

/** What must not change on a replay. */
const identity = (rows: IncidentRow[]) =>
  rows.map(r => ({
    id: r.id,
    fingerprint: r.fingerprint,
    status: r.status,
    occurrences: r.occurrences,
    firstSeenAt: r.firstSeenAt,
    resolvedAt: r.resolvedAt,
    recurrenceOf: r.recurrenceOf,
  }));

/** A relist through the engine-facing hooks: Events first (the harder order), then pods. */
async function relist(
  store: PodWatchStore,
  builder: IncidentBuilder,
  at: Date,
) {
  const sink = (
    write: (objects: readonly any[]) => Promise<void>,
  ): HandlerLike => ({
    apply: async () => undefined,
    replace: async objects => write(objects),
  });
  const eventsHandler = withIncidents(
    sink(async objects =>
      store.upsertEvents(objects.map(o => normalizeCoreEvent(CLUSTER, o))),
    ),
    { cluster: CLUSTER, kind: 'coreEvents', builder },
  );
  const podsHandler = withIncidents(
    sink(async () => undefined),
    {
      cluster: CLUSTER,
      kind: 'pods',
      builder,
    },
  );
  await eventsHandler.replace(finalObjects(run.changes, 'Event'), {}, at);
  await podsHandler.replace(finalObjects(run.changes, 'Pod'), {}, at);
  // the hooks hand changes over to the builder's queue
  await builder.idle();
}

/** Every engine, with the builder called directly and through the watch hooks' queue. */
const MODES: FeedMode[] = ['direct', 'queued'];
const RUNS = databases
  .eachSupportedId()
  .flatMap(([id]) => MODES.map(mode => [id, mode] as const));

describe.each(RUNS)(
  'incident builder on kube-sim scenarios (%s, %s)',
  (id, mode) => {
    let store: PodWatchStore;
    let builder: IncidentBuilder;
    /** one feeder per store: it remembers the rollout history it recorded */
    let feeder: SimFeeder;
    let end: Date;

    beforeAll(async () => {
      store = await freshStore(id);
      builder = new IncidentBuilder({ store, config });
      feeder = new SimFeeder(store, builder, 30, mode);
      await feeder.feed(feedItems(run.changes, run.logs));
      // the last observation: only what was clear for CLEAR_AFTER by then resolves
      end = new Date(run.end);
      await builder.sweep(end);
    });

    it('yields exactly the expected incidents per scenario', async () => {
      const rows = await allIncidents(store);
      const got = rows
        .map(r => `${r.namespace} ${r.type} ${r.container ?? '-'} ${r.status}`)
        .sort();
      const want = expected()
        .map(e => `${e.ns} ${e.type} ${e.container ?? '-'} ${e.status}`)
        .sort();
      expect(got).toEqual(want);
      for (const ns of QUIET)
        expect(rows.filter(r => r.namespace === ns)).toEqual([]);
      // one row per grouping key
      expect(new Set(rows.map(r => r.fingerprint)).size).toBe(rows.length);
    });

    it('counts occurrences as the simulator produced them', async () => {
      const rows = await allIncidents(store);
      const table = expected().map(e => {
        const row = rows.find(r => r.namespace === e.ns && r.type === e.type)!;
        return {
          incident: `${e.ns}/${e.type}`,
          expected: e.occurrences(),
          actual: row?.occurrences,
        };
      });
      // eslint-disable-next-line no-console
      console.log(
        `occurrences (${id}):\n${table
          .map(t => `  ${t.incident}: sim ${t.expected}, incident ${t.actual}`)
          .join('\n')}`,
      );
      for (const t of table) expect(t.actual).toBe(t.expected);
      expect(
        table.find(t => t.incident === 'payments/crash-loop')!.expected,
      ).toBeGreaterThanOrEqual(4);
    });

    it('groups per workload, keeps workload and pod, and attaches evidence with hints', async () => {
      const rows = await allIncidents(store);
      // eslint-disable-next-line no-console
      console.log(
        `incidents (${id}):\n${rows
          .map(
            r =>
              `  [${r.severity}] ${r.summary}\n      hint: ${r.rootCauseHint}`,
          )
          .join('\n')}`,
      );
      const crash = rows.find(r => r.type === 'crash-loop')!;
      expect(crash).toMatchObject({
        severity: 'critical',
        workloadKind: 'Deployment',
        workloadName: 'payments-api',
        container: 'app',
      });
      const evidence = crash.evidence as IncidentEvidence;
      expect(evidence.subject).toMatchObject({
        kind: 'Deployment',
        name: 'payments-api',
      });
      expect(evidence.owner?.kind).toBe('ReplicaSet');
      expect(evidence.node).toMatch(/^node-/);
      expect(
        evidence.events.some(e => e.reason === 'BackOff' && e.count >= 1),
      ).toBe(true);
      expect(evidence.logs.errorLines.length).toBeGreaterThan(0);
      expect(evidence.changes[0]).toMatchObject({
        kind: 'Deployment',
        verb: 'create',
      });
      expect(evidence.serving[0]).toMatchObject({ service: 'payments-api' });
      expect(crash.rootCauseHint).toMatch(
        /exit code 1 \(application error\).*Last error: /,
      );

      const oom = rows.find(r => r.type === 'oom-killed')!;
      expect(oom.rootCauseHint).toMatch(
        /OOMKilled \(exit 137\) and has restarted \d+×, restarting about every \d+[sm]\. Memory limit 256Mi/,
      );
      const pull = rows.find(r => r.type === 'image-pull')!;
      expect(pull.rootCauseHint).toMatch(
        /registry\.example\.com\/shop\/checkout:9\.9\.9-typo.*does not exist/,
      );
      const pending = rows.find(r => r.type === 'unschedulable')!;
      expect(pending.rootCauseHint).toMatch(
        /node affinity\/selector.*nodeSelector/,
      );
      const readiness = rows.find(r => r.type === 'readiness-probe')!;
      const serving = (readiness.evidence as IncidentEvidence).serving[0];
      expect(serving).toMatchObject({
        service: 'inventory',
        lostReadyEndpoints: true,
        podReady: false,
      });
      const liveness = rows.find(r => r.type === 'liveness-probe')!;
      expect(liveness.summary).toContain(
        'Deployment notifications/notifier (app)',
      );
      // resolution happens when the clear period ended, not at the late sweep
      const evicted = rows.find(r => r.type === 'evicted')!;
      expect(Date.parse(evicted.resolvedAt!)).toBe(
        Date.parse(evicted.lastSeenAt) + CLEAR_AFTER * 1000,
      );
    });

    it('changes nothing on a relist, a backend restart, or the whole watch history again', async () => {
      const before = identity(await allIncidents(store));
      await relist(store, builder, end);
      expect(identity(await allIncidents(store))).toEqual(before);

      const restarted = new IncidentBuilder({ store, config });
      await relist(store, restarted, end);
      await restarted.sweep(end);
      expect(identity(await allIncidents(store))).toEqual(before);

      const replayed = new IncidentBuilder({ store, config });
      await new SimFeeder(store, replayed, 1e9, mode).feed(
        feedItems(run.changes),
      );
      await replayed.sweep(end);
      expect(identity(await allIncidents(store))).toEqual(before);
    });

    it('shows the image change of a rollout before the crash loop it caused', async () => {
      await feeder.feed(feedItems(run.badRollout));
      const crash = (await allIncidents(store)).find(
        r => r.namespace === 'web' && r.type === 'crash-loop',
      )!;
      expect(crash).toMatchObject({ workloadName: 'web', status: 'open' });
      const changes = (crash.evidence as IncidentEvidence).changes;
      expect(changes[0]).toMatchObject({
        kind: 'Deployment',
        name: 'web',
        verb: 'update',
        diff: {
          image: {
            from: 'registry.example.com/shop/web:1.5.0',
            to: 'registry.example.com/shop/web:2.0.0',
          },
        },
      });
    });

    it('opens a recurrence for a later eviction and reports per-entity stats', async () => {
      const first = (await allIncidents(store)).find(
        r => r.type === 'evicted',
      )!;
      await feeder.feed(feedItems(run.recurrence));
      const evictions = (await allIncidents(store)).filter(
        r => r.type === 'evicted',
      );
      expect(
        evictions.map(r => [r.status, r.occurrences, r.recurrenceOf]),
      ).toEqual([
        ['resolved', 1, undefined],
        ['open', 1, first.id],
      ]);
      const stats = await store.incidentStats({
        cluster: CLUSTER,
        namespace: 'reports',
        workloadKind: 'Deployment',
        workloadName: 'report-builder',
      });
      expect(stats).toMatchObject({
        total: 2,
        open: 1,
        recurrences: 1,
        mttrMs: Date.parse(first.resolvedAt!) - Date.parse(first.firstSeenAt),
      });
    });

    it('classifies an Event about a pod only the store knows (after a restart) like its incident', async () => {
      const before = identity(await allIncidents(store));
      const restarted = new IncidentBuilder({ store, config });
      const pods = finalObjects(run.changes, 'Pod').filter(
        p => p.metadata.namespace === 'catalog',
      );
      await store.upsertPods(pods.map(p => toPodInput(CLUSTER, p, end)));
      // a BackOff Event arrives before any pod: the stored container's OOMKilled termination
      // keeps it in the oom-killed incident instead of opening a crash loop
      for (const e of events('catalog', warning('BackOff'))) {
        await restarted.onEvent(CLUSTER, e, end);
      }
      expect(identity(await allIncidents(store))).toEqual(before);
    });

    it('resolves at once when a standalone pod or a workload is deleted', async () => {
      const template = lastPods('payments')[0];
      const pod = {
        ...template,
        metadata: {
          ...template.metadata,
          name: 'debug-shell',
          uid: 'standalone-1',
          ownerReferences: undefined,
          labels: {},
        },
      };
      await builder.onPodChange(CLUSTER, pod, end);
      const open = (await allIncidents(store)).find(
        r => r.podName === 'debug-shell',
      )!;
      expect(open).toMatchObject({ type: 'crash-loop', status: 'open' });
      expect(open.workloadKind).toBeUndefined();
      const gone = new Date(end.getTime() + 5000);
      await builder.onPodDeleted(CLUSTER, pod, gone);
      expect(await store.getIncident(open.id)).toMatchObject({
        status: 'resolved',
        resolvedAt: gone.toISOString(),
      });

      await builder.onWorkloadDeleted(
        CLUSTER,
        { kind: 'Deployment', namespace: 'payments', name: 'payments-api' },
        gone,
      );
      const crash = (await allIncidents(store)).find(
        r => r.workloadName === 'payments-api',
      )!;
      expect(crash).toMatchObject({
        status: 'resolved',
        resolvedAt: gone.toISOString(),
      });
    });
  },
);
