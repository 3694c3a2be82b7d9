/**
 * Deterministic store inputs shared by the benchmarks: the same seed gives both engines (and
 * every run) the same rows, so figures compare like with like.
 */
import type {
  EventInput,
  PodHealth,
  PodInput,
} from '@pod-watch/plugin-pod-watch-backend/src/store';

export const DAY = 86_400_000;

/** Pseudo-random numbers in [0, 1) from a seed (LCG). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const REASONS = [
  'BackOff',
  'Pulled',
  'Created',
  'Started',
  'Unhealthy',
  'Killing',
  'FailedScheduling',
  'SuccessfulCreate',
];
// messages as kubelet, scheduler and controllers write them
const MESSAGES = [
  'Back-off restarting failed container app in pod cart-7d9f8b6c5d-x2x4q_shop(0d7c2f4e-1a2b-4c3d-9e8f-001122334455)',
  'Successfully pulled image "registry.example.com/shop/cart:1.42.0" in 1.234s (1.234s including waiting). Image size: 52345678 bytes.',
  'Created container app',
  'Started container app',
  'Readiness probe failed: Get "http://10.42.3.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  'Stopping container app',
  "0/12 nodes are available: 3 Insufficient memory, 9 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 12 No preemption victims found for incoming pod.",
  'Created pod: cart-7d9f8b6c5d-x2x4q',
];

export interface EventShape {
  /** Events regard pods `pod-0` … `pod-(pods-1)` */
  pods: number;
  /** time the Events end by (last seen within the 14 days before) */
  now: number;
  uidPrefix?: string;
}

/** Event `i`: a mix of kubelet / scheduler reasons, a third of them Warnings. */
export function makeEvent(
  i: number,
  r: () => number,
  shape: EventShape,
): EventInput {
  const kind = Math.floor(r() * REASONS.length);
  const pod = Math.floor(r() * shape.pods);
  const lastAt = shape.now - Math.floor(r() * 14 * DAY);
  return {
    cluster: 'bench',
    uid: `${shape.uidPrefix ?? 'ev'}-${i
      .toString(16)
      .padStart(8, '0')}-4c3d-9e8f-${(i * 7919)
      .toString(16)
      .padStart(12, '0')}`,
    namespace: `ns-${pod % 20}`,
    name: `cart-${pod}.${i.toString(16)}`,
    type: kind === 0 || kind === 4 || kind === 6 ? 'Warning' : 'Normal',
    reason: REASONS[kind],
    message: MESSAGES[kind],
    regarding: {
      kind: 'Pod',
      namespace: `ns-${pod % 20}`,
      name: `cart-${pod}`,
      uid: `pod-${pod}`,
      fieldPath: kind < 6 ? 'spec.containers{app}' : undefined,
    },
    reportingController: 'kubelet',
    reportingInstance: `node-${pod % 12}`,
    count: 1 + Math.floor(r() * 20),
    firstAt: lastAt - Math.floor(r() * 3_600_000),
    lastAt,
    resourceVersion: String(1000 + i),
  };
}

const HEALTH: PodHealth[] = [
  'healthy',
  'healthy',
  'healthy',
  'healthy',
  'degraded',
  'failing',
  'initializing',
  'completed',
];

export interface PodShape {
  /** pods belong to apps `app-0` … `app-(apps-1)` */
  apps: number;
  now: number;
}

/** Pod `i` of an app, with 5 labels and 2 containers; `version` changes its resourceVersion. */
export function makePod(
  i: number,
  r: () => number,
  shape: PodShape,
  version = 1,
): PodInput {
  const app = `app-${i % shape.apps}`;
  const health = HEALTH[Math.floor(r() * HEALTH.length)];
  return {
    cluster: 'bench',
    uid: `pod-${i}`,
    namespace: `ns-${i % 20}`,
    name: `${app}-7d9f8b6c5d-${i.toString(36)}`,
    nodeName: `node-${i % 12}`,
    phase: 'Running',
    status: health === 'failing' ? 'CrashLoopBackOff' : 'Running',
    ready: health === 'healthy' ? '2/2' : '1/2',
    restarts: health === 'failing' ? 7 : 0,
    health,
    attention: Math.floor(r() * 100),
    topIssue:
      health === 'failing'
        ? {
            reason: 'CrashLoopBackOff',
            message: 'back-off 5m0s',
            container: 'app',
            severity: 'critical',
          }
        : undefined,
    owner: {
      kind: 'ReplicaSet',
      name: `${app}-7d9f8b6c5d`,
      uid: `rs-${i % shape.apps}`,
    },
    workload: { kind: 'Deployment', name: app },
    podIp: `10.42.${(i >> 8) & 255}.${i & 255}`,
    labels: {
      app,
      'backstage.io/kubernetes-id': app,
      'pod-template-hash': '7d9f8b6c5d',
      env: i % 3 ? 'prod' : 'dev',
      tier: i % 2 ? 'web' : 'worker',
    },
    resourceVersion: String(version * 100_000 + i),
    createdAt: shape.now - DAY,
    seenAt: shape.now,
    containers: [
      {
        name: 'app',
        type: 'app',
        image: `registry.example.com/${app}:1.0`,
        ready: health === 'healthy',
        state: 'running',
        restartCount: health === 'failing' ? 7 : 0,
      },
      {
        name: 'proxy',
        type: 'app',
        image: 'envoy:1.30',
        ready: true,
        state: 'running',
        restartCount: 0,
      },
    ],
  };
}
