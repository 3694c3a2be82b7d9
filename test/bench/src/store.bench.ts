/*
 * Store benchmark, SQLite and PostgreSQL: upsert throughput for Events and pods, entity pod query
 * latency at 10k pods, Event queries with 1M Events stored, bytes per Event row, retention.
 *
 *   yarn workspace @pod-watch/bench bench:store [--quick] [--engine=sqlite|pg|both]
 *
 * PostgreSQL: POD_WATCH_BENCH_PG (default postgresql://postgres:postgres@127.0.0.1:5433); a
 * scratch database is created and dropped. SQLite: a file in the temp dir (default journal and
 * synchronous settings, like a plain Backstage SQLite config).
 *
 * Ratios are against baselines measured in the same run on the same tables: a plain multi-row
 * INSERT without conflict handling for writes, a plain index lookup for reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { applyMigrations } from '@pod-watch/plugin-pod-watch-backend/src/database/migrations';
import {
  PodWatchStore,
  EventInput,
  parseLabelSelector,
} from '@pod-watch/plugin-pod-watch-backend/src/store';
import {
  EVENT_COLUMNS,
  eventValues,
  upsertEvents,
} from '@pod-watch/plugin-pod-watch-backend/src/store/events';
import {
  StoreContext,
  upsertRows,
} from '@pod-watch/plugin-pod-watch-backend/src/store/batching';
import {
  DAY,
  makeEvent as generateEvent,
  makePod as generatePod,
  rng,
} from './lib/generators';

type EngineName = 'sqlite' | 'pg';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const engineArg =
  args.find(a => a.startsWith('--engine='))?.split('=')[1] ?? 'both';
const engines: EngineName[] =
  engineArg === 'both' ? ['sqlite', 'pg'] : [engineArg as EngineName];
const PG_URL =
  process.env.POD_WATCH_BENCH_PG ??
  'postgresql://postgres:postgres@127.0.0.1:5433';

const SIZES = quick
  ? { events: 5_000, pods: 1_000, apps: 10, storedEvents: 50_000, queries: 30 }
  : {
      events: 50_000,
      pods: 10_000,
      apps: 100,
      storedEvents: 1_000_000,
      queries: 200,
    };
const BATCH = 500;
const NOW = Date.now();

interface Row {
  engine: string;
  measure: string;
  value: string;
  target: string;
  ratio: string;
}
const results: Row[] = [];
function report(
  engine: string,
  measure: string,
  value: string,
  target = '',
  ratio = '',
) {
  results.push({ engine, measure, value, target, ratio });
  console.log(
    `  ${engine.padEnd(6)} ${measure.padEnd(46)} ${value.padStart(
      14,
    )}  ${target.padEnd(12)} ${ratio}`,
  );
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const eventShape = (uidPrefix = 'ev') => ({
  pods: SIZES.pods,
  now: NOW,
  uidPrefix,
});
const makeEvent = (i: number, r: () => number, uidPrefix = 'ev') =>
  generateEvent(i, r, eventShape(uidPrefix));
const makePod = (i: number, r: () => number, version = 1) =>
  generatePod(i, r, { apps: SIZES.apps, now: NOW }, version);

interface Opened {
  knex: Knex;
  close: () => Promise<void>;
  /** bytes used by the events table and its indexes */
  eventBytes: () => Promise<number | undefined>;
}

async function open(engine: EngineName, name = 'main'): Promise<Opened> {
  if (engine === 'sqlite') {
    const file = path.join(
      os.tmpdir(),
      `pod-watch-bench-${process.pid}-${name}.sqlite`,
    );
    fs.rmSync(file, { force: true });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    return {
      knex,
      close: async () => {
        await knex.destroy();
        for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`])
          fs.rmSync(f, { force: true });
      },
      eventBytes: async () => {
        try {
          const rows = await knex.raw(
            "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'events' OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events')",
          );
          return Number(rows[0].bytes);
        } catch {
          return undefined; // dbstat not compiled in
        }
      },
    };
  }
  const database = `pod_watch_bench_${process.pid}_${name}`;
  const admin = knexFactory({ client: 'pg', connection: `${PG_URL}/postgres` });
  await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
  await admin.raw('CREATE DATABASE ??', [database]);
  const knex = knexFactory({
    client: 'pg',
    connection: `${PG_URL}/${database}`,
    pool: { min: 1, max: 4 },
  });
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
      await admin.destroy();
    },
    eventBytes: async () => {
      const rows = await knex.raw(
        "SELECT pg_total_relation_size('events') AS bytes",
      );
      return Number(rows.rows[0].bytes);
    },
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * The write baseline: the store's own statement shape (VALUES on SQLite, unnest on PostgreSQL)
 * with the same values and batch size, but a plain INSERT without conflict handling.
 */
async function rawInsertEvents(ctx: StoreContext, events: EventInput[]) {
  await upsertRows(
    ctx,
    ctx.knex,
    { table: 'events', columns: EVENT_COLUMNS, conflict: [] },
    events.map(eventValues),
  );
}

async function latency(n: number, fn: (i: number) => Promise<unknown>) {
  await fn(0); // warm up statement caches
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await timed(() => fn(i)));
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: Math.max(...samples),
  };
}

async function benchEngine(engine: EngineName) {
  console.log(`\n== ${engine} ${quick ? '(quick)' : ''}`);
  const db = await open(engine);
  try {
    await applyMigrations(db.knex);
    const store = await PodWatchStore.create(db.knex);
    const ctx = store.ctx;

    // --- Event upserts ------------------------------------------------------------------------
    let r = rng(1);
    const events = Array.from({ length: SIZES.events }, (_, i) =>
      makeEvent(i, r),
    );
    r = rng(1);
    const baseline = Array.from({ length: SIZES.events }, (_, i) =>
      makeEvent(i, r, 'base'),
    );
    // the baseline writes into its own fresh database (same schema and engine settings), so
    // both start from empty tables
    const baseDb = await open(engine, 'baseline');
    let baseMs: number;
    try {
      await applyMigrations(baseDb.knex);
      const baseStore = await PodWatchStore.create(baseDb.knex);
      baseMs = await timed(async () => {
        for (let i = 0; i < baseline.length; i += BATCH)
          await rawInsertEvents(baseStore.ctx, baseline.slice(i, i + BATCH));
      });
    } finally {
      await baseDb.close();
    }
    const baseRate = SIZES.events / (baseMs / 1000);
    report(
      engine,
      `baseline: plain INSERT Events (no ON CONFLICT), batches of ${BATCH}`,
      `${fmt(baseRate)}/s`,
    );
    const newMs = await timed(async () => {
      for (let i = 0; i < events.length; i += BATCH)
        await store.upsertEvents(events.slice(i, i + BATCH));
    });
    const newRate = SIZES.events / (newMs / 1000);
    const eventTarget = engine === 'sqlite' ? 20_000 : 10_000;
    report(
      engine,
      'Event upserts (new), batches of 500',
      `${fmt(newRate)}/s`,
      `>= ${fmt(eventTarget)}/s`,
      `${fmt(newRate / baseRate, 2)}x baseline`,
    );
    const replayMs = await timed(async () => {
      for (let i = 0; i < events.length; i += BATCH)
        await store.upsertEvents(events.slice(i, i + BATCH));
    });
    report(
      engine,
      'Event upserts (replay, no change)',
      `${fmt(SIZES.events / (replayMs / 1000))}/s`,
      '',
      `${fmt(SIZES.events / (replayMs / 1000) / baseRate, 2)}x baseline`,
    );
    const modified = events.map(e => ({
      ...e,
      count: e.count + 1,
      lastAt: (e.lastAt as number) + 1000,
      resourceVersion: `${e.resourceVersion}-2`,
    }));
    const modMs = await timed(async () => {
      for (let i = 0; i < modified.length; i += BATCH)
        await store.upsertEvents(modified.slice(i, i + BATCH));
    });
    const modRate = SIZES.events / (modMs / 1000);
    report(
      engine,
      'Event upserts (MODIFIED: count/last time)',
      `${fmt(modRate)}/s`,
      `>= ${fmt(eventTarget)}/s`,
      `${fmt(modRate / baseRate, 2)}x baseline`,
    );

    // --- pod upserts --------------------------------------------------------------------------
    r = rng(2);
    const pods = Array.from({ length: SIZES.pods }, (_, i) => makePod(i, r));
    const podMs = await timed(async () => {
      for (let i = 0; i < pods.length; i += BATCH)
        await store.upsertPods(pods.slice(i, i + BATCH));
    });
    report(
      engine,
      `pod upserts (new; 5 labels, 2 containers each)`,
      `${fmt(SIZES.pods / (podMs / 1000))}/s`,
    );
    const podReplayMs = await timed(async () => {
      for (let i = 0; i < pods.length; i += BATCH)
        await store.upsertPods(pods.slice(i, i + BATCH));
    });
    report(
      engine,
      'pod upserts (replay, skipped as unchanged)',
      `${fmt(SIZES.pods / (podReplayMs / 1000))}/s`,
    );
    r = rng(3);
    const changedPods = pods.map((_, i) => makePod(i, r, 2));
    const podModMs = await timed(async () => {
      for (let i = 0; i < changedPods.length; i += BATCH)
        await store.upsertPods(changedPods.slice(i, i + BATCH));
    });
    report(
      engine,
      'pod upserts (MODIFIED)',
      `${fmt(SIZES.pods / (podModMs / 1000))}/s`,
    );

    // --- entity pod query ---------------------------------------------------------------------
    const perApp = SIZES.pods / SIZES.apps;
    // fresh tables, no planner statistics yet (before autovacuum / refreshStatistics)
    const fresh = await latency(Math.max(10, SIZES.queries / 10), i =>
      store.listPodsForSelector({
        clusters: ['bench'],
        selector: parseLabelSelector(
          `backstage.io/kubernetes-id=app-${i % SIZES.apps}`,
        ),
      }),
    );
    report(
      engine,
      `entity pods, fresh tables without statistics, p95`,
      `${fmt(fresh.p95, 2)} ms`,
      '(no stats)',
    );
    const statsMs = await timed(() => store.refreshStatistics());
    report(engine, 'refreshStatistics()', `${fmt(statsMs, 0)} ms`);
    const plain = await latency(SIZES.queries, i =>
      db
        .knex('pods')
        .where({ cluster: 'bench', namespace: `ns-${i % 20}` })
        .limit(perApp),
    );
    report(
      engine,
      `baseline: pods by namespace index, ${perApp} rows`,
      `p95 ${fmt(plain.p95, 2)} ms`,
    );
    const entity = await latency(SIZES.queries, i =>
      store.listPodsForSelector({
        clusters: ['bench'],
        selector: parseLabelSelector(
          `backstage.io/kubernetes-id=app-${i % SIZES.apps}`,
        ),
      }),
    );
    report(
      engine,
      `entity pods (kubernetes-id, ${perApp} of ${fmt(SIZES.pods)}) p50`,
      `${fmt(entity.p50, 2)} ms`,
    );
    report(
      engine,
      `entity pods (kubernetes-id, ${perApp} of ${fmt(SIZES.pods)}) p95`,
      `${fmt(entity.p95, 2)} ms`,
      '< 20 ms',
      `${fmt(entity.p95 / plain.p95, 2)}x baseline`,
    );
    const complex = await latency(SIZES.queries, i =>
      store.listPodsForSelector({
        clusters: ['bench'],
        namespaces: [`ns-${i % 20}`, `ns-${(i + 1) % 20}`],
        selector: parseLabelSelector(
          `app in (app-${i % SIZES.apps}, app-${
            (i + 7) % SIZES.apps
          }), env notin (dev), !canary, tier`,
        ),
      }),
    );
    report(
      engine,
      'label selector (in, notin, !, exists + ns) p95',
      `${fmt(complex.p95, 2)} ms`,
      '< 20 ms',
    );
    const wide = await latency(Math.max(10, SIZES.queries / 10), () =>
      store.listPodsForSelector({
        clusters: ['bench'],
        selector: parseLabelSelector('app'),
      }),
    );
    report(
      engine,
      `selector matching all ${fmt(SIZES.pods)} pods (page 500) p95`,
      `${fmt(wide.p95, 2)} ms`,
      '(stress)',
    );

    // --- bulk load to 1M Events ---------------------------------------------------------------
    const existing = Number((await db.knex('events').count({ n: '*' }))[0].n);
    const toLoad = SIZES.storedEvents - existing;
    const before = await db.eventBytes();
    r = rng(4);
    const loadMs = await timed(() =>
      db.knex.transaction(async trx => {
        for (let i = 0; i < toLoad; i += 10_000) {
          const chunkEvents = Array.from(
            { length: Math.min(10_000, toLoad - i) },
            (_, j) => makeEvent(existing + i + j, r, 'bulk'),
          );
          await upsertEvents(ctx, chunkEvents, trx);
        }
      }),
    );
    report(
      engine,
      `bulk load ${fmt(toLoad)} Events (one transaction)`,
      `${fmt(toLoad / (loadMs / 1000))}/s`,
      '',
      `${fmt(loadMs / 1000, 1)} s`,
    );
    // steady state after a load this size: PostgreSQL's autovacuum vacuums (insert threshold,
    // PG 13+) and analyzes within a minute; the retention task refreshes statistics on both
    if (engine === 'pg') {
      await db.knex.raw('VACUUM (ANALYZE) events');
    }
    await store.refreshStatistics();
    const total = Number((await db.knex('events').count({ n: '*' }))[0].n);
    const bytes = await db.eventBytes();
    if (bytes !== undefined) {
      report(
        engine,
        `bytes per stored Event row (table + indexes)`,
        `${fmt(bytes / total)} B`,
        '<= 1024 B',
        `${fmt(total)} rows, ${fmt(bytes / 1_048_576, 1)} MiB`,
      );
    } else if (before !== undefined) {
      report(engine, 'bytes per stored Event row', 'n/a');
    }

    // --- Event queries at 1M --------------------------------------------------------------------
    const byPk = await latency(SIZES.queries, i =>
      db
        .knex('events')
        .where({
          cluster: 'bench',
          uid: makeEvent(i * 997, rng(i), 'bulk').uid,
        })
        .first(),
    );
    report(engine, 'baseline: one Event by key p95', `${fmt(byPk.p95, 2)} ms`);
    const forEntity = await latency(SIZES.queries, i =>
      store.listEvents({
        cluster: 'bench',
        regardingUids: Array.from(
          { length: perApp },
          (_, j) => `pod-${(i + j * SIZES.apps) % SIZES.pods}`,
        ),
        limit: 100,
      }),
    );
    report(
      engine,
      `Events of one entity (${perApp} pods), page 100 + total p95`,
      `${fmt(forEntity.p95, 2)} ms`,
    );
    const byNamespace = await latency(SIZES.queries, i =>
      store.listEvents({
        cluster: 'bench',
        namespace: `ns-${i % 20}`,
        since: NOW - DAY,
        limit: 100,
      }),
    );
    report(
      engine,
      'Events by namespace, last 24 h, page 100 + total p95',
      `${fmt(byNamespace.p95, 2)} ms`,
    );
    const byObject = await latency(SIZES.queries, i =>
      store.listEvents({
        cluster: 'bench',
        regardingUids: [`pod-${i % SIZES.pods}`],
        type: 'Warning',
        limit: 50,
      }),
    );
    report(
      engine,
      'Warning Events of one pod p95',
      `${fmt(byObject.p95, 2)} ms`,
    );

    // --- retention ------------------------------------------------------------------------------
    const expired = Number(
      (
        await db
          .knex('events')
          .where('last_at', '<', NOW - 13 * DAY)
          .count({ n: '*' })
      )[0].n,
    );
    let deletedEvents = 0;
    const retentionMs = await timed(async () => {
      const res = await store.applyRetention(
        {
          events: 13,
          logs: 14,
          history: 14,
          incidents: 14,
          gaps: 14,
          deletedObjects: 14,
        },
        NOW,
      );
      deletedEvents = res.deleted.events;
    });
    const batchSize = engine === 'sqlite' ? 1000 : 5000; // the store's defaults
    const batches = Math.max(1, Math.ceil(deletedEvents / batchSize));
    report(
      engine,
      `retention: delete ${fmt(deletedEvents)} of ${fmt(
        expired,
      )} expired Events`,
      `${fmt(deletedEvents / (retentionMs / 1000))}/s`,
      '',
      `${fmt(retentionMs / 1000, 1)} s, ~${fmt(
        retentionMs / batches,
        0,
      )} ms per ${batchSize}-row batch`,
    );
  } finally {
    await db.close();
  }
}

async function main() {
  console.log(
    `Pod Watch store benchmark ${quick ? '--quick ' : ''}(${
      os.cpus().length
    } CPUs, node ${process.version})`,
  );
  console.log(
    `  ${'engine'.padEnd(6)} ${'measure'.padEnd(46)} ${'value'.padStart(
      14,
    )}  ${'target'.padEnd(12)} ratio / note`,
  );
  for (const engine of engines) {
    await benchEngine(engine);
  }
  console.log('\nSummary');
  console.table(results);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
