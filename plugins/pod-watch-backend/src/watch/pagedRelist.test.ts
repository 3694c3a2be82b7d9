import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { KubeSim } from '@pod-watch/kube-sim';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import { waitFor } from './__testUtils__/harness';
import { namespaceReflectors } from './__testUtils__/namespaceReflector';

jest.setTimeout(120_000);

const { each, shared } = storeTestDatabases();

/** A (re)list stores each page while the next one downloads and skips unchanged pods. */
describe('paged relist', () => {
  const suite = namespaceReflectors();
  let sim: KubeSim;
  beforeAll(() => {
    sim = suite.sim;
  });

  async function setUp(id: TestDatabaseId, prefix: string, pods: number) {
    const { store, knex } = await shared(id);
    const r = suite.reflector({ store, knex, prefix, pods });
    const rows = () => knex('pods').where({ cluster: r.cluster });
    return { ...r, knex, rows };
  }

  it.each(each)(
    'stores the first pages before the last one is served on %p',
    async id => {
      const t = await setUp(id, 'paged', 9);
      const live = async () => (await t.rows().whereNull('deleted_at')).length;
      // three pages of 3, each answered after 400 ms
      sim.faults.latency(400, { resource: 'pods', watch: false });
      t.start();
      await waitFor(async () => (await live()) >= 3, 5000, 'the first page');
      expect(await live()).toBeLessThan(9);
      expect(t.reflector.status.relists).toBe(0);
      await t.inSync();
      expect(t.reflector.status.relists).toBe(1);
    },
  );

  it.each(each)(
    'relists by writing only changed pods and still marks every listed pod seen on %p',
    async id => {
      const t = await setUp(id, 'skip', 7);
      t.start();
      await t.inSync();
      await waitFor(() => t.reflector.status.connected);
      sim.store.patch(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: t.namespace,
          name: 'skip-1',
        },
        o => {
          o.status = { ...o.status, phase: 'Failed', reason: 'Evicted' };
        },
      );
      await t.inSync();
      const derived = await t.rows().where({ name: 'skip-0' }).first();
      // a stored derivation that differs from what the object gives: a relist that re-derived
      // the unchanged pod would overwrite it; skipping leaves it for the re-evaluation below
      await t.rows().where({ name: 'skip-0' }).update({ status: 'Stale' });
      const seenBefore = new Map(
        (await t.rows()).map((r: any) => [r.name, Number(r.last_seen_at)]),
      );
      await new Promise(r => setTimeout(r, 5));
      t.reflector.resync();
      await waitFor(() => t.reflector.status.relists === 2, 5000, 'relist');
      await t.inSync();

      const byName = new Map((await t.rows()).map((r: any) => [r.name, r]));
      expect(byName.get('skip-0').status).toBe('Stale');
      expect(byName.get('skip-1').status).toBe('Evicted');
      for (const name of ['skip-0', 'skip-3', 'skip-6']) {
        expect(Number(byName.get(name).last_seen_at)).toBeGreaterThan(
          seenBefore.get(name)!,
        );
      }
      // the time-based re-evaluation knows the stored derivation and repairs it
      await t.reflector.tick(new Date());
      const repaired = await t.rows().where({ name: 'skip-0' }).first();
      expect(repaired.status).toBe(derived.status);
    },
  );
});
