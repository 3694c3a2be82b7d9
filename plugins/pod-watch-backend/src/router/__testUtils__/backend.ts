import { JsonObject } from '@backstage/types';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { createStoreTestDatabases } from '../../__testUtils__/databases';
import { applyMigrations } from '../../database/migrations';
import { podWatchPlugin } from '../../plugin';
import { PodWatchStore } from '../../store';
import { entities, seedShop } from './seed';

/**
 * A test backend per engine with the Pod Watch plugin on a seeded database, a mock catalog
 * holding `entities`, and permissions decided by `deny` (permission names to deny).
 */
export function podWatchTestBackends() {
  const databases = createStoreTestDatabases();
  const seeded = new Map<TestDatabaseId, Promise<Knex>>();

  const knexFor = (id: TestDatabaseId) => {
    let knex = seeded.get(id);
    if (!knex) {
      knex = (async () => {
        const k = await databases.init(id);
        await applyMigrations(k);
        await seedShop(await PodWatchStore.create(k));
        return k;
      })();
      seeded.set(id, knex);
    }
    return knex;
  };

  const start = async (
    id: TestDatabaseId,
    options: {
      deny?: string[];
      /** decide per entity instead (resource permissions become CONDITIONAL for search) */
      allowResource?: (permission: string, resourceRef?: string) => boolean;
      features?: Parameters<typeof startTestBackend>[0]['features'];
      config?: JsonObject;
    } = {},
  ) => {
    const deny = new Set(options.deny ?? []);
    const allowed = (name: string, resourceRef?: string) =>
      !deny.has(name) && (options.allowResource?.(name, resourceRef) ?? true);
    const decide = (ok: boolean) =>
      ok ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
    // like Backstage's permissions service: service principals are not subject to the policy
    const isService = (options_?: { credentials?: any }) =>
      options_?.credentials?.principal?.type === 'service';
    const authorize: PermissionsService['authorize'] = async (requests, o) =>
      requests.map(r =>
        isService(o)
          ? { result: AuthorizeResult.ALLOW }
          : {
              result: decide(
                allowed(
                  r.permission.name,
                  'resourceRef' in r ? (r.resourceRef as string) : undefined,
                ),
              ),
            },
      );
    const authorizeConditional: PermissionsService['authorizeConditional'] =
      async (requests, o) =>
        requests.map(r =>
          options.allowResource && !isService(o)
            ? ({
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: {},
                },
              } as any)
            : { result: decide(!deny.has(r.permission.name)) },
        );
    const { server } = await startTestBackend({
      features: [
        podWatchPlugin,
        mockServices.database.factory({ knex: await knexFor(id) }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.mock({ authorize, authorizeConditional })
          .factory,
        ...(options.config
          ? [mockServices.rootConfig.factory({ data: options.config })]
          : []),
        ...(options.features ?? []),
      ],
    });
    return server;
  };

  return { databases, each: databases.eachSupportedId(), start };
}
