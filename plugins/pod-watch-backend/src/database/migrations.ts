import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';

/** knex's bookkeeping tables for this plugin, kept apart from other plugins' migrations. */
export const MIGRATIONS_TABLE = 'pod_watch_knex_migrations';

/**
 * Where the migrations live. The design card keeps them in the repository's root
 * `migrations/` folder; `prepack` copies them into the package so a published
 * package carries its own.
 */
export function migrationsDirectory(): string {
  const packaged = resolvePackagePath(
    '@pod-watch/plugin-pod-watch-backend',
    'migrations',
  );
  if (fs.existsSync(packaged)) {
    return packaged;
  }
  return path.resolve(
    resolvePackagePath('@pod-watch/plugin-pod-watch-backend'),
    '../../migrations',
  );
}

/**
 * Another replica got there first: it holds knex's migration lock, or (on an empty PostgreSQL
 * database) it created knex's bookkeeping tables between our existence check and our CREATE
 * (42P07 duplicate table; 23505 on the table's row type in pg_type).
 */
function lostStartupRace(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  const message = String((e as Error)?.message);
  return (
    /already locked/i.test(message) ||
    code === '42P07' ||
    (code === '23505' && /pg_type_typname_nsp_index/.test(message))
  );
}

/**
 * Applies every pending migration; safe to call on every start. Replicas that start together
 * race for knex's tables and migration lock: the losers wait for the winner instead of crashing.
 */
export async function applyMigrations(
  knex: Knex,
  options: { lockWaitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.lockWaitMs ?? 120_000);
  for (;;) {
    try {
      await knex.migrate.latest({
        directory: migrationsDirectory(),
        tableName: MIGRATIONS_TABLE,
        loadExtensions: ['.js'],
      });
      return;
    } catch (e) {
      if (!lostStartupRace(e) || Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}

/** Names of applied and pending migrations, for the health route. */
export async function migrationStatus(
  knex: Knex,
): Promise<{ applied: number; pending: number }> {
  const [completed, pending] = await knex.migrate.list({
    directory: migrationsDirectory(),
    tableName: MIGRATIONS_TABLE,
    loadExtensions: ['.js'],
  });
  return { applied: completed.length, pending: pending.length };
}
