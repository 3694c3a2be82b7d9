import { KubeSim } from '@pod-watch/kube-sim';
import { Knex } from 'knex';
import knexFactory from 'knex';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import { PodWatchStore } from '../store';
import { storeTestDatabases } from '../store/__testUtils__/databases';
import { listSyncStatus } from '../store/syncStatus';
import {
  expectInSync,
  simPod,
  startSim,
  TEST_WATCH_SETTINGS,
  testLogger,
  waitFor,
} from '../watch/__testUtils__/harness';
import { LeaseElector } from './LeaseElector';
import { PodWatchEngine } from './PodWatchEngine';

jest.setTimeout(120_000);

const { databases, each, fresh } = storeTestDatabases();

describe('LeaseElector', () => {
  const elector = (
    store: PodWatchStore,
    holder: string,
    clock: { t: number },
  ) =>
    new LeaseElector({
      store,
      name: 'cluster:x',
      holder,
      logger: testLogger(),
      timings: { leaseMs: 30_000, renewMs: 5_000 },
      now: () => clock.t,
    });

  it.each(each)(
    'one holder at a time; a silent holder is replaced after a lease on the follower clock (%p)',
    async id => {
      const { store } = await fresh(id);
      const clock = { t: 1_000_000 };
      const a = elector(store, 'A', clock);
      const b = elector(store, 'B', clock);
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
      // A keeps renewing: B never takes over, however long it watches
      for (let i = 0; i < 10; i++) {
        clock.t += 5_000;
        expect(await a.tryAcquireOrRenew()).toBe(true);
        expect(await b.tryAcquireOrRenew()).toBe(false);
      }
      // A dies (no release): B waits a full lease from when it last saw the version move
      clock.t += 29_000;
      expect(await b.tryAcquireOrRenew()).toBe(false);
      clock.t += 1_000;
      expect(await b.tryAcquireOrRenew()).toBe(true);
      // A comes back: it lost the lease and cannot renew it
      expect(await a.tryAcquireOrRenew()).toBe(false);
      expect((await store.getLease('cluster:x'))?.holder).toBe('B');
    },
  );

  it.each(each)('a released lease is taken at once (%p)', async id => {
    const { store } = await fresh(id);
    const clock = { t: 0 };
    const a = elector(store, 'A', clock);
    const b = elector(store, 'B', clock);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    await store.releaseLease('cluster:x', 'A');
    expect(await b.tryAcquireOrRenew()).toBe(true);
  });

  it.each(each)(
    'racing replicas: exactly one wins a free lease (%p)',
    async id => {
      const { store } = await fresh(id);
      const clock = { t: 0 };
      const electors = ['A', 'B', 'C', 'D', 'E'].map(h =>
        elector(store, h, clock),
      );
      const first = await Promise.all(electors.map(e => e.tryAcquireOrRenew()));
      expect(first.filter(Boolean)).toHaveLength(1);
      const holder = (await store.getLease('cluster:x'))!.holder;
      await store.releaseLease('cluster:x', holder);
      const second = await Promise.all(
        electors.map(e => e.tryAcquireOrRenew()),
      );
      expect(second.filter(Boolean)).toHaveLength(1);
    },
  );

  it.each(each)(
    'a holder that cannot reach the database stops leading before a follower may take over (%p)',
    async id => {
      const { store } = await fresh(id);
      let broken = false;
      const flaky: any = new Proxy(store, {
        get: (target, prop) => {
          const value = (target as any)[prop];
          return typeof value === 'function'
            ? (...args: unknown[]) =>
                broken
                  ? Promise.reject(new Error('connection refused'))
                  : value.apply(target, args)
            : value;
        },
      });
      const timings = { leaseMs: 600, renewMs: 100 };
      const a = new LeaseElector({
        store: flaky,
        name: 'cluster:y',
        holder: 'A',
        logger: testLogger(),
        timings,
      });
      const stop = new AbortController();
      let leading = false;
      let stoppedAt = 0;
      const running = a.run(stop.signal, async signal => {
        leading = true;
        await new Promise(r => signal.addEventListener('abort', r));
        leading = false;
        stoppedAt = Date.now();
      });
      await waitFor(() => leading, 5_000, 'A leading');
      const brokenAt = Date.now();
      broken = true;
      await waitFor(() => !leading, 5_000, 'A to stop');
      // stops within two thirds of a lease (+ one renewal period of slack)
      expect(stoppedAt - brokenAt).toBeLessThan(
        (timings.leaseMs * 2) / 3 + timings.renewMs + 100,
      );
      stop.abort();
      await running;
    },
  );
});

// two replicas need one shared database server (TestDatabases drops it without a connection string)
const describeOnPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

describeOnPostgres('leadership across replicas on PostgreSQL', () => {
  let sim: KubeSim;
  let kubeConfig: any;
  beforeAll(async () => {
    ({ sim, kubeConfig } = await startSim());
  });
  afterAll(async () => {
    await sim.close();
  });

  /** One backend replica: its own connection pool and engine on the shared database. */
  function startReplica(knex: Knex, holder: string, cluster: string) {
    const own = knexFactory({
      client: 'pg',
      connection: (knex.client as any).config.connection,
      pool: { min: 0, max: 4 },
    });
    const engine = (store: PodWatchStore) =>
      new PodWatchEngine({
        store,
        logger: testLogger(),
        config: {
          ...POD_WATCH_DEFAULTS,
          kinds: ['pods', 'events'],
          watch: TEST_WATCH_SETTINGS,
          leadership: { leaseSeconds: 3, renewSeconds: 0.5 },
        },
        clusters: [{ name: cluster, source: 'kubernetes-config', kubeConfig }],
        holder,
      });
    return PodWatchStore.create(own).then(store => {
      const e = engine(store);
      e.start();
      return { engine: e, knex: own };
    });
  }

  it('one active watcher; a stopped leader hands over at once, a dead one within a lease', async () => {
    const { knex, store } = await fresh('POSTGRES_15');
    const cluster = 'shared';
    sim.cluster.ensureNamespace('lead');
    sim.store.create(simPod('p-0', 'lead'));
    const a = await startReplica(knex, 'A', cluster);
    const b = await startReplica(knex, 'B', cluster);
    const replicas = [a, b];
    const leaders = () => replicas.filter(r => r.engine.isLeading(cluster));
    try {
      await waitFor(() => leaders().length === 1, 20_000, 'a leader');
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      // never two watchers over several renewals
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        expect(leaders().length).toBeLessThanOrEqual(1);
        await new Promise(r => setTimeout(r, 10));
      }

      // graceful stop: the lease is released and taken within a renewal period or two
      const first = leaders()[0];
      const second = first === a ? b : a;
      let t0 = Date.now();
      await first.engine.stop();
      await waitFor(
        () => second.engine.isLeading(cluster),
        10_000,
        'hand-over',
      );
      expect(Date.now() - t0).toBeLessThan(2_000);
      sim.store.create(simPod('p-1', 'lead'));
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');

      // the first replica comes back as a follower; then the leader loses its database
      // for good (like a crashed process it never releases): taken over within a lease + 2 renewals
      first.engine.start();
      await new Promise(r => setTimeout(r, 1000));
      expect(first.engine.isLeading(cluster)).toBe(false);
      t0 = Date.now();
      await second.knex.destroy();
      await waitFor(() => first.engine.isLeading(cluster), 20_000, 'takeover');
      expect(Date.now() - t0).toBeLessThan(3_000 + 2 * 500 + 1_000);
      sim.store.create(simPod('p-2', 'lead'));
      await expectInSync(knex, sim, cluster, 'pods', 'core/pods');
      await waitFor(
        async () =>
          (
            await listSyncStatus(store.ctx, cluster)
          ).some(s => s.holder === first.engine.holder && s.connected),
        10_000,
        'status of the new holder',
      );
      await second.engine.stop();
      expect(leaders()).toEqual([first]);
    } finally {
      for (const r of replicas) {
        await r.engine.stop();
        await r.knex.destroy().catch(() => {});
      }
    }
  });
});
