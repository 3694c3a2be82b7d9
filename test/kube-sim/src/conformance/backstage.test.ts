import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import request from 'supertest';
import { KubeSim, startKubeSim } from '../index';

/**
 * (d) Backstage's own kubernetes backend fetches an entity's objects from the
 * simulator, configured exactly as a user would configure a real cluster.
 */

jest.setTimeout(60000);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'storefront' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

describe('@backstage/plugin-kubernetes-backend against the simulator', () => {
  let sim: KubeSim;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    sim = await startKubeSim({
      port: 0,
      timeScale: 60,
      scenario: ['healthy', 'crashloop'],
    });
    // wait until the healthy pods are Ready
    const end = Date.now() + 10000;
    while (Date.now() < end) {
      const pods = sim.store.listIn('core/pods', 'shop');
      if (
        pods.length === 3 &&
        pods.every(p => p.status?.containerStatuses?.[0]?.ready)
      )
        break;
      await new Promise(r => setTimeout(r, 50));
    }
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [entity as any] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sim',
                      url: sim.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: sim.token,
                      caData: Buffer.from(sim.caPem).toString('base64'),
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  it('returns the entity workloads from the simulated cluster', async () => {
    const res = await request(backend.server)
      .post('/api/kubernetes/resources/workloads/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'component:default/storefront' });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    expect(res.body.items).toHaveLength(1);
    const cluster = res.body.items[0];
    expect(cluster.cluster.name).toBe('sim');
    expect(cluster.errors).toEqual([]);
    const byType = Object.fromEntries(
      cluster.resources.map((r: any) => [r.type, r.resources]),
    );
    expect(byType.pods).toHaveLength(3);
    expect(
      byType.pods.every(
        (p: any) =>
          p.metadata.labels['backstage.io/kubernetes-id'] === 'storefront',
      ),
    ).toBe(true);
    expect(byType.pods[0].status.phase).toBe('Running');
    expect(byType.deployments.map((d: any) => d.metadata.name)).toEqual([
      'storefront',
    ]);
    expect(byType.replicasets).toHaveLength(1);
    expect(byType.services.map((s: any) => s.metadata.name)).toEqual([
      'storefront',
    ]);
    expect(
      byType.horizontalpodautoscalers.map((h: any) => h.metadata.name),
    ).toEqual(['storefront']);
    expect(byType.ingresses.map((h: any) => h.metadata.name)).toEqual([
      'storefront',
    ]);
    // kinds with no objects still answer with real empty lists
    for (const t of [
      'configmaps',
      'limitranges',
      'resourcequotas',
      'jobs',
      'cronjobs',
      'statefulsets',
      'daemonsets',
    ]) {
      expect(byType[t]).toEqual([]);
    }
  });

  it('serves the deprecated /services/:serviceId route', async () => {
    const res = await request(backend.server)
      .post('/api/kubernetes/services/storefront')
      .set('Authorization', mockCredentials.user.header())
      .send({ entity });
    expect(res.status).toBe(200);
    const pods = res.body.items[0].resources.find(
      (r: any) => r.type === 'pods',
    ).resources;
    expect(pods).toHaveLength(3);
  });

  // Backstage maps 403 to errorType UNKNOWN_ERROR (only 401 is UNAUTHORIZED_ERROR)
  it('surfaces RBAC denials from the cluster as fetch errors', async () => {
    const undo = sim.auth.forbid({ verbs: ['list'], resources: ['pods'] });
    try {
      const res = await request(backend.server)
        .post('/api/kubernetes/resources/workloads/query')
        .set('Authorization', mockCredentials.user.header())
        .send({ entityRef: 'component:default/storefront' });
      expect(res.status).toBe(200);
      expect(res.body.items[0].errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            statusCode: 403,
            resourcePath: '/api/v1/pods',
          }),
        ]),
      );
    } finally {
      undo();
    }
  });
});
