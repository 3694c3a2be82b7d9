/**
 * Two replicas on one PostgreSQL: two backend child processes (distinct lease holders) share a
 * scratch database and watch one simulated cluster with pods and Events churning, each through
 * its own recording proxy. Exactly one of them may watch at any time (measured from outside:
 * open watch streams per replica at its proxy, sampled, and the exact time both had requests
 * open); killing the leader with SIGKILL hands the cluster to the other within 60 s, a SIGTERM
 * within about renewSeconds; afterwards nothing is lost or duplicated.
 */
import { startKubeSim } from '@pod-watch/kube-sim';
import { generateTls } from '@pod-watch/kube-sim/src/certs';
import { POD_WATCH_DEFAULTS } from '@pod-watch/plugin-pod-watch-backend/src/clusters/podWatchConfig';
import { openScratchDatabase } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { Checks } from '../lib/result';
import { runSection } from '../lib/section';
import { detectorControl } from '../replicas/detectorControl';
import { HandOver, handOver, HandOverHow } from '../replicas/handOver';
import { startReplicaSlots } from '../replicas/replicaSlots';
import { checkLedgerSettled } from '../restart/ledgerSettled';
import { checkOneWatcher } from '../replicas/oneWatcherChecks';
import {
  leaseChanges,
  openWatches,
  startWatchSampler,
} from '../replicas/watchTimeline';

const CLUSTER = 'replicas';
const LEASE = `cluster:${CLUSTER}`;
const FAILOVER_LIMIT_S = 60;
/** a SIGTERM hand-over may take renewSeconds (the follower's poll) plus this for the shutdown */
const GRACEFUL_SLACK_S = 5;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const s1 = (seconds: number) => Math.round(seconds * 10) / 10;

runSection('replicas', async ctx => {
  const checks = new Checks();
  // full: the shipped defaults (the 60 s claim is about them); quick: a shorter lease
  const leadership = ctx.quick
    ? { leaseSeconds: 10, renewSeconds: 2 }
    : POD_WATCH_DEFAULTS.leadership;
  const plan: {
    pods: number;
    churnMs: number;
    handOvers: HandOverHow[];
  } = ctx.quick
    ? { pods: 40, churnMs: 4000, handOvers: ['kill -9', 'SIGTERM'] }
    : {
        pods: 200,
        churnMs: 10_000,
        handOvers: ['kill -9', 'SIGTERM', 'kill -9'],
      };
  ctx.log(
    `leadership: leaseSeconds ${leadership.leaseSeconds}, renewSeconds ${
      leadership.renewSeconds
    }${ctx.quick ? ' (quick run: shorter than the defaults)' : ' (defaults)'}`,
  );
  const tls = generateTls();
  const sim = await startKubeSim({ port: 0, tls, bookmarkIntervalMs: 1000 });
  const db = await openScratchDatabase('pg', {
    pgUrl: ctx.pgUrl,
    name: 'replicas',
  });
  const podWatch = {
    logs: { enabled: false },
    watch: { backoffInitialMs: 100, backoffMaxMs: 1000 },
    ...(ctx.quick ? { leadership } : {}),
  };
  const replicas = await startReplicaSlots({
    names: ['A', 'B'],
    sim,
    tls,
    cluster: CLUSTER,
    database: db.connection,
    podWatch,
  });
  const { slots } = replicas;
  const sampler = startWatchSampler({
    slots,
    holderAt: replicas.holderAt,
    sim,
    knex: db.knex,
    lease: LEASE,
    intervalMs: 100,
  });
  const allRequests = () => slots.flatMap(s => s.proxy.requests);
  /** who the leases row and the pods sync status name now */
  const namedHolders = async () => ({
    lease: (await db.knex('leases').where({ name: LEASE }).first())?.holder as
      | string
      | undefined,
    sync: (
      await db
        .knex('sync_state')
        .where({ cluster: CLUSTER, kind: 'pods' })
        .first()
    )?.holder as string | undefined,
  });
  try {
    sim.load.createPods({ pods: plan.pods, namespaces: 2, prefix: 'rp' });
    const startedAt = Date.now();
    // one after the other: the scheduler's own knex migrations race on an empty database
    // ("relation backstage_backend_tasks__knex_migrations_lock already exists")
    for (const slot of slots) await replicas.spawn(slot).ready;
    ctx.log(`both replicas ready in ${s1((Date.now() - startedAt) / 1000)} s`);
    const firstPodsWatch = await waitFor(
      () => allRequests().find(r => r.watch && r.path === '/api/v1/pods'),
      60_000,
      'a replica watching pods',
    );
    // nobody watches before the first watch: sampled from the start, so a window from 0
    const handOverWindows: Array<[number, number]> = [[0, firstPodsWatch.at]];
    sim.load.startChurn({ eventsPerSecond: 20, podUpdatesPerSecond: 15 });
    await sleep(plan.churnMs);

    const done: HandOver[] = [];
    for (const [i, how] of plan.handOvers.entries()) {
      const leaders = slots.filter(s => openWatches(s.proxy.requests) > 0);
      const oneLeader = checks.expect(
        `hand-over ${i + 1}: exactly one replica is watching before the ${how}`,
        leaders.length === 1,
        `watching: ${leaders.map(s => s.name).join(', ') || 'none'}`,
      );
      if (!oneLeader) break;
      const [from] = leaders;
      const to = slots.find(s => s !== from)!;
      const r = await handOver({
        how,
        replicas,
        from,
        to,
        timeoutMs: 120_000,
      });
      done.push(r);
      handOverWindows.push([r.startedAt, r.firstWatchAt ?? Infinity]);
      const limit =
        how === 'kill -9'
          ? FAILOVER_LIMIT_S
          : leadership.renewSeconds + GRACEFUL_SLACK_S;
      checks.expect(
        `hand-over ${i + 1} (${how} of ${from.name}): ${
          to.name
        } watches within ${limit} s`,
        r.seconds !== undefined && r.seconds <= limit,
        `${r.seconds === undefined ? 'never' : `${s1(r.seconds)} s`}${
          how === 'SIGTERM'
            ? `; exit code ${r.exitCode}, stopped in ${s1(
                (r.goneAt - r.startedAt) / 1000,
              )} s`
            : `; expected within lease + 2 × renew = ${
                leadership.leaseSeconds + 2 * leadership.renewSeconds
              } s`
        }`,
      );
      if (how === 'SIGTERM') {
        checks.expect(
          `hand-over ${i + 1}: the SIGTERM shut ${from.name} down cleanly`,
          r.exitCode === 0,
          `exit code ${r.exitCode}`,
        );
      }
      // the survivor took the lease and writes the sync status under its own name
      const survivor = r.toHolder;
      const holders = await waitFor(
        async () => {
          const h = await namedHolders();
          return h.lease === survivor && h.sync === survivor && h;
        },
        30_000,
        'the survivor as lease and sync-status holder',
      ).catch(namedHolders);
      checks.expect(
        `hand-over ${i + 1}: the lease row and the sync status name ${
          to.name
        } (${survivor})`,
        holders.lease === survivor && holders.sync === survivor,
        `lease ${holders.lease}, sync_state ${holders.sync}`,
      );
      if (i < plan.handOvers.length - 1) {
        // back to two replicas: the new process must stay a follower
        await replicas.spawn(from).ready;
      }
      await sleep(plan.churnMs);
    }

    sim.load.stopChurn();
    const comparison = await checkLedgerSettled({
      checks,
      sim,
      knex: db.knex,
      cluster: CLUSTER,
      sinceWallMs: firstPodsWatch.at,
      names: {
        nothingLost: `after ${done.length} hand-overs: nothing lost, nothing duplicated (Events, history, incidents)`,
        historyComplete:
          'the changes made during the hand-overs are in the history too',
      },
    });
    await sampler.stop();

    checkOneWatcher(checks, {
      samples: sampler.samples,
      handOverWindows,
      slots,
      startedAt,
    });

    const leader = slots.find(s => openWatches(s.proxy.requests) > 0);
    if (leader) {
      const control = await detectorControl({
        sim,
        tls,
        pgUrl: ctx.pgUrl,
        cluster: CLUSTER,
        podWatch,
        replicas,
        leader,
        knex: db.knex,
        lease: LEASE,
      });
      const c = control.summary;
      checks.expect(
        'control: the same instruments see a replica on another database (own lease) watching alongside',
        c.twoWatching > 0 &&
          c.maxSimWatches > c.maxReplicaWatches &&
          control.overlapMs > 0,
        `${c.twoWatching} of ${c.samples} samples with two, simulator serving ${c.maxSimWatches} streams, overlap ${control.overlapMs} ms`,
      );
    } else {
      checks.expect('control: a replica watching to compare with', false);
    }

    // a hand-over that never happened counts as the whole wait for it
    const failovers = done
      .filter(r => r.how === 'kill -9')
      .map(r => r.seconds ?? r.waitedSeconds);
    // the lease row's view of each hand-over (sampled): released, then taken by the survivor
    ctx.log(
      `hand-overs: ${done
        .map(r => {
          const lease = leaseChanges(
            sampler.samples,
            r.startedAt,
            r.fromHolder,
            r.toHolder,
          );
          const after = (at?: number) =>
            at === undefined ? 'never' : `+${s1((at - r.startedAt) / 1000)} s`;
          return `${r.how} ${r.from}→${r.to}: lease left ${after(
            lease.leftAt,
          )}, taken ${after(lease.takenAt)}, first watch ${after(
            r.firstWatchAt,
          )}`;
        })
        .join('; ')}`,
    );
    return {
      counts: {
        ...(failovers.length ? { failover_s: s1(Math.max(...failovers)) } : {}),
        lost: comparison.lost,
        duplicates: comparison.duplicates,
      },
      checks: checks.list,
    };
  } catch (e) {
    for (const slot of slots) {
      if (slot.process) {
        ctx.log(`replica ${slot.name} log:\n${slot.process.logTail()}`);
      }
    }
    throw e;
  } finally {
    sim.load.stopChurn();
    await sampler.stop();
    await replicas.close();
    await sim.close();
    await db.close();
  }
});
