import { Knex } from 'knex';
import { migrationStatus } from '../database/migrations';

/** What `GET /health` answers: enough for a readiness probe and a human. */
export interface HealthReport {
  status: 'ok' | 'error';
  version: string;
  database: {
    status: 'ok' | 'error';
    client?: string;
    migrations?: { applied: number; pending: number };
    error?: string;
  };
}

/**
 * Checks that the plugin's database answers and that every migration is applied.
 * The error text is the driver's message only: connection strings never reach it.
 */
export async function checkHealth(
  knex: Knex,
  version: string,
): Promise<HealthReport> {
  try {
    await knex.raw('select 1');
    const migrations = await migrationStatus(knex);
    const ok = migrations.pending === 0;
    return {
      status: ok ? 'ok' : 'error',
      version,
      database: {
        status: ok ? 'ok' : 'error',
        client: String(knex.client.config.client),
        migrations,
        ...(ok ? {} : { error: 'migrations pending' }),
      },
    };
  } catch (e) {
    return {
      status: 'error',
      version,
      database: { status: 'error', error: (e as Error).message },
    };
  }
}
