import { redactSecrets } from '@pod-watch/plugin-pod-watch-common';
import type { ClusterConnectionTestResponse } from '@pod-watch/plugin-pod-watch-common';
import type { ClusterConfigResult } from './clusterConfig';
import { KubeClient } from './KubeClient';
import { redactKnownCredentials } from './redactCredentials';

/** A connection test gives up after this long. */
export const CONNECTION_TEST_TIMEOUT_MS = 10_000;

/**
 * Live connection tests of the configured clusters: `GET /version` with the cluster's own
 * credentials. The answer carries the outcome, latency and server version only; error texts are
 * redacted, the cluster's own credentials verbatim (a proxy or an API server may echo a header
 * back).
 */
export function clusterConnectionTester(
  clusters: () => ClusterConfigResult,
): (name: string) => Promise<ClusterConnectionTestResponse | undefined> {
  return async name => {
    const { clusters: targets, problems } = clusters();
    const target = targets.find(c => c.name === name);
    if (!target) {
      const problem = problems.find(p => p.name === name);
      return problem
        ? { cluster: name, ok: false, error: redactSecrets(problem.error) }
        : undefined;
    }
    const started = Date.now();
    try {
      const version = await new KubeClient(target.kubeConfig).getJson<{
        gitVersion?: string;
      }>('/version', {}, AbortSignal.timeout(CONNECTION_TEST_TIMEOUT_MS));
      return {
        cluster: name,
        ok: true,
        latencyMs: Date.now() - started,
        serverVersion: version.gitVersion,
      };
    } catch (e) {
      return {
        cluster: name,
        ok: false,
        latencyMs: Date.now() - started,
        error: redactKnownCredentials(
          (e as Error)?.message ?? String(e),
          target.kubeConfig,
        ),
      };
    }
  };
}
