/**
 * The cluster credentials a backend holds (the simulator's bearer token, CA, kubeconfig) and
 * where they must never show up: response bodies and log lines.
 */
import { KubeSim } from '@pod-watch/kube-sim';
import { Route, callRoute } from '../hostile/routes';

/** [what, a fragment only that credential contains] */
export function clusterCredentials(sim: KubeSim): Array<[string, string]> {
  return [
    ['bearer token', sim.token],
    ['CA certificate body', sim.caPem.split('\n')[1]],
    [
      'CA data (base64)',
      Buffer.from(sim.caPem).toString('base64').slice(0, 64),
    ],
    [
      'kubeconfig token line',
      sim.kubeconfigYaml
        .split('\n')
        .find(l => l.includes(sim.token))!
        .trim(),
    ],
  ];
}

/** Names of the credentials found in any of `texts`. */
export function credentialsIn(
  sim: KubeSim,
  texts: readonly string[],
): string[] {
  return clusterCredentials(sim)
    .filter(([, fragment]) => texts.some(t => t.includes(fragment)))
    .map(([name]) => name);
}

/** The backend's kubernetes config for the simulator: the backend then holds its token. */
export function kubernetesConfig(sim: KubeSim, cluster: string) {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: cluster,
              url: sim.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              caData: Buffer.from(sim.caPem).toString('base64'),
            },
          ],
        },
      ],
    },
  };
}

/**
 * The connection-test route (the one that talks to the cluster) while the API server fails:
 * a 401, a 500, and a hostile error message echoing the token the caller sent.
 */
export async function connectionTestsUnderFaults(
  sim: KubeSim,
  baseUrl: string,
  route: Route,
  valid: Record<string, string>,
  auth: string,
): Promise<string[]> {
  const failures = [
    () => sim.faults.httpError({ status: 401, times: 10 }),
    () => sim.faults.httpError({ status: 500, times: 10 }),
    () =>
      sim.faults.script({
        match: { path: '/version' },
        status: 403,
        contentType: 'application/json',
        chunks: [
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Forbidden',
            code: 403,
            message: `token ${sim.token} is not allowed (Authorization: Bearer ${sim.token})`,
          }),
        ],
        times: 10,
      }),
  ];
  const bodies: string[] = [];
  for (const inject of failures) {
    const clear = inject();
    try {
      bodies.push((await callRoute(baseUrl, route, valid, auth)).body);
    } finally {
      clear();
    }
  }
  return bodies;
}
