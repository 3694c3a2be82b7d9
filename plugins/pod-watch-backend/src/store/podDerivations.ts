import { inTransaction, int, StoreContext } from './batching';
import { requiredString, safeString, safeText } from './safeText';
import { PodHealth, POD_HEALTH_VALUES, TopIssue } from './types';

/** Derived fields of a pod re-evaluated at a later time for the same object state. */
export interface PodDerivationInput {
  uid: string;
  /** only applied while the stored pod still has this resourceVersion */
  resourceVersion: string;
  status: string;
  health: PodHealth;
  attention: number;
  topIssue?: TopIssue;
}

const MESSAGE_BYTES = 4096;

/**
 * Re-applies time-dependent derivations (health, attention, top issue and status change as time
 * passes: startup timeouts, restart windows, stuck terminations) to live pods whose object did
 * not change. Guarded by resourceVersion so a newer watch write is never overwritten.
 * Returns the number of pods updated.
 */
export async function refreshPodDerivations(
  ctx: StoreContext,
  cluster: string,
  pods: readonly PodDerivationInput[],
): Promise<number> {
  if (pods.length === 0) return 0;
  return inTransaction(ctx, async trx => {
    let updated = 0;
    for (const p of pods) {
      updated += await trx('pods')
        .where({
          cluster: requiredString(cluster, 253),
          uid: requiredString(p.uid, 64),
          resource_version: requiredString(p.resourceVersion, 64),
        })
        .whereNull('deleted_at')
        .update({
          status: requiredString(p.status, 128),
          health: POD_HEALTH_VALUES.includes(p.health) ? p.health : 'unknown',
          attention: Math.max(0, Math.min(100, int(p.attention) ?? 0)),
          top_issue_reason: safeString(p.topIssue?.reason, 253),
          top_issue_message: safeText(p.topIssue?.message, MESSAGE_BYTES),
          top_issue_container: safeString(p.topIssue?.container, 253),
          top_issue_severity: safeString(p.topIssue?.severity, 16),
        });
    }
    return updated;
  });
}
