/*
 * Batched incident building (the watch hooks' queue): a batch reaches the same incidents as
 * one-at-a-time building, writes each open incident once, and a relist of what the builder has
 * seen costs no SQL at all. Real simulator objects, real SQLite and PostgreSQL.
 */
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { startKubeSim, type LedgerChange } from '@pod-watch/kube-sim';
import type { Knex } from 'knex';
import { createStoreTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../database/migrations';
import { normalizeCoreEvent, PodWatchStore, type IncidentRow } from '../store';
import { IncidentBuilder } from './IncidentBuilder';
import type { IncidentWork } from './work';
import {
  CLUSTER,
  feedItems,
  finalObjects,
  SimFeeder,
} from './__testUtils__/simFeed';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const TIME_SCALE = 40;
const SIM_SECONDS = 240;
let changes: LedgerChange[];

beforeAll(async () => {
  const sim = await startKubeSim({
    scenario: ['healthy', 'crashloop', 'imagepull', 'readiness-failure'],
    timeScale: TIME_SCALE,
  });
  try {
    await new Promise(r => setTimeout(r, (SIM_SECONDS * 1000) / TIME_SCALE));
    changes = sim.ledger.changes();
  } finally {
    await sim.close();
  }
});

async function freshStore(id: TestDatabaseId) {
  const knex = await databases.init(id);
  await applyMigrations(knex);
  return { knex, store: await PodWatchStore.create(knex) };
}

/** SQL statements run while `fn` runs (knex's own query event). */
async function statements(knex: Knex, fn: () => Promise<unknown>) {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return sql;
}

const lifecycle = (rows: IncidentRow[]) =>
  rows
    .map(r => ({
      fingerprint: r.fingerprint,
      status: r.status,
      occurrences: r.occurrences,
      firstSeenAt: r.firstSeenAt,
      lastSeenAt: r.lastSeenAt,
      resolvedAt: r.resolvedAt,
    }))
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));

async function incidents(store: PodWatchStore) {
  return (await store.listIncidents({ cluster: CLUSTER, limit: 1000 })).items;
}

/** The builder's share of the ledger, in order (the store side is written beforehand). */
function workOf(list: readonly LedgerChange[]): IncidentWork[] {
  const work: IncidentWork[] = [];
  for (const c of list) {
    const at = new Date(c.at);
    const o = c.object as any;
    if (c.kind === 'Pod') {
      const kind = c.type === 'DELETED' ? 'podDeleted' : 'pod';
      work.push({ kind, cluster: CLUSTER, pod: o, at });
    } else if (c.kind === 'Event' && c.type !== 'DELETED') {
      const event = normalizeCoreEvent(CLUSTER, o);
      work.push({ kind: 'event', cluster: CLUSTER, event, at });
    }
  }
  return work;
}

describe.each(databases.eachSupportedId())('batched incidents (%s)', id => {
  it('reach the one-at-a-time result with one write per open incident, and a relist of seen objects runs no SQL', async () => {
    const single = await freshStore(id);
    const oneByOne = new IncidentBuilder({ store: single.store });
    const singleSql = await statements(single.knex, () =>
      new SimFeeder(single.store, oneByOne, 1e9).feed(feedItems(changes)),
    );
    const expected = lifecycle(await incidents(single.store));
    expect(expected.map(i => i.fingerprint).join(' ')).toMatch(/crash-loop/);

    const batched = await freshStore(id);
    const builder = new IncidentBuilder({ store: batched.store });
    const events = changes.filter(c => c.kind === 'Event');
    await batched.store.upsertEvents(
      finalObjects(events, 'Event').map(o => normalizeCoreEvent(CLUSTER, o)),
    );
    const work = workOf(changes);
    const sql = await statements(batched.knex, () => builder.applyBatch(work));
    expect(lifecycle(await incidents(batched.store))).toEqual(expected);

    const updates = (list: string[]) =>
      list.filter(s => /^update\s+["`]?incidents["`]?\s/i.test(s)).length;
    // every incident opened in this batch: its later updates were written once, at the end
    expect(updates(sql)).toBeLessThanOrEqual(expected.length);
    expect(updates(singleSql)).toBeGreaterThan(updates(sql));

    // a relist: every pod that raises nothing and every Event version already applied is
    // skipped without a query
    const quiet = finalObjects(changes, 'Pod').filter(
      p => p.metadata.namespace === 'shop',
    );
    expect(quiet.length).toBeGreaterThan(0);
    const relist: IncidentWork[] = [
      ...quiet.map(pod => ({
        kind: 'pod' as const,
        cluster: CLUSTER,
        pod,
        at: new Date(),
      })),
      ...finalObjects(events, 'Event').map(o => ({
        kind: 'event' as const,
        cluster: CLUSTER,
        event: normalizeCoreEvent(CLUSTER, o),
        at: new Date(),
      })),
    ];
    const relistSql = await statements(batched.knex, () =>
      builder.applyBatch(relist),
    );
    expect(relistSql).toEqual([]);
    expect(lifecycle(await incidents(batched.store))).toEqual(expected);
  });

  it('queued versions of an Event coalesce into its latest, which counts what every version did', async () => {
    // the Warning Event with the most versions (its count grew while the run went on)
    const versionsOf = new Map<string, LedgerChange[]>();
    for (const c of changes) {
      if (c.kind !== 'Event' || (c.object as any).type !== 'Warning') continue;
      versionsOf.set(c.uid, [...(versionsOf.get(c.uid) ?? []), c]);
    }
    const versions = [...versionsOf.values()].sort(
      (a, b) => b.length - a.length,
    )[0];
    expect(versions.length).toBeGreaterThan(2);
    const pods = workOf(changes.filter(c => c.kind === 'Pod'));
    const stored = finalObjects(versions, 'Event').map(o =>
      normalizeCoreEvent(CLUSTER, o),
    );

    const single = await freshStore(id);
    const oneByOne = new IncidentBuilder({ store: single.store });
    await single.store.upsertEvents(stored);
    await oneByOne.applyBatch(pods);
    for (const w of workOf(versions)) await oneByOne.applyBatch([w]);
    const expected = lifecycle(await incidents(single.store));

    const queued = await freshStore(id);
    const builder = new IncidentBuilder({ store: queued.store });
    await queued.store.upsertEvents(stored);
    await builder.applyBatch(pods);
    const handed = builder.enqueue(workOf(versions));
    expect(builder.backlog).toBe(1);
    await handed;
    await builder.idle();
    expect(builder.backlog).toBe(0);
    expect(lifecycle(await incidents(queued.store))).toEqual(expected);
    expect(Math.max(...expected.map(i => i.occurrences))).toBeGreaterThan(1);
  });
});
