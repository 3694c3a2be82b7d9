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
    options: { deny?: string[] } = {},
  ) => {
    const deny = new Set(options.deny ?? []);
    const authorize: PermissionsService['authorize'] = async requests =>
      requests.map(r => ({
        result: deny.has(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      }));
    const { server } = await startTestBackend({
      features: [
        podWatchPlugin,
        mockServices.database.factory({ knex: await knexFor(id) }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.mock({ authorize }).factory,
      ],
    });
    return server;
  };

  return { databases, each: databases.eachSupportedId(), start };
}
