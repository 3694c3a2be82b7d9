import { Entity } from '@backstage/catalog-model';
import type { PodInput, PodWatchStore } from '../../store';

/** Fixed "now" of the seeded data. */
export const NOW = Date.parse('2026-11-20T10:00:00Z');
export const CLUSTER = 'prod';
export const CHECKOUT_REF = 'component:default/checkout';
/** Incident ids as seeded: checkout's OOMKilled first, cart's last. */
export const OOM_INCIDENT_ID = 1;
export const CART_INCIDENT_ID = 6;

export const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs', namespace: 'default' },
    spec: { type: 'website', owner: 'team-a', lifecycle: 'production' },
  },
];

function pod(n: number, o: Partial<PodInput> = {}): PodInput {
  return {
    cluster: CLUSTER,
    uid: `checkout-uid-${n}`,
    namespace: 'shop',
    name: `checkout-7d9-${n}`,
    nodeName: 'node-a',
    phase: 'Running',
    status: 'Running',
    ready: '1/1',
    restarts: 0,
    health: 'healthy',
    attention: 0,
    owner: { kind: 'ReplicaSet', name: 'checkout-7d9', uid: 'rs-checkout' },
    workload: { kind: 'Deployment', name: 'checkout' },
    labels: { 'backstage.io/kubernetes-id': 'checkout', app: 'checkout' },
    seenAt: NOW,
    createdAt: NOW - 3_600_000,
    containers: [
      {
        name: 'app',
        type: 'app',
        image: 'shop/checkout:1.4.2',
        ready: true,
        state: 'running',
        stateSince: NOW - 3_600_000,
        restartCount: 0,
      },
    ],
    ...o,
  };
}

/**
 * A small shop through the store API: an entity `checkout` with three pods (one OOM-killed and
 * failing), its Deployment and ReplicaSet, Events, endpoints, logs with a Java trace, incidents
 * and history; plus a `cart` pod and incident that belong to another entity.
 */
export async function seedShop(store: PodWatchStore): Promise<void> {
  await store.upsertClusters([{ name: CLUSTER, seenAt: NOW }], NOW);
  await store.recordSyncSuccess({ cluster: CLUSTER, kind: 'pods', at: NOW });
  await store.recordSyncSuccess({
    cluster: CLUSTER,
    kind: 'events',
    at: NOW - 3_600_000,
  });
  await store.recordSyncError({
    cluster: CLUSTER,
    kind: 'events',
    error: 'watch failed: 500',
    at: NOW - 60_000,
  });
  await store.upsertPods([
    pod(1),
    pod(2),
    pod(3, {
      status: 'CrashLoopBackOff',
      ready: '0/1',
      restarts: 4,
      lastRestartAt: NOW - 120_000,
      health: 'failing',
      attention: 95,
      topIssue: {
        reason: 'OOMKilled',
        message: 'container app was OOM-killed 4 times',
        container: 'app',
        severity: 'error',
      },
      containers: [
        {
          name: 'app',
          type: 'app',
          image: 'shop/checkout:1.4.2',
          ready: false,
          state: 'waiting',
          stateReason: 'CrashLoopBackOff',
          restartCount: 4,
          lastTermination: {
            reason: 'OOMKilled',
            exitCode: 137,
            finishedAt: NOW - 120_000,
          },
        },
      ],
    }),
    {
      ...pod(9),
      uid: 'cart-uid-1',
      name: 'cart-1',
      labels: { 'backstage.io/kubernetes-id': 'cart' },
      workload: { kind: 'Deployment', name: 'cart' },
      owner: undefined,
    },
  ]);
  await store.upsertWorkloads([
    {
      cluster: CLUSTER,
      uid: 'deploy-checkout',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      desiredReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 3,
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
      seenAt: NOW,
    },
    {
      cluster: CLUSTER,
      uid: 'rs-checkout',
      kind: 'ReplicaSet',
      namespace: 'shop',
      name: 'checkout-7d9',
      owner: { kind: 'Deployment', name: 'checkout', uid: 'deploy-checkout' },
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
      seenAt: NOW,
    },
  ]);
  await store.upsertEvents([
    {
      cluster: CLUSTER,
      uid: 'ev-1',
      namespace: 'shop',
      name: 'checkout-7d9-3.1',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container app',
      regarding: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'checkout-7d9-3',
        uid: 'checkout-uid-3',
      },
      count: 7,
      firstAt: NOW - 600_000,
      lastAt: NOW - 60_000,
    },
    {
      cluster: CLUSTER,
      uid: 'ev-2',
      namespace: 'shop',
      name: 'checkout.1',
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set checkout-7d9 to 3',
      regarding: {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        uid: 'deploy-checkout',
      },
      count: 1,
      firstAt: NOW - 3_600_000,
      lastAt: NOW - 3_600_000,
    },
  ]);
  await store.replaceServiceEndpoints({
    cluster: CLUSTER,
    namespace: 'shop',
    service: 'checkout',
    slice: 'checkout-abc',
    endpoints: [
      {
        ip: '10.0.0.1',
        podUid: 'checkout-uid-1',
        podName: 'checkout-7d9-1',
        ready: true,
        serving: true,
      },
      {
        ip: '10.0.0.3',
        podUid: 'checkout-uid-3',
        podName: 'checkout-7d9-3',
        ready: false,
        serving: false,
      },
    ],
    seenAt: NOW,
  });
  const log = (
    n: number,
    text: string,
    level: 'error' | 'info' | 'unknown',
    exception = false,
  ) => ({
    cluster: CLUSTER,
    namespace: 'shop',
    podUid: 'checkout-uid-3',
    podName: 'checkout-7d9-3',
    container: 'app',
    instance: 3,
    source: 'previous' as const,
    at: NOW - 200_000 + n * 10,
    level,
    exception,
    text,
  });
  await store.insertLogLines([
    log(0, 'INFO started checkout', 'info'),
    log(1, 'ERROR request failed', 'error'),
    log(2, 'java.lang.OutOfMemoryError: Java heap space', 'error', true),
    log(3, '\tat com.shop.Checkout.pay(Checkout.java:42)', 'unknown', true),
    log(4, '\tat com.shop.Server.handle(Server.java:7)', 'unknown', true),
    log(5, 'INFO shutting down', 'info'),
    {
      ...log(6, 'INFO cart says hi', 'info'),
      podUid: 'cart-uid-1',
      podName: 'cart-1',
    },
  ]);
  for (let i = 0; i < 5; i++) {
    await store.upsertIncident(
      {
        type: i === 0 ? 'OOMKilled' : 'CrashLoopBackOff',
        severity: 'error',
        fingerprint: `checkout-${i}`,
        // like the incident builder: about a workload (or a standalone pod), no entity ref
        cluster: CLUSTER,
        namespace: 'shop',
        ...(i < 4
          ? { workloadKind: 'Deployment', workloadName: 'checkout' }
          : {}),
        podUid: 'checkout-uid-3',
        podName: 'checkout-7d9-3',
        container: 'app',
        summary:
          i === 0 ? 'checkout app OOMKilled (exit 137)' : `crash loop ${i}`,
        occurrences: 4,
        firstSeenAt: NOW - 600_000 + i * 1000,
        lastSeenAt: NOW - 60_000,
        evidence: { lastTermination: { reason: 'OOMKilled', exitCode: 137 } },
      },
      NOW,
    );
  }
  await store.upsertIncident(
    {
      type: 'ImagePullBackOff',
      severity: 'error',
      fingerprint: 'cart-0',
      cluster: CLUSTER,
      namespace: 'shop',
      workloadKind: 'Deployment',
      workloadName: 'cart',
      summary: 'cart image missing',
      occurrences: 1,
      firstSeenAt: NOW,
      lastSeenAt: NOW,
    },
    NOW,
  );
  await store.recordHistory([
    {
      cluster: CLUSTER,
      objectUid: 'deploy-checkout',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      verb: 'update',
      resourceVersion: '200',
      at: NOW - 900_000,
      diff: [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/resources/limits/memory',
          value: '128Mi',
        },
      ],
    },
    {
      cluster: CLUSTER,
      objectUid: 'deploy-checkout',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      verb: 'create',
      resourceVersion: '100',
      at: NOW - 7_200_000,
      snapshot: { metadata: { name: 'checkout' } },
    },
  ]);
}
