import { createHash } from 'node:crypto';
import {
  Binding,
  bool,
  clampLimit,
  inTransaction,
  isoRequired,
  num,
  opt,
  placeholders,
  requireMs,
  StoreContext,
  toMs,
  upsertRows,
} from './batching';
import { rowsOf } from './objects';
import {
  cleanText,
  escapeLike,
  requiredString,
  safeString,
  safeText,
} from './safeText';
import {
  LogLevel,
  LogLineInput,
  LogLineRow,
  LogPage,
  LogQuery,
  TimeInput,
} from './types';

/** Longer lines are cut; a stack trace arrives as many lines, so 16 KB is generous. */
export const LOG_LINE_BYTES = 16 * 1024;
const LEVELS: readonly LogLevel[] = [
  'error',
  'warning',
  'info',
  'debug',
  'unknown',
];

const COLUMNS = [
  'cluster',
  'namespace',
  'pod_uid',
  'pod_name',
  'container',
  'instance',
  'source',
  'at',
  'level',
  'exception',
  'fingerprint',
  'text',
  'line_key',
] as const;

/**
 * Stores captured log lines. Each line gets a key from its time, text and its ordinal among
 * identical lines of the batch, unique per container instance: overlapping tails captured again
 * (and a `--previous` capture of lines already tailed live) are ignored, while genuinely
 * repeated lines are kept.
 */
export async function insertLogLines(
  ctx: StoreContext,
  lines: readonly LogLineInput[],
): Promise<void> {
  if (lines.length === 0) {
    return;
  }
  const ordinals = new Map<string, number>();
  const rows = lines.map(l => {
    const at = requireMs(l.at, 'log line time');
    const text = safeText(l.text, LOG_LINE_BYTES) ?? '';
    const scope = `${l.cluster}\u0000${l.podUid}\u0000${l.container}\u0000${l.instance}\u0000${at}\u0000${text}`;
    const ordinal = ordinals.get(scope) ?? 0;
    ordinals.set(scope, ordinal + 1);
    const lineKey = createHash('sha1')
      .update(`${at}\u0000${ordinal}\u0000${text}`)
      .digest('hex')
      .slice(0, 32);
    return [
      requiredString(l.cluster, 253),
      requiredString(l.namespace, 253),
      requiredString(l.podUid, 64),
      requiredString(l.podName, 253),
      requiredString(l.container, 253),
      Math.max(0, Math.trunc(l.instance ?? 0)),
      l.source === 'previous' ? 'previous' : 'live',
      at,
      LEVELS.includes(l.level) ? l.level : 'unknown',
      Boolean(l.exception),
      safeString(l.fingerprint, 64),
      text,
      lineKey,
    ];
  });
  const conflict = ['cluster', 'pod_uid', 'container', 'instance', 'line_key'];
  const write = (db: Parameters<typeof upsertRows>[1]) =>
    upsertRows(
      ctx,
      db,
      { table: 'log_lines', columns: COLUMNS, conflict },
      rows,
    );
  if (rows.length <= 500) {
    await write(ctx.knex);
  } else {
    await inTransaction(ctx, trx => write(trx));
  }
}

/** Time of the newest stored line of a container instance: where the next tail starts. */
export async function lastLogTime(
  ctx: StoreContext,
  key: {
    cluster: string;
    podUid: string;
    container: string;
    instance?: number;
  },
): Promise<string | undefined> {
  let q = ctx.knex('log_lines').max({ at: 'at' }).where({
    cluster: key.cluster,
    pod_uid: key.podUid,
    container: key.container,
  });
  if (key.instance !== undefined) {
    q = q.where({ instance: key.instance });
  }
  const row = (await q)[0] as { at?: unknown } | undefined;
  const ms = num(row?.at);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function encodeCursor(at: number, id: number): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every(v => Number.isSafeInteger(v))
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  return undefined;
}

function toRow(r: Record<string, unknown>): LogLineRow {
  return {
    id: num(r.id) ?? 0,
    cluster: r.cluster as string,
    namespace: r.namespace as string,
    podUid: r.pod_uid as string,
    podName: r.pod_name as string,
    container: r.container as string,
    instance: num(r.instance) ?? 0,
    source: r.source as LogLineRow['source'],
    at: isoRequired(r.at),
    level: r.level as LogLevel,
    exception: bool(r.exception) ?? false,
    fingerprint: opt(r.fingerprint as string),
    text: r.text as string,
  };
}

/**
 * Log lines of a set of pods, filtered by container/level/time/text, in keyset pages ordered by
 * (time, id): stable while new lines arrive, and no OFFSET scans on deep pages.
 */
export async function listLogs(
  ctx: StoreContext,
  query: LogQuery,
): Promise<LogPage> {
  const limit = clampLimit(query.limit, 200, 2000);
  if (query.podUids.length === 0) {
    return { items: [] };
  }
  const desc = query.order !== 'asc';
  const where: string[] = [
    `pod_uid IN (${placeholders(query.podUids.length)})`,
  ];
  const bindings: Binding[] = [...query.podUids];
  const add = (sql: string, ...values: Binding[]) => {
    where.push(sql);
    bindings.push(...values);
  };
  if (query.cluster !== undefined) add('cluster = ?', query.cluster);
  if (query.container !== undefined) add('container = ?', query.container);
  if (query.levels) {
    const levels = query.levels;
    if (levels.length === 0 && !query.includeExceptions) {
      return { items: [] };
    }
    const anyOf = levels.length
      ? [`level IN (${placeholders(levels.length)})`]
      : [];
    if (query.includeExceptions) anyOf.push('exception = ?');
    add(
      `(${anyOf.join(' OR ')})`,
      ...levels,
      ...(query.includeExceptions ? [true] : []),
    );
  }
  if (query.source !== undefined) add('source = ?', query.source);
  if (query.exceptionOnly) add('exception = ?', true);
  if (query.fingerprint !== undefined)
    add('fingerprint = ?', query.fingerprint);
  const since = toMs(query.since as TimeInput | undefined);
  const until = toMs(query.until as TimeInput | undefined);
  if (since !== undefined) add('at >= ?', since);
  if (until !== undefined) add('at <= ?', until);
  const text = cleanText(query.text ?? null);
  if (text) {
    add(
      `text ${ctx.engine === 'pg' ? 'ILIKE' : 'LIKE'} ? ESCAPE '\\'`,
      `%${escapeLike(text)}%`,
    );
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor) {
      throw new TypeError('invalid log cursor');
    }
    add(`(at, id) ${desc ? '<' : '>'} (?, ?)`, cursor[0], cursor[1]);
  }
  const order = desc ? 'DESC' : 'ASC';
  const result = await ctx.knex.raw(
    `SELECT * FROM log_lines WHERE ${where.join(
      ' AND ',
    )} ORDER BY at ${order}, id ${order} LIMIT ?`,
    [...bindings, limit + 1],
  );
  const rows = rowsOf<Record<string, unknown>>(ctx, result);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toRow),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor(num(last.at) ?? 0, num(last.id) ?? 0)
        : undefined,
  };
}
