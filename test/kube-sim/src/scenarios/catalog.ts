import { SimCluster } from './cluster';

/** A named, declarative cluster story. `setup` creates objects; controllers do the rest. */
export interface ScenarioDef {
  name: string;
  description: string;
  /** The namespace the scenario's objects live in. */
  namespace: string;
  setup: (c: SimCluster, ns: string) => void;
}

const s = (
  name: string,
  description: string,
  namespace: string,
  setup: ScenarioDef['setup'],
): ScenarioDef => ({
  name,
  description,
  namespace,
  setup,
});

/** Every built-in scenario. Times are simulated seconds (see timeScale). */
export const SCENARIOS: ScenarioDef[] = [
  s(
    'healthy',
    'Deployment with 3 ready replicas behind a Service, with an HPA and an Ingress',
    'shop',
    (c, ns) => {
      c.deployment({
        name: 'storefront',
        namespace: ns,
        replicas: 3,
        service: true,
        logStyle: 'json',
      });
      const labels = { 'backstage.io/kubernetes-id': 'storefront' };
      c.store.create({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'storefront', namespace: ns, labels },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'storefront',
          },
          minReplicas: 3,
          maxReplicas: 10,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
        status: {
          currentReplicas: 3,
          desiredReplicas: 3,
          currentMetrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                current: { averageUtilization: 35, averageValue: '35m' },
              },
            },
          ],
          conditions: [
            {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              lastTransitionTime: c.clock.nowIso(),
            },
          ],
        },
      });
      c.store.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'storefront', namespace: ns, labels },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'shop.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      service: { name: 'storefront', port: { number: 80 } },
                    },
                  },
                ],
              },
            },
          ],
        },
        status: { loadBalancer: { ingress: [{ ip: '172.18.0.200' }] } },
      });
    },
  ),
  s(
    'stateful',
    'StatefulSet with ordinal pods started in order, and a DaemonSet with a pod per node',
    'data',
    (c, ns) => {
      c.statefulSet({
        name: 'orders-db',
        namespace: ns,
        replicas: 3,
        service: true,
      });
      c.daemonSet({ name: 'log-agent', namespace: ns, logStyle: 'go' });
    },
  ),
  s(
    'crashloop',
    'Crashes after 20s with a stack trace; CrashLoopBackOff with growing back-off',
    'payments',
    (c, ns) => {
      c.deployment({
        name: 'payments-api',
        namespace: ns,
        replicas: 2,
        behaviour: 'crashloop',
        runSeconds: 20,
        logStyle: 'java',
        service: true,
      });
    },
  ),
  s(
    'oomkilled',
    'Memory grows until the container is OOMKilled (exit 137), then back-off',
    'catalog',
    (c, ns) => {
      c.deployment({
        name: 'catalog-indexer',
        namespace: ns,
        replicas: 1,
        behaviour: 'oomkilled',
        runSeconds: 30,
        logStyle: 'java',
      });
    },
  ),
  s(
    'imagepull',
    'Image tag does not exist: ErrImagePull ↔ ImagePullBackOff',
    'checkout',
    (c, ns) => {
      c.deployment({
        name: 'checkout',
        namespace: ns,
        replicas: 1,
        behaviour: 'imagepull',
        image: 'registry.example.com/shop/checkout:9.9.9-typo',
      });
    },
  ),
  s(
    'config-error',
    'Missing ConfigMap: CreateContainerConfigError',
    'search',
    (c, ns) => {
      c.deployment({
        name: 'search-api',
        namespace: ns,
        replicas: 1,
        behaviour: 'configerror',
      });
    },
  ),
  s(
    'unschedulable',
    'Node selector matches no node: Pending + FailedScheduling',
    'ml',
    (c, ns) => {
      c.deployment({
        name: 'model-server',
        namespace: ns,
        replicas: 2,
        behaviour: 'unschedulable',
      });
    },
  ),
  s(
    'init-failure',
    'Init container (migrations) keeps failing: Init:CrashLoopBackOff',
    'orders',
    (c, ns) => {
      c.deployment({
        name: 'orders-api',
        namespace: ns,
        replicas: 1,
        behaviour: 'initfail',
        logStyle: 'go',
      });
    },
  ),
  s(
    'readiness-failure',
    'Running but never Ready: Unhealthy events, EndpointSlice endpoint not ready',
    'inventory',
    (c, ns) => {
      c.deployment({
        name: 'inventory',
        namespace: ns,
        replicas: 2,
        behaviour: 'readinessfail',
        service: true,
        logStyle: 'python',
      });
    },
  ),
  s(
    'liveness-kill',
    'Liveness probe fails 3 times; the kubelet kills and restarts the container',
    'notifications',
    (c, ns) => {
      c.deployment({
        name: 'notifier',
        namespace: ns,
        replicas: 1,
        behaviour: 'liveness',
        runSeconds: 30,
        logStyle: 'node',
      });
    },
  ),
  s(
    'eviction',
    'A pod is evicted under memory pressure (Failed/Evicted) and replaced',
    'reports',
    (c, ns) => {
      const d = c.deployment({
        name: 'report-builder',
        namespace: ns,
        replicas: 2,
        logStyle: 'python',
      });
      c.clock.after(15000, () => {
        const pod = c.store
          .listIn('core/pods', ns)
          .find(
            p =>
              p.metadata.ownerReferences?.length &&
              p.metadata.labels?.app === d.metadata.name &&
              p.status?.phase === 'Running',
          );
        if (pod) c.evict(ns, pod.metadata.name!);
      });
    },
  ),
  s(
    'rollout',
    'Image change: new ReplicaSet scales up, old pods go Terminating',
    'web',
    (c, ns) => {
      c.deployment({
        name: 'web',
        namespace: ns,
        replicas: 3,
        service: true,
        logStyle: 'node',
      });
      c.clock.after(15000, () =>
        c.rollout(ns, 'web', { image: 'registry.example.com/shop/web:1.5.0' }),
      );
    },
  ),
  s(
    'job-success',
    'A Job whose pod runs to completion (and its CronJob)',
    'batch',
    (c, ns) => {
      c.store.create({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: {
          name: 'nightly-export',
          namespace: ns,
          labels: { 'backstage.io/kubernetes-id': 'nightly-export' },
        },
        spec: {
          schedule: '0 2 * * *',
          concurrencyPolicy: 'Forbid',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'app',
                      image: 'registry.example.com/shop/nightly-export:1.4.2',
                    },
                  ],
                  restartPolicy: 'Never',
                },
              },
            },
          },
        },
        status: { lastScheduleTime: c.clock.nowIso() },
      });
      c.job({
        name: 'nightly-export',
        namespace: ns,
        behaviour: 'complete',
        runSeconds: 10,
        logStyle: 'python',
      });
    },
  ),
  s(
    'job-failure',
    'A Job whose pods fail until BackoffLimitExceeded',
    'batch-fail',
    (c, ns) => {
      c.job({
        name: 'invoice-sync',
        namespace: ns,
        behaviour: 'fail',
        runSeconds: 5,
        backoffLimit: 2,
        logStyle: 'python',
      });
    },
  ),
  s(
    'node-lost',
    'A node stops reporting: NotReady/Unknown, pods not ready, then evicted and replaced',
    'edge',
    (c, ns) => {
      // a node of its own, so losing it does not disturb the other scenarios
      const node = 'edge-node-1';
      if (!c.store.getIn('core/nodes', undefined, node))
        c.addNode(node, { dedicated: true });
      c.deployment({
        name: 'edge-cache',
        namespace: ns,
        replicas: 2,
        service: true,
        preferNode: node,
      });
      c.clock.after(15000, () => c.loseNode(node, { evictAfterSeconds: 60 }));
    },
  ),
];

/** Every scenario at once, each in its namespace (the first-run demo). */
export const ALL_SCENARIOS = 'all';

export function findScenario(name: string): ScenarioDef | undefined {
  return SCENARIOS.find(x => x.name === name);
}
