/**
 * Scratch databases for benchmarks and the reliability suite: a SQLite file in the temp dir (plain Backstage settings) or
 * a fresh PostgreSQL database, migrated with Pod Watch's migrations and dropped on close.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import { PodWatchStore } from '../store';

export type EngineName = 'sqlite' | 'pg';

export interface ScratchDatabase {
  engine: EngineName;
  knex: Knex;
  /** a knex config for the same database, to hand to a backend under test */
  connection: Knex.Config;
  store: PodWatchStore;
  /** bytes on disk of a table with its indexes (and TOAST on PostgreSQL) */
  tableBytes(table: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Opens a migrated scratch database. `migrate: false` leaves it empty (for a backend to migrate). */
export async function openScratchDatabase(
  engine: EngineName,
  options: { pgUrl: string; name: string; migrate?: boolean },
): Promise<ScratchDatabase> {
  const name = `pod_watch_scratch_${process.pid}_${options.name}`.replace(
    /\W/g,
    '_',
  );
  let knex: Knex;
  let connection: Knex.Config;
  let cleanup: () => Promise<void>;
  let tableBytes: (table: string) => Promise<number | undefined>;
  if (engine === 'sqlite') {
    const file = path.join(os.tmpdir(), `${name}.sqlite`);
    const files = [file, `${file}-journal`, `${file}-wal`, `${file}-shm`];
    files.forEach(f => fs.rmSync(f, { force: true }));
    connection = {
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    };
    knex = knexFactory(connection);
    cleanup = async () => files.forEach(f => fs.rmSync(f, { force: true }));
    tableBytes = async table => {
      try {
        const rows = await knex.raw(
          "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)",
          [table, table],
        );
        return Number(rows[0].bytes);
      } catch {
        return undefined; // dbstat not compiled in
      }
    };
  } else {
    const admin = knexFactory({
      client: 'pg',
      connection: `${options.pgUrl}/postgres`,
    });
    await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
    await admin.raw('CREATE DATABASE ??', [name]);
    connection = {
      client: 'pg',
      connection: `${options.pgUrl}/${name}`,
      pool: { min: 1, max: 8 },
    };
    knex = knexFactory(connection);
    cleanup = async () => {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    };
    tableBytes = async table => {
      const rows = await knex.raw('SELECT pg_total_relation_size(?) AS bytes', [
        table,
      ]);
      return Number(rows.rows[0].bytes);
    };
  }
  if (options.migrate !== false) await applyMigrations(knex);
  return {
    engine,
    knex,
    connection,
    store: await PodWatchStore.create(knex),
    tableBytes,
    async close() {
      await knex.destroy();
      await cleanup();
    },
  };
}
