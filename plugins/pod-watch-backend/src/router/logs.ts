import {
  foldLogLines,
  maxLevel,
  podWatchLogsReadPermission,
  type LogEntryItem,
  type LogLevel,
  type LogLevelFilter,
  type LogsResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { LogLineRow, LogQuery } from '../store';
import { RouteContext } from './context';
import { entityScope, podsInScope } from './entityScope';
import { ParameterError } from './errors';
import {
  bool,
  checkTimeRange,
  dnsLabel,
  dnsSubdomain,
  entityRef,
  enumList,
  int,
  name,
  parseParams,
  searchText,
  time,
} from './validation';

const LEVEL_FILTERS: [LogLevelFilter, ...LogLevelFilter[]] = [
  'error',
  'warning',
  'info',
  'debug',
  'unknown',
  'exception',
];

const filters = {
  entityRef: entityRef(),
  cluster: name().optional(),
  namespace: dnsLabel().optional(),
  pod: dnsSubdomain().optional(),
  container: dnsLabel().optional(),
  level: enumList(LEVEL_FILTERS).optional(),
  q: searchText().optional(),
  start: time().optional(),
  end: time().optional(),
  source: z
    .enum(['live', 'previous'], { message: 'must be live or previous' })
    .optional(),
};

export const logsQuery = z.object({
  ...filters,
  fold: bool().optional(),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).optional(),
  cursor: z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor from a previous page')
    .optional(),
  limit: int(1, 2000).optional(),
});

export const logsDownloadQuery = z.object(filters);

/** Lines a download holds at most; past this the file ends with a note. */
export const MAX_DOWNLOAD_LINES = 100_000;

/** One stream of lines: a container instance of a pod, live or previous. */
const streamKey = (l: LogLineRow) =>
  `${l.podUid}\u0000${l.container}\u0000${l.instance}\u0000${l.source}`;

const byTime = (a: { at: string; id: number }, b: { at: string; id: number }) =>
  a.at.localeCompare(b.at) || a.id - b.id;

function entryOf(rows: readonly LogLineRow[], level?: LogLevel): LogEntryItem {
  const first = rows[0];
  return {
    id: first.id,
    at: first.at,
    level: rows.reduce<LogLevel>(
      (l, r) => maxLevel(l, r.level),
      level ?? first.level,
    ),
    exception: rows.length > 1 || first.exception,
    lines: rows.map(r => r.text),
    cluster: first.cluster,
    namespace: first.namespace,
    pod: first.podName,
    podUid: first.podUid,
    container: first.container,
    instance: first.instance,
    source: first.source,
  };
}

/**
 * Log rows → entries; with `fold`, each stream's multi-line exceptions become one entry (the
 * common package's folder decides). A trace cut by a page boundary folds per page.
 */
export function toEntries(
  rows: readonly LogLineRow[],
  fold: boolean,
  order: 'asc' | 'desc',
): LogEntryItem[] {
  if (!fold) return rows.map(r => entryOf([r]));
  const streams = new Map<string, LogLineRow[]>();
  for (const row of [...rows].sort(byTime)) {
    const key = streamKey(row);
    const stream = streams.get(key);
    if (stream) stream.push(row);
    else streams.set(key, [row]);
  }
  const entries: LogEntryItem[] = [];
  for (const stream of streams.values()) {
    for (const e of foldLogLines(stream.map(r => r.text))) {
      const part = stream.slice(e.firstLine, e.firstLine + e.lines.length);
      entries.push(entryOf(part, part.length > 1 ? e.level : undefined));
    }
  }
  entries.sort(byTime);
  return order === 'desc' ? entries.reverse() : entries;
}

/** The store query for an entity's logs; undefined when the entity has no matching pod. */
async function logQuery(
  ctx: RouteContext,
  req: Request,
  q: z.output<typeof logsDownloadQuery>,
): Promise<{ query: LogQuery; entityName: string } | undefined> {
  checkTimeRange(q.start, q.end);
  const credentials = await ctx.credentials(req);
  const entity = await ctx.access.authorize(
    q.entityRef,
    podWatchLogsReadPermission,
    credentials,
  );
  const scope = entityScope(q.entityRef, entity, q);
  // logs of pods that are gone are the interesting ones after a crash
  const pods = (
    await podsInScope(ctx.store, scope, { includeDeleted: true })
  ).items.filter(p => q.pod === undefined || p.name === q.pod);
  if (pods.length === 0) return undefined;
  const levels = q.level?.filter((l): l is LogLevel => l !== 'exception');
  const exceptions = q.level?.includes('exception') ?? false;
  return {
    entityName: parseEntityRef(q.entityRef).name,
    query: {
      podUids: [...new Set(pods.map(p => p.uid))],
      container: q.container,
      levels: q.level ? levels : undefined,
      includeExceptions: exceptions,
      source: q.source,
      since: q.start,
      until: q.end,
      text: q.q,
    },
  };
}

/** `GET /logs` (entries in keyset pages) and `GET /logs/download` (plain text). */
export function logsRoutes(ctx: RouteContext) {
  const router = Router();

  router.get('/logs', async (req, res) => {
    const q = parseParams(logsQuery, req.query);
    const found = await logQuery(ctx, req, q);
    if (!found) {
      res.json({ items: [] } satisfies LogsResponse);
      return;
    }
    const order = q.order ?? 'desc';
    let page;
    try {
      page = await ctx.store.listLogs({
        ...found.query,
        order,
        cursor: q.cursor,
        limit: q.limit,
      });
    } catch (e) {
      if (e instanceof TypeError && /cursor/.test(e.message)) {
        throw new ParameterError(
          'cursor',
          'is not a cursor from a previous page',
        );
      }
      throw e;
    }
    const body: LogsResponse = {
      items: toEntries(page.items, q.fold ?? true, order),
      nextCursor: page.nextCursor,
    };
    res.json(body);
  });

  router.get('/logs/download', async (req, res) => {
    const q = parseParams(logsDownloadQuery, req.query);
    const found = await logQuery(ctx, req, q);
    const file = `${found?.entityName ?? 'pod-watch'}-logs.txt`.replace(
      /[^A-Za-z0-9._-]/g,
      '_',
    );
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    let written = 0;
    let cursor: string | undefined;
    while (found) {
      const page = await ctx.store.listLogs({
        ...found.query,
        order: 'asc',
        cursor,
        limit: 2000,
      });
      const lines = page.items.map(
        l =>
          `${l.at} ${l.podName}/${l.container}${
            l.source === 'previous' ? ' (previous)' : ''
          } ${l.text}\n`,
      );
      res.write(lines.join(''));
      written += page.items.length;
      cursor = page.nextCursor;
      if (!cursor) break;
      if (written >= MAX_DOWNLOAD_LINES) {
        res.write(`… truncated after ${written} lines\n`);
        break;
      }
    }
    res.end();
  });

  return router;
}
