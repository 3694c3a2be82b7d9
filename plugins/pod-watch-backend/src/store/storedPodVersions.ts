import type { StoreContext } from './batching';
import { num } from './batching';
import type { PodHealth } from './types';

/** What a relist needs to know of a stored live pod to skip re-deriving it. */
export interface StoredPodVersion {
  resourceVersion?: string;
  status: string;
  health: PodHealth;
  attention: number;
  topIssue?: { reason: string; severity?: string; container?: string };
}

/**
 * Live pods of a cluster (or one namespace) by uid, read once per relist: a listed pod with
 * the stored resourceVersion is the stored state, so its derivation and write can be skipped.
 */
export async function storedPodVersions(
  ctx: StoreContext,
  cluster: string,
  namespace?: string,
): Promise<Map<string, StoredPodVersion>> {
  const query = ctx
    .knex('pods')
    .where({ cluster })
    .whereNull('deleted_at')
    .select(
      'uid',
      'resource_version',
      'status',
      'health',
      'attention',
      'top_issue_reason',
      'top_issue_severity',
      'top_issue_container',
    );
  if (namespace !== undefined) query.andWhere({ namespace });
  const out = new Map<string, StoredPodVersion>();
  for (const r of await query) {
    out.set(r.uid, {
      resourceVersion: r.resource_version ?? undefined,
      status: r.status,
      health: r.health,
      attention: num(r.attention) ?? 0,
      topIssue: r.top_issue_reason
        ? {
            reason: r.top_issue_reason,
            severity: r.top_issue_severity ?? undefined,
            container: r.top_issue_container ?? undefined,
          }
        : undefined,
    });
  }
  return out;
}
