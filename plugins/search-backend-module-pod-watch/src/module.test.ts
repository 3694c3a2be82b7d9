import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  LunrSearchEngine,
  RegisterCollatorParameters,
} from '@backstage/plugin-search-backend-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import type {
  EntityPodsResponse,
  IncidentItem,
  IncidentsResponse,
} from '@pod-watch/plugin-pod-watch-common';
import Router from 'express-promise-router';
import { pipeline } from 'node:stream/promises';
import searchModulePodWatch from './index';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      title: 'Checkout',
      annotations: { 'backstage.io/kubernetes-id': 'checkout' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs' },
    spec: { type: 'website', owner: 'team-a', lifecycle: 'production' },
  },
];

const incident = (id: number, type: string, summary: string): IncidentItem => ({
  id,
  type,
  severity: 'error',
  status: 'open',
  entityRef: 'component:default/checkout',
  cluster: 'prod',
  namespace: 'shop',
  workloadKind: 'Deployment',
  workloadName: 'checkout',
  podName: 'checkout-7d9-3',
  container: 'app',
  summary,
  occurrences: 3,
  firstSeenAt: '2026-11-20T09:50:00.000Z',
  lastSeenAt: '2026-11-20T09:59:00.000Z',
  openedAt: '2026-11-20T09:50:00.000Z',
});

const INCIDENTS = [
  incident(1, 'OOMKilled', 'container app was OOM-killed (exit 137)'),
  incident(2, 'CrashLoopBackOff', 'back-off restarting failed container'),
  incident(3, 'ImagePullBackOff', 'manifest unknown'),
];

/** A stand-in pod-watch backend serving canned API responses to service principals only. */
const fakePodWatch = (calls: string[]) =>
  createBackendPlugin({
    pluginId: 'pod-watch',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.use(async (req, _res, next) => {
            await httpAuth.credentials(req, { allow: ['service'] });
            calls.push(`${req.path}?${new URLSearchParams(req.query as any)}`);
            next();
          });
          router.get('/pods', (_req, res) => {
            const body: Partial<EntityPodsResponse> = {
              entityRef: 'component:default/checkout',
              pods: [],
              workloads: [
                {
                  cluster: 'prod',
                  namespace: 'shop',
                  kind: 'Deployment',
                  name: 'checkout',
                  health: 'failing',
                  attention: 95,
                  pods: 3,
                  counts: {
                    failing: 1,
                    degraded: 0,
                    initializing: 0,
                    healthy: 2,
                    completed: 0,
                    terminating: 0,
                    unknown: 0,
                  },
                  topIssue: {
                    reason: 'OOMKilled',
                    container: 'app',
                    severity: 'error',
                  },
                  worstPod: 'checkout-7d9-3',
                  images: ['registry.example.com/shop/checkout:1.4.2'],
                },
              ],
            };
            res.json(body);
          });
          router.get('/incidents', (req, res) => {
            // pages of two, to exercise paging
            const offset = Number(req.query.offset ?? 0);
            const items = INCIDENTS.slice(offset, offset + 2);
            const body: IncidentsResponse = {
              items,
              total: INCIDENTS.length,
              hasMore: offset + items.length < INCIDENTS.length,
              limit: 2,
              offset,
            };
            res.json(body);
          });
          httpRouter.use(router);
        },
      });
    },
  });

/** A stand-in search plugin that only collects the registered collators. */
const fakeSearch = (collators: RegisterCollatorParameters[]) =>
  createBackendPlugin({
    pluginId: 'search',
    register(env) {
      env.registerExtensionPoint(searchIndexRegistryExtensionPoint, {
        addCollator: c => collators.push(c),
        addDecorator: () => {},
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });

describe('searchModulePodWatch', () => {
  it('indexes incidents and workloads so "OOMKilled <service>" finds the incident', async () => {
    const collators: RegisterCollatorParameters[] = [];
    const calls: string[] = [];
    await startTestBackend({
      features: [
        searchModulePodWatch,
        fakeSearch(collators),
        fakePodWatch(calls),
        catalogServiceMock.factory({ entities }),
      ],
    });
    expect(collators.map(c => c.factory.type)).toEqual([
      'pod-watch-incident',
      'pod-watch-workload',
    ]);
    expect(collators.map(c => c.factory.visibilityPermission?.name)).toEqual([
      'podwatch.incidents.read',
      'podwatch.pods.read',
    ]);

    const engine = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    for (const { factory } of collators) {
      await pipeline(
        await factory.getCollator(),
        await engine.getIndexer(factory.type),
      );
    }
    // only the annotated entity was read, incidents page by page
    expect(calls.filter(c => c.startsWith('/incidents'))).toEqual([
      '/incidents?entityRef=component%3Adefault%2Fcheckout&limit=1000&offset=0',
      '/incidents?entityRef=component%3Adefault%2Fcheckout&limit=1000&offset=2',
    ]);

    const oom = await engine.query({ term: 'OOMKilled checkout' });
    expect(oom.results[0].document).toMatchObject({
      title: 'OOMKilled in Checkout',
      location:
        '/catalog/default/component/checkout/pod-watch-incidents?incident=1',
      authorization: { resourceRef: 'component:default/checkout' },
      incidentType: 'OOMKilled',
      images: 'registry.example.com/shop/checkout:1.4.2',
    });
    expect(oom.results[0].type).toBe('pod-watch-incident');

    const byImage = await engine.query({
      term: 'registry.example.com/shop/checkout:1.4.2',
      types: ['pod-watch-incident'],
    });
    expect(byImage.results.length).toBeGreaterThan(0);

    const byMessage = await engine.query({ term: 'manifest unknown' });
    expect(byMessage.results[0].document).toMatchObject({
      incidentType: 'ImagePullBackOff',
    });

    const workloads = await engine.query({
      term: 'checkout',
      types: ['pod-watch-workload'],
    });
    expect(workloads.results.map(r => r.document)).toEqual([
      expect.objectContaining({
        title: 'Deployment checkout (failing)',
        health: 'failing',
        issue: 'OOMKilled',
        location:
          '/catalog/default/component/checkout/pod-watch?workload=Deployment%2Fcheckout',
      }),
    ]);
  });
});
