import type { V1Container, V1Probe } from '@kubernetes/client-node';

/**
 * Kubernetes' probe defaults (core/v1 Probe): fields left out of a manifest take these values.
 *
 * @public
 */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  successThreshold: 1,
} as const;

function secondsFor(probe: V1Probe, threshold: number): number {
  const period = probe.periodSeconds || PROBE_DEFAULTS.periodSeconds;
  const timeout = probe.timeoutSeconds || PROBE_DEFAULTS.timeoutSeconds;
  // a probe attempt lasts at most max(period, timeout) before the next one starts
  return (
    (probe.initialDelaySeconds || 0) + Math.max(period, timeout) * threshold
  );
}

/**
 * Longest time, in seconds, a healthy container may take to report ready, from its start:
 * the startup probe's full budget (initialDelay + period × failureThreshold), then the readiness
 * probe's initial delay plus enough periods to fail `failureThreshold` times or succeed
 * `successThreshold` times. Without a readiness probe a running container is ready at once.
 *
 * @public
 */
export function readinessAllowanceSeconds(
  container: V1Container | undefined,
): number {
  if (!container) return 0;
  let total = 0;
  const startup = container.startupProbe;
  if (startup) {
    total += secondsFor(
      startup,
      startup.failureThreshold || PROBE_DEFAULTS.failureThreshold,
    );
  }
  const readiness = container.readinessProbe;
  if (readiness) {
    total += secondsFor(
      readiness,
      Math.max(
        readiness.failureThreshold || PROBE_DEFAULTS.failureThreshold,
        readiness.successThreshold || PROBE_DEFAULTS.successThreshold,
      ),
    );
  }
  return total;
}
