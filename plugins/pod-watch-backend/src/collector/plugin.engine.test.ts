import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubeSim } from '@pod-watch/kube-sim';
import { applyMigrations } from '../database/migrations';
import { podWatchPlugin } from '../plugin';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import {
  expectInSync,
  simPod,
  startSim,
  waitFor,
} from '../watch/__testUtils__/harness';

jest.setTimeout(120_000);

const { databases } = storeTestDatabases();

describe('the plugin runs the engine once the backend has started', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    ({ sim } = await startSim());
  });
  afterAll(async () => {
    await sim.close();
  });

  it('watches the clusters of kubernetes.clusterLocatorMethods, reporting a misconfigured one', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyMigrations(knex);
    sim.cluster.ensureNamespace('wired');
    sim.store.create(simPod('w-0', 'wired'));
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        podWatchPlugin,
        // the real scheduler: the test backend's mock one runs every task to completion at
        // start-up, which a long-running watch task never reaches
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        logger.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
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
                    },
                    { name: 'broken', url: sim.url, authProvider: 'google' },
                  ],
                },
              ],
            },
            podWatch: {
              kinds: ['pods'],
              leadership: { leaseSeconds: 3, renewSeconds: 1 },
            },
          },
        }),
      ],
    });
    try {
      await expectInSync(knex, sim, 'sim', 'pods', 'core/pods', {
        timeoutMs: 30_000,
      });
      sim.store.create(simPod('w-1', 'wired'));
      await expectInSync(knex, sim, 'sim', 'pods', 'core/pods');
      await waitFor(
        async () =>
          (
            await knex('sync_state')
              .where({ cluster: 'sim', kind: 'pods' })
              .first()
          )?.connected,
        15_000,
        'stored status',
      );
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringMatching(/cluster "broken" is misconfigured/),
      );
    } finally {
      await backend.stop();
    }
  });
});
