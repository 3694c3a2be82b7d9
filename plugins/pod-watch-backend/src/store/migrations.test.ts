import { MIGRATIONS_TABLE, migrationsDirectory } from '../database/migrations';
import { storeTestDatabases } from './__testUtils__/databases';
import { STORE_TABLES } from './PodWatchStore';

const { databases, each } = storeTestDatabases();

describe('store migrations', () => {
  it.each(each)('migrate up, down and up again on %p', async id => {
    const knex = await databases.init(id);
    const options = {
      directory: migrationsDirectory(),
      tableName: MIGRATIONS_TABLE,
      loadExtensions: ['.js'],
    };
    await knex.migrate.latest(options);
    for (const table of STORE_TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    await knex.migrate.rollback(options, true);
    for (const table of STORE_TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    await knex.migrate.latest(options);
    const [done, pending] = await knex.migrate.list(options);
    expect(done.length).toBeGreaterThan(0);
    expect(pending).toEqual([]);
    // the partial unique index behaves the same on both engines
    const incident = {
      type: 't',
      severity: 'error',
      status: 'open',
      fingerprint: 'fp',
      summary: 's',
      occurrences: 1,
      first_seen_at: 1,
      last_seen_at: 1,
      opened_at: 1,
      updated_at: 1,
    };
    await knex('incidents').insert(incident);
    // (driver errors are not always `instanceof Error` inside jest: compare the message)
    const duplicate = await knex('incidents')
      .insert(incident)
      .then(
        () => 'inserted',
        (error: Error) => error.message,
      );
    expect(duplicate).toMatch(/unique|duplicate/i);
    await knex('incidents').insert({ ...incident, status: 'resolved' });
    await knex('incidents').insert({ ...incident, status: 'resolved' });
  });
});
