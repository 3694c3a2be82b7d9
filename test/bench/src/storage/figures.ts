/** The storage goals and the report item of one measured table (see README-storage.md). */
import { EngineName } from '../lib/context';
import { BenchItem, round } from '../lib/report';
import { TableGrowth } from './tableGrowth';

export interface StorageKind {
  /** "Event", "log line", "history snapshot" */
  what: string;
  table: string;
  goal: string;
  /** bytes per row, raw bytes per row */
  met(stored: number, raw: number): boolean;
  /** why SQLite may miss the goal PostgreSQL is held to */
  sqliteCaveat?: string;
}

export const STORAGE_KINDS = {
  events: {
    what: 'Event',
    table: 'events',
    goal: '≤ 1 KB per Event (table + indexes)',
    met: stored => stored <= 1024,
  },
  logs: {
    what: 'log line',
    table: 'log_lines',
    goal: '≤ 3× the raw line (row metadata and 5 indexes at most twice the text)',
    met: (stored, raw) => stored <= 3 * raw,
  },
  snapshots: {
    what: 'history snapshot',
    table: 'object_history',
    goal: '≤ 1× the raw JSON (compressed in TOAST, indexes included)',
    met: (stored, raw) => stored <= raw,
    sqliteCaveat:
      'SQLite stores text uncompressed (no TOAST), so a snapshot costs its full JSON plus row and index overhead',
  },
} satisfies Record<string, StorageKind>;

const sizeOf: Record<EngineName, string> = {
  pg: 'pg_total_relation_size',
  sqlite: 'dbstat pages',
};

export function storageItem(
  engine: EngineName,
  kind: StorageKind,
  growth: TableGrowth,
  rawBytes: number,
  rawWhat: string,
): BenchItem {
  const stored = growth.bytes / growth.rows;
  const raw = rawBytes / growth.rows;
  const met = kind.met(stored, raw);
  const caveat =
    !met && engine === 'sqlite' && kind.sqliteCaveat
      ? `; ${kind.sqliteCaveat}`
      : '';
  return {
    name: `storage: bytes per stored ${kind.what} (${engine})`,
    value: round(stored),
    unit: 'B',
    baseline: round(raw),
    ratio: round(stored / raw),
    goal: kind.goal,
    met,
    note: `${sizeOf[engine]} delta of ${kind.table} over ${
      growth.rows
    } rows written through the store in ${round(
      growth.seconds,
    )} s; baseline = ${rawWhat}${caveat}`,
  };
}
