/**
 * The most connection attempts a backend may make to a cluster that is down for `outageMs`,
 * derived from its settings: every reflector retries with exponential backoff (each wait is
 * at least half of min(backoffMax, backoffInitial · 2ⁿ), see watch/backoff.ts), and every
 * log-tail run tries each container of the live pods once.
 */
import type { PodWatchConfig } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';

/** Attempts of one reflector: the first retry, then one per shortest possible wait. */
export function maxWatchAttempts(
  outageMs: number,
  watch: Pick<PodWatchConfig['watch'], 'backoffInitialMs' | 'backoffMaxMs'>,
): number {
  let attempts = 0;
  let elapsed = 0;
  for (let n = 0; ; n++) {
    elapsed +=
      Math.min(watch.backoffMaxMs, watch.backoffInitialMs * 2 ** n) / 2;
    if (elapsed > outageMs) return attempts;
    attempts++;
  }
}

export interface AttemptBound {
  total: number;
  watch: number;
  logs: number;
  explain: string;
}

export function outageAttemptBound(o: {
  outageMs: number;
  reflectors: number;
  containers: number;
  watch: Pick<PodWatchConfig['watch'], 'backoffInitialMs' | 'backoffMaxMs'>;
  logsSeconds: number;
}): AttemptBound {
  const perReflector = maxWatchAttempts(o.outageMs, o.watch);
  const logRuns = Math.floor(o.outageMs / (o.logsSeconds * 1000)) + 1;
  const watch = o.reflectors * perReflector;
  const logs = logRuns * o.containers;
  return {
    total: watch + logs,
    watch,
    logs,
    explain: `${o.reflectors} reflectors × ${perReflector} + ${logRuns} log runs × ${o.containers} containers`,
  };
}
