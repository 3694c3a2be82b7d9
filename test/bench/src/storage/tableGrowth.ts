/**
 * Bytes a table (with its indexes, and TOAST on PostgreSQL) grows by per stored row, for rows
 * written by `write`. Both sides of the delta are measured after VACUUM (ANALYZE) on
 * PostgreSQL, the state autovacuum keeps a table in, so free-space and visibility maps count.
 */
import { ScratchDatabase } from '../lib/databases';

export interface TableGrowth {
  rows: number;
  bytes: number;
  seconds: number;
}

async function steadySize(db: ScratchDatabase, table: string): Promise<number> {
  if (db.engine === 'pg') await db.knex.raw('VACUUM (ANALYZE) ??', [table]);
  const bytes = await db.tableBytes(table);
  if (bytes === undefined)
    throw new Error(`no table sizes on ${db.engine} (dbstat missing)`);
  return bytes;
}

const countRows = async (db: ScratchDatabase, table: string) =>
  Number((await db.knex(table).count({ n: '*' }))[0].n);

export async function tableGrowth(
  db: ScratchDatabase,
  table: string,
  write: () => Promise<void>,
): Promise<TableGrowth> {
  const [bytesBefore, rowsBefore] = [
    await steadySize(db, table),
    await countRows(db, table),
  ];
  const t0 = Date.now();
  await write();
  const seconds = (Date.now() - t0) / 1000;
  const bytes = (await steadySize(db, table)) - bytesBefore;
  return { rows: (await countRows(db, table)) - rowsBefore, bytes, seconds };
}
