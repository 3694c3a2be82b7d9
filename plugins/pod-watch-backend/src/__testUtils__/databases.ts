import { TestDatabases } from '@backstage/backend-test-utils';

/** The engines every store test runs on: the embedded default and production's. */
export const STORE_ENGINES = ['SQLITE_3', 'POSTGRES_15'] as const;

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * `TestDatabases` silently drops PostgreSQL when it has no connection string and
 * Docker is off. In CI that would turn a broken database set-up into a green run,
 * so there a missing connection string is an error; locally PostgreSQL is optional.
 */
export function createStoreTestDatabases(): TestDatabases {
  if (process.env.CI && !process.env[POSTGRES_ENV]) {
    throw new Error(
      `${POSTGRES_ENV} is not set: CI must test PostgreSQL (.ci/run starts it)`,
    );
  }
  return TestDatabases.create({ ids: [...STORE_ENGINES] });
}
