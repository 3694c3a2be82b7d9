import { num, StoreContext } from './batching';
import { ClusterCountsRow, PodHealth, POD_HEALTH_VALUES } from './types';

/**
 * Live (not deleted) object counts per cluster for the cluster overview: pods by phase and
 * health, workloads by kind. Two GROUP BY scans over indexed columns.
 */
export async function countByCluster(
  ctx: StoreContext,
): Promise<ClusterCountsRow[]> {
  const [pods, workloads] = await Promise.all([
    ctx
      .knex('pods')
      .whereNull('deleted_at')
      .select('cluster', 'phase', 'health')
      .count({ n: '*' })
      .groupBy('cluster', 'phase', 'health'),
    ctx
      .knex('workloads')
      .whereNull('deleted_at')
      .select('cluster', 'kind')
      .count({ n: '*' })
      .groupBy('cluster', 'kind'),
  ]);
  const out = new Map<string, ClusterCountsRow>();
  const row = (cluster: string) => {
    let r = out.get(cluster);
    if (!r) {
      r = {
        cluster,
        pods: 0,
        phases: {},
        health: Object.fromEntries(
          POD_HEALTH_VALUES.map(h => [h, 0]),
        ) as Record<PodHealth, number>,
        workloads: {},
      };
      out.set(cluster, r);
    }
    return r;
  };
  for (const p of pods as Array<Record<string, unknown>>) {
    const n = num(p.n) ?? 0;
    const r = row(p.cluster as string);
    const phase = (p.phase as string | null) ?? 'Unknown';
    r.pods += n;
    r.phases[phase] = (r.phases[phase] ?? 0) + n;
    r.health[p.health as PodHealth] =
      (r.health[p.health as PodHealth] ?? 0) + n;
  }
  for (const w of workloads as Array<Record<string, unknown>>) {
    const r = row(w.cluster as string);
    r.workloads[w.kind as string] = num(w.n) ?? 0;
  }
  return [...out.values()].sort((a, b) => a.cluster.localeCompare(b.cluster));
}
