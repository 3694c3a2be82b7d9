import knexFactory from 'knex';
import { createStoreTestDatabases } from '../__testUtils__/databases';
import {
  applyMigrations,
  migrationStatus,
  MIGRATIONS_TABLE,
} from './migrations';
import { checkHealth } from '../router/health';

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = createStoreTestDatabases();

  it.each(databases.eachSupportedId())(
    'apply cleanly, are idempotent and report healthy on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await applyMigrations(knex);
      await applyMigrations(knex);

      const status = await migrationStatus(knex);
      expect(status.pending).toBe(0);
      expect(status.applied).toBeGreaterThan(0);
      expect(await knex.schema.hasTable('clusters')).toBe(true);

      const health = await checkHealth(knex, '1.2.3');
      expect(health).toMatchObject({
        status: 'ok',
        database: { status: 'ok', migrations: { pending: 0 } },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'lets replicas that start together all finish migrating on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Hold knex's migration lock the way a replica mid-migration does.
      await knex.schema.createTable(`${MIGRATIONS_TABLE}_lock`, t => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
      await knex(`${MIGRATIONS_TABLE}_lock`).insert({ is_locked: 1 });
      const waiting = applyMigrations(knex, { lockWaitMs: 20_000 });
      await new Promise(resolve => setTimeout(resolve, 1500));
      await knex(`${MIGRATIONS_TABLE}_lock`).update({ is_locked: 0 });
      await waiting;
      expect((await migrationStatus(knex)).pending).toBe(0);
    },
  );

  // replicas share a database server (the SQLite test database is in memory, one per client)
  it.each(
    databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES')),
  )(
    'lets replicas that start together on an empty database all finish on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const connection = (knex.client as any).config;
      // separate pools, like separate processes: they race on knex's own tables too
      const replicas = [0, 1, 2].map(() => knexFactory(connection));
      try {
        await Promise.all(
          replicas.map(r => applyMigrations(r, { lockWaitMs: 20_000 })),
        );
        expect((await migrationStatus(knex)).pending).toBe(0);
      } finally {
        await Promise.all(replicas.map(r => r.destroy()));
      }
    },
  );

  it('reports an unreachable database as an error instead of throwing', async () => {
    const knex = knexFactory({
      client: 'pg',
      connection: 'postgresql://postgres:secret@127.0.0.1:1/none',
      pool: { min: 0, max: 1, acquireTimeoutMillis: 2000 },
    });
    try {
      const health = await checkHealth(knex, '1.2.3');
      expect(health.status).toBe('error');
      expect(health.database.status).toBe('error');
      expect(JSON.stringify(health)).not.toContain('secret');
    } finally {
      await knex.destroy();
    }
  });
});
