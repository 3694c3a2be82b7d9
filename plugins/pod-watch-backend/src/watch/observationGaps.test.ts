import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { KubeSim, LedgerChange } from '@pod-watch/kube-sim';
import { Knex } from 'knex';
import { PodWatchStore } from '../store';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import { TEST_WATCH_SETTINGS, waitFor } from './__testUtils__/harness';
import { namespaceReflectors } from './__testUtils__/namespaceReflector';

jest.setTimeout(120_000);

const { each, shared } = storeTestDatabases();

/**
 * A gap must start where observation stopped, not where the failure was noticed: every pod
 * change that a relist swallowed (no history row) has to fall inside a recorded gap.
 */
describe('observation gaps', () => {
  const suite = namespaceReflectors();
  let sim: KubeSim;
  beforeAll(() => {
    sim = suite.sim;
  });

  async function watching(
    id: TestDatabaseId,
    prefix: string,
    settings: Partial<typeof TEST_WATCH_SETTINGS> = {},
  ) {
    const { store, knex } = await shared(id);
    const r = suite.reflector({ store, knex, prefix, settings });
    r.start();
    await r.inSync();
    await waitFor(() => r.reflector.status.connected && sim.openWatches() > 0);
    const since = Date.now();
    return {
      ...r,
      store,
      /** pod changes since the watch ran that history lacks, and those no gap covers */
      missed: () =>
        missedChanges(sim, knex, store, r.cluster, r.namespace, since),
    };
  }

  it.each(each)(
    'covers the changes after a malformed line in the same batch on %p',
    async id => {
      const w = await watching(id, 'poison');
      // one write burst: a change, garbage, then changes that only the relist will see
      w.create('poison-1');
      sim.faults.malformedLine({ resource: 'pods' });
      w.create('poison-2');
      w.create('poison-3');
      await w.inSync();
      await waitFor(() => w.reflector.status.relists >= 2, 5000, 'relist');
      const { missing, uncovered } = await w.missed();
      expect(missing.map(c => c.name)).toEqual(
        expect.arrayContaining(['poison-2', 'poison-3']),
      );
      expect(uncovered).toEqual([]);
    },
  );

  it.each(each)(
    'covers changes held in a stalled stream that expire before the re-watch on %p',
    async id => {
      const w = await watching(id, 'stall', { inactivityTimeoutSeconds: 1 });
      sim.faults.stall(3000, { resource: 'pods' });
      w.create('stall-1');
      w.create('stall-2');
      // the history the re-watch would resume from is gone: 410, relist
      sim.store.compact();
      await waitFor(() => w.reflector.status.relists >= 2, 10_000, 'relist');
      sim.faults.clear();
      await w.inSync();
      const { missing, uncovered } = await w.missed();
      expect(missing.map(c => c.name)).toEqual(['stall-1', 'stall-2']);
      expect(uncovered).toEqual([]);
    },
  );

  it.each(each)(
    'covers changes between a clean end and the 410 on re-watch on %p',
    async id => {
      const w = await watching(id, 'ended');
      sim.faults.restart({ compact: false });
      // made while no watch is open, then compacted away before the re-watch resumes
      w.create('ended-1');
      sim.store.compact();
      await w.inSync();
      await waitFor(() => w.reflector.status.relists >= 2, 5000, 'relist');
      const { missing, uncovered } = await w.missed();
      expect(missing.map(c => c.name)).toEqual(['ended-1']);
      expect(uncovered).toEqual([]);
    },
  );

  it.each(each)('opens no gap for a clean end that resumes on %p', async id => {
    const w = await watching(id, 'resume');
    const restarts = w.reflector.status.watchRestarts;
    sim.faults.restart({ compact: false });
    w.create('resume-1');
    await w.inSync();
    await waitFor(
      () => w.reflector.status.watchRestarts > restarts,
      5000,
      're-watch',
    );
    await waitFor(
      async () => (await w.missed()).missing.length === 0,
      5000,
      'history of resume-1',
    );
    expect(w.reflector.status.relists).toBe(1);
    expect(await w.store.listGaps({ cluster: w.cluster })).toEqual([]);
  });
});

async function missedChanges(
  sim: KubeSim,
  knex: Knex,
  store: PodWatchStore,
  cluster: string,
  namespace: string,
  sinceMs: number,
): Promise<{ missing: LedgerChange[]; uncovered: LedgerChange[] }> {
  const rows = await knex('object_history')
    .where({ cluster, kind: 'Pod', namespace })
    .select('object_uid', 'resource_version');
  const recorded = new Set(
    rows.map((r: any) => `${r.object_uid}@${r.resource_version}`),
  );
  const gaps = (await store.listGaps({ cluster, kind: 'pods' })).map(g => ({
    start: Date.parse(g.startedAt),
    end: g.endedAt ? Date.parse(g.endedAt) : Infinity,
  }));
  const missing = sim.ledger
    .changes({ kind: 'Pod', namespace })
    .filter(c => c.wallMs >= sinceMs && !recorded.has(`${c.uid}@${c.rv}`));
  const uncovered = missing.filter(
    c => !gaps.some(g => g.start <= c.wallMs && c.wallMs <= g.end),
  );
  return { missing, uncovered };
}
