/**
 * Pod Watch as a Backstage backend for the restart and outage sections: the whole plugin (so it
 * follows whatever leadership the engine uses) with the real scheduler, a real database, a
 * catalog holding the given entities and the default test services for auth and permissions.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/config';
import podWatchPlugin from '@pod-watch/plugin-pod-watch-backend';
import type { Knex } from 'knex';

/** The cluster block Backstage's Kubernetes plugin reads, pointing at `url` (the proxy). */
export function clusterConfig(
  cluster: string,
  target: { url: string; token: string; caPem: string },
): JsonObject {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: cluster,
            url: target.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: target.token,
            caData: Buffer.from(target.caPem).toString('base64'),
          },
        ],
      },
    ],
  };
}

export async function startPodWatchBackend(options: {
  knex: Knex;
  /** root config: `kubernetes` and `podWatch` */
  config: JsonObject;
  entities?: Entity[];
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'none';
}) {
  return startTestBackend({
    features: [
      podWatchPlugin,
      // the real scheduler: the test one runs each task to completion at start-up, which a
      // long-running watch never reaches
      schedulerServiceFactory,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data: options.config }),
      mockServices.rootLogger.factory({ level: options.logLevel ?? 'warn' }),
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
    ],
  });
}
