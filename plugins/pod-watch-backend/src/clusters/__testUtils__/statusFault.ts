import { KubeSim } from '@pod-watch/kube-sim';

/**
 * Makes the simulator answer the next request for `path` with a Kubernetes Status failure
 * carrying `message` (e.g. one echoing a credential, as a proxy might). Returns the clear-up.
 */
export function failOnceWithStatus(
  sim: KubeSim,
  path: string,
  code: number,
  message: string,
): () => void {
  return sim.faults.script({
    match: { path },
    status: code,
    contentType: 'application/json',
    chunks: [
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code,
        message,
      }),
    ],
    times: 1,
  });
}
