/**
 * kill -9 restart: the backend runs as a real child process (whole plugin, real scheduler, a
 * SQLite file and then a PostgreSQL database) behind a recording proxy in front of the
 * simulator. While pods churn it is killed with SIGKILL, churn goes on, a new process starts:
 * it must resume every watch from the stored resourceVersion (no LIST), record the stretch
 * nobody watched as an observation gap, and end with nothing lost or duplicated.
 */
import { startKubeSim } from '@pod-watch/kube-sim';
import { generateTls } from '@pod-watch/kube-sim/src/certs';
import {
  EngineName,
  openScratchDatabase,
} from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { Checks, Counts } from '../lib/result';
import { runSection } from '../lib/section';
import type { ReliabilityContext } from '../lib/context';
import { startApiServerProxy } from '../restart/apiServerProxy';
import { checkLedgerSettled } from '../restart/ledgerSettled';
import { BackendProcess, spawnBackend } from '../restart/backendProcess';
import { clusterConfig } from '../restart/podWatchBackend';
import {
  resumedFromStore,
  resumeEvidence,
  storedResourceVersions,
} from '../restart/resumeEvidence';

const CLUSTER = 'restart';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function restartRun(
  engine: EngineName,
  ctx: ReliabilityContext,
  checks: Checks,
): Promise<Pick<Counts, 'lost' | 'duplicates'>> {
  const plan = ctx.quick
    ? { pods: 40, kills: 1, churnMs: 4000, downMs: 2000 }
    : { pods: 300, kills: 2, churnMs: 10_000, downMs: 5000 };
  const tls = generateTls();
  const sim = await startKubeSim({ port: 0, tls, bookmarkIntervalMs: 1000 });
  const proxy = await startApiServerProxy({
    url: sim.url,
    caPem: sim.caPem,
    tls,
  });
  const db = await openScratchDatabase(engine, {
    pgUrl: ctx.pgUrl,
    name: `restart_${engine}`,
  });
  const settings = {
    database: db.connection,
    config: {
      kubernetes: clusterConfig(CLUSTER, { ...sim, url: proxy.url }),
      podWatch: {
        logs: { enabled: false },
        // a dead holder's lease is taken over within about lease + 2 × renew seconds
        leadership: { leaseSeconds: 3, renewSeconds: 1 },
        watch: { backoffInitialMs: 100, backoffMaxMs: 1000 },
      },
    },
  };
  let backend: BackendProcess | undefined;
  const tag = `[${engine}]`;
  try {
    sim.load.createPods({ pods: plan.pods, namespaces: 2, prefix: 'rs' });
    backend = spawnBackend(settings);
    await backend.ready;
    const holderOf = async () =>
      (
        await db
          .knex('sync_state')
          .where({ cluster: CLUSTER, kind: 'pods' })
          .first()
      )?.holder as string | undefined;
    await waitFor(
      () => proxy.requests.some(r => r.watch && r.path === '/api/v1/pods'),
      60_000,
      'the first backend watching pods',
    );
    const sinceWallMs = proxy.requests.find(
      r => r.watch && r.path === '/api/v1/pods',
    )!.at;
    sim.load.startChurn({ eventsPerSecond: 20, podUpdatesPerSecond: 15 });
    await sleep(plan.churnMs);

    for (let kill = 1; kill <= plan.kills; kill++) {
      const holderBefore = await waitFor(holderOf, 30_000, 'a holder').catch(
        () => undefined,
      );
      const killedAt = Date.now();
      await backend.kill9();
      const stored = await storedResourceVersions(db.knex, CLUSTER);
      ctx.log(
        `${tag} kill ${kill}: SIGKILL, stored rv ${JSON.stringify(stored)}`,
      );
      await sleep(plan.downMs); // pods keep churning with nobody watching
      const restartedAt = Date.now();
      backend = spawnBackend(settings);
      await backend.ready;
      const readyAt = Date.now();
      // resumed once every kind with a stored resourceVersion has asked again
      await waitFor(
        () =>
          resumeEvidence(proxy.requests, restartedAt, stored).every(
            k => k.first,
          ),
        60_000,
        'the restarted backend watching every kind',
      ).catch(() => undefined);
      const firstAt = proxy.requests.find(r => r.at >= restartedAt)?.at;
      await sleep(plan.churnMs); // the new process watches the churn: still no LIST?
      const resumed = resumeEvidence(proxy.requests, restartedAt, stored);
      const notResumed = resumed.filter(k => !resumedFromStore(k));
      checks.expect(
        `${tag} kill ${kill}: every kind resumes its watch from the stored resourceVersion, no LIST`,
        resumed.length > 0 && notResumed.length === 0,
        `${resumed.length - notResumed.length}/${
          resumed.length
        } kinds; started in ${seconds(
          readyAt - restartedAt,
        )} s, first request ${
          firstAt ? seconds(firstAt - readyAt) : '-'
        } s later (lease takeover)${
          notResumed.length ? `; not: ${JSON.stringify(notResumed)}` : ''
        }`,
      );
      // the gap: from the dead process's last stored success until the new watch connected
      const gaps = await waitFor(
        async () => {
          const rows = await db
            .knex('observation_gaps')
            .where({ cluster: CLUSTER, kind: 'pods' })
            .where('started_at', '<=', killedAt)
            .where('ended_at', '>=', restartedAt);
          return rows.length > 0 && rows;
        },
        30_000,
        'a closed gap over the downtime',
      ).catch(() => []);
      checks.expect(
        `${tag} kill ${kill}: the downtime is recorded as a closed observation gap`,
        gaps.length === 1,
        gaps
          .map(
            (g: any) =>
              `${g.reason}: ${seconds(
                Number(g.ended_at) - Number(g.started_at),
              )} s`,
          )
          .join('; ') || 'none',
      );
      const holderAfter = await waitFor(
        async () => {
          const h = await holderOf();
          return h && h !== holderBefore && h;
        },
        30_000,
        'the new holder in the sync status',
      ).catch(() => undefined);
      checks.expect(
        `${tag} kill ${kill}: the sync status names the new process as holder`,
        Boolean(holderAfter),
        `${holderBefore} → ${holderAfter}`,
      );
    }

    sim.load.stopChurn();
    const comparison = await checkLedgerSettled({
      checks,
      sim,
      knex: db.knex,
      cluster: CLUSTER,
      sinceWallMs,
      names: {
        nothingLost: `${tag} after ${plan.kills} kill -9: nothing lost, nothing duplicated`,
        historyComplete: `${tag} the changes made while the backend was dead are in the history too`,
      },
    });
    return { lost: comparison.lost, duplicates: comparison.duplicates };
  } catch (e) {
    if (backend) ctx.log(`${tag} backend log:\n${backend.logTail()}`);
    throw e;
  } finally {
    sim.load.stopChurn();
    await backend?.kill9();
    await proxy.close();
    await sim.close();
    await db.close();
  }
}

runSection('restart', async ctx => {
  const checks = new Checks();
  let lost = 0;
  let duplicates = 0;
  for (const engine of ['sqlite', 'pg'] as const) {
    const r = await restartRun(engine, ctx, checks);
    lost += r.lost;
    duplicates += r.duplicates;
  }
  return { counts: { lost, duplicates }, checks: checks.list };
});
