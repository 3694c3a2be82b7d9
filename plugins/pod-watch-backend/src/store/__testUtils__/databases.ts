import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyMigrations } from '../../database/migrations';
import { PodWatchStore } from '../PodWatchStore';

const ENGINES: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];

/**
 * TestDatabases for store tests on both engines. TestDatabases silently drops PostgreSQL when it
 * has no connection string and Docker is disabled; with `CI` set that throws here, failing the
 * test file instead of letting the suite pass on SQLite alone. (A connection string pointing at
 * an unreachable server already fails in `init`.)
 * Call it at the top level of a test file: it registers afterAll hooks.
 */
export function storeTestDatabases() {
  const databases = TestDatabases.create({ ids: ENGINES });
  if (process.env.CI && !databases.supports('POSTGRES_15')) {
    throw new Error(
      'CI is set but PostgreSQL is not available to the store tests: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
  }

  /** A new, empty, migrated database: for tests that count or delete across tables. */
  const fresh = async (id: TestDatabaseId) => {
    const knex = await databases.init(id);
    await applyMigrations(knex);
    return { knex, store: await PodWatchStore.create(knex) };
  };

  const stores = new Map<
    TestDatabaseId,
    Promise<{ knex: Knex; store: PodWatchStore }>
  >();
  /** A migrated database and store per engine, shared by the tests of one file. */
  const shared = (id: TestDatabaseId) => {
    let entry = stores.get(id);
    if (!entry) {
      entry = fresh(id);
      stores.set(id, entry);
    }
    return entry;
  };
  return { databases, each: databases.eachSupportedId(), shared, fresh };
}

let counter = 0;
/** A cluster name unique within the run, so tests sharing a database do not see each other. */
export function uniqueCluster(prefix = 'c'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** All rows of a table for a cluster, sorted, for before/after comparisons. */
export async function dump(
  knex: Knex,
  table: string,
  where: Record<string, unknown>,
): Promise<unknown[]> {
  const rows = await knex(table).where(where);
  return rows.map(r => JSON.stringify(r, Object.keys(r).sort())).sort();
}
