import {
  bool,
  chunk,
  distinct,
  inTransaction,
  isoRequired,
  opt,
  placeholders,
  requireMs,
  StoreContext,
  upsertRows,
} from './batching';
import { requiredString, safeString } from './safeText';
import { EndpointRow, ServiceEndpointsInput } from './types';

const COLUMNS = [
  'cluster',
  'namespace',
  'service',
  'slice',
  'ip',
  'pod_uid',
  'pod_name',
  'node_name',
  'ready',
  'serving',
  'terminating',
  'first_seen_at',
  'last_seen_at',
] as const;
const KEY = ['cluster', 'namespace', 'service', 'slice', 'ip'] as const;

const nullableBool = (v: boolean | null | undefined) =>
  v === undefined || v === null ? null : Boolean(v);

/**
 * Applies the current endpoints of a Service (or of one of its EndpointSlices): upserts them,
 * keeping first_seen_at, and prunes the stored ones of the same scope that are gone.
 * Re-applying the same state changes nothing. An empty list removes the scope's endpoints
 * (slice deleted).
 */
export async function replaceServiceEndpoints(
  ctx: StoreContext,
  input: ServiceEndpointsInput,
): Promise<{ upserted: number; pruned: number }> {
  const seen = requireMs(input.seenAt, 'endpoints seenAt');
  const slice = input.slice ?? '';
  const scope = {
    cluster: requiredString(input.cluster, 253),
    namespace: requiredString(input.namespace, 253),
    service: requiredString(input.service, 253),
  };
  const rows = input.endpoints
    .filter(e => e.ip)
    .map(e => [
      scope.cluster,
      scope.namespace,
      scope.service,
      requiredString(slice, 253),
      requiredString(e.ip, 64),
      safeString(e.podUid, 64),
      safeString(e.podName, 253),
      safeString(e.nodeName, 253),
      nullableBool(e.ready),
      nullableBool(e.serving),
      nullableBool(e.terminating),
      seen,
      seen,
    ]);
  const conditionChanged = [
    'pod_uid',
    'pod_name',
    'node_name',
    'ready',
    'serving',
    'terminating',
  ]
    .map(c => distinct(ctx, `service_endpoints.${c}`, `excluded.${c}`))
    .join(' OR ');
  return inTransaction(ctx, async trx => {
    await upsertRows(
      ctx,
      trx,
      {
        table: 'service_endpoints',
        columns: COLUMNS,
        conflict: KEY,
        update: {
          pod_uid: 'excluded.pod_uid',
          pod_name: 'excluded.pod_name',
          node_name: 'excluded.node_name',
          ready: 'excluded.ready',
          serving: 'excluded.serving',
          terminating: 'excluded.terminating',
          last_seen_at: 'excluded.last_seen_at',
        },
        // only a newer observation or a changed condition writes
        where: `excluded.last_seen_at > service_endpoints.last_seen_at OR ${conditionChanged}`,
      },
      rows,
    );
    // Prune: the stored addresses of this scope that the new state lacks.
    let storedQuery = trx('service_endpoints')
      .select('slice', 'ip')
      .where(scope);
    if (input.slice !== undefined) {
      storedQuery = storedQuery.where({ slice });
    }
    const stored: Array<{ slice: string; ip: string }> = await storedQuery;
    const present = new Set(rows.map(r => `${r[3]}\u0000${r[4]}`));
    const gone = stored.filter(s => !present.has(`${s.slice}\u0000${s.ip}`));
    const bySlice = new Map<string, string[]>();
    for (const g of gone) {
      bySlice.set(g.slice, [...(bySlice.get(g.slice) ?? []), g.ip]);
    }
    for (const [sliceName, ips] of bySlice) {
      for (const part of chunk(ips, 500)) {
        await trx.raw(
          `DELETE FROM service_endpoints WHERE cluster = ? AND namespace = ? AND service = ? AND slice = ? AND ip IN (${placeholders(
            part.length,
          )})`,
          [scope.cluster, scope.namespace, scope.service, sliceName, ...part],
        );
      }
    }
    return { upserted: rows.length, pruned: gone.length };
  });
}

function toRow(r: Record<string, unknown>): EndpointRow {
  return {
    cluster: r.cluster as string,
    namespace: r.namespace as string,
    service: r.service as string,
    slice: r.slice as string,
    ip: r.ip as string,
    podUid: opt(r.pod_uid as string),
    podName: opt(r.pod_name as string),
    nodeName: opt(r.node_name as string),
    ready: bool(r.ready),
    serving: bool(r.serving),
    terminating: bool(r.terminating),
    firstSeenAt: isoRequired(r.first_seen_at),
    lastSeenAt: isoRequired(r.last_seen_at),
  };
}

/** Endpoints of a Service, or the Services a set of pods sit behind. */
export async function listEndpoints(
  ctx: StoreContext,
  query: {
    cluster: string;
    namespace?: string;
    service?: string;
    podUids?: string[];
  },
): Promise<EndpointRow[]> {
  let q = ctx.knex('service_endpoints').where({ cluster: query.cluster });
  if (query.namespace !== undefined)
    q = q.where({ namespace: query.namespace });
  if (query.service !== undefined) q = q.where({ service: query.service });
  if (query.podUids) q = q.whereIn('pod_uid', query.podUids);
  const rows = await q.orderBy(['namespace', 'service', 'slice', 'ip']);
  return rows.map(toRow);
}
