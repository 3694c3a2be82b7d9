import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createStoreTestDatabases } from '../../__testUtils__/databases';
import { applyMigrations } from '../../database/migrations';
import { PodWatchStore } from '../PodWatchStore';

/**
 * Both engines (see createStoreTestDatabases for the CI guard) plus store helpers.
 * Call it at the top level of a test file: it registers afterAll hooks.
 */
export function storeTestDatabases() {
  const databases = createStoreTestDatabases();

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
