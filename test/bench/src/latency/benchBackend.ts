/**
 * The bench backend: Backstage's Kubernetes plugin and Pod Watch side by side, reading the same
 * `kubernetes.clusterLocatorMethods` block an adopter already has, with a mock catalog holding
 * the benchmarked entity and Pod Watch's database on the engine under test.
 */
import type { AddressInfo } from 'node:net';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import podWatchPlugin from '@pod-watch/plugin-pod-watch-backend';
import type { Knex } from 'knex';
import type { KubeSimProcess } from './kubeSimProcess';

export const CLUSTER = 'bench';

type Entities = NonNullable<
  Parameters<typeof catalogServiceMock.factory>[0]
>['entities'];

export interface BenchBackend {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startBenchBackend(options: {
  sim: Pick<KubeSimProcess, 'url' | 'token' | 'caData'>;
  knex: Knex;
  entities: Entities;
}): Promise<BenchBackend> {
  const { sim } = options;
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      podWatchPlugin,
      // the real scheduler: the test backend's mock runs each task to completion at start-up,
      // which Pod Watch's long-running watch task never reaches
      schedulerServiceFactory,
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: CLUSTER,
                    url: sim.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: sim.token,
                    caData: sim.caData,
                    skipMetricsLookup: true,
                  },
                ],
              },
            ],
          },
          // start watching within a second of start-up instead of the default 30 s
          podWatch: { schedules: { watchFrequencySeconds: 1 } },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () => backend.stop(),
  };
}
