import type { Config } from '@backstage/config';
import {
  DEFAULT_INCIDENT_LIFECYCLE,
  type IncidentLifecycleConfig,
} from '@pod-watch/plugin-pod-watch-common';

/**
 * `podWatch.incidents`: `clearAfterSeconds` (an incident resolves once its condition has been
 * clear this long, default 600), `maxBackfillSeconds` (history older than this opens nothing,
 * default 3600) and `maxCounters` (default 200).
 */
export function readIncidentConfig(config?: Config): IncidentLifecycleConfig {
  const c = config?.getOptionalConfig('podWatch.incidents');
  const read = (key: keyof IncidentLifecycleConfig) => {
    const v = c?.getOptionalNumber(key);
    if (v === undefined) return DEFAULT_INCIDENT_LIFECYCLE[key];
    if (!(v > 0)) throw new Error(`podWatch.incidents.${key} must be > 0`);
    return v;
  };
  return {
    clearAfterSeconds: read('clearAfterSeconds'),
    maxBackfillSeconds: read('maxBackfillSeconds'),
    maxCounters: read('maxCounters'),
  };
}
