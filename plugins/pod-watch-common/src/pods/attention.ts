import type { PodHealth } from '../types';
import type { RankedIssue } from './health';

/** Base of each health class: bands never overlap, so a failing pod always outranks a degraded one. */
const BANDS: Record<PodHealth, [number, number]> = {
  failing: [60, 100],
  unknown: [55, 75],
  degraded: [30, 55],
  initializing: [8, 20],
  terminating: [3, 8],
  healthy: [0, 5],
  completed: [0, 0],
};

export interface AttentionInput {
  health: PodHealth;
  issues: readonly RankedIssue[];
  restarts: number;
  restartsInWindow: number;
  /** An old failed attempt (e.g. a Job's): still failing, but at the bottom of the band. */
  staleFailure?: boolean;
}

/**
 * Attention score, 0–100 (higher = look first). The health class picks a band; within it the
 * top issue's rank, the number of other errors/warnings and the restart rate move the score.
 * Lifetime restarts only nudge healthy pods (old restarts are not a problem).
 */
export function attentionScore(input: AttentionInput): number {
  const [low, high] = BANDS[input.health];
  if (high === low) return low;
  if (input.staleFailure && input.health === 'failing') return low;
  const span = high - low;
  const top = input.issues[0];
  let fraction = top ? Math.min(1, top.rank / 100) * 0.7 : 0;
  let others = 0;
  for (let i = 1; i < input.issues.length; i++) {
    if (input.issues[i].severity !== 'info') others++;
  }
  fraction += Math.min(0.15, others * 0.05);
  fraction += Math.min(0.15, input.restartsInWindow * 0.03);
  if (input.health === 'healthy') {
    fraction = Math.min(1, Math.log10(1 + input.restarts) / 3);
  }
  return Math.round(low + span * Math.min(1, fraction));
}
