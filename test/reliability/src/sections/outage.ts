/**
 * Cluster outage: the API server goes away (every connection reset at a proxy in front of the
 * simulator) for half a minute (quick) or minutes (full) while Pod Watch backends on SQLite and
 * on PostgreSQL keep serving entity pages. The pages must answer 200 with the last data and say
 * how old it is, the backends must not hammer the dead cluster (attempts bounded by the backoff
 * schedule and log-tail runs of their config), and once the cluster is back the stores catch up.
 */
import { workloadEntity, workloadEntityRef } from '@pod-watch/test-fixtures';
import { KubeSim, startKubeSim } from '@pod-watch/kube-sim';
import { generateTls } from '@pod-watch/kube-sim/src/certs';
import {
  EngineName,
  openScratchDatabase,
  ScratchDatabase,
} from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import {
  simVersions,
  storedVersions,
  waitFor,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import { compareWithLedger } from '../lib/ledgerCompare';
import { Checks } from '../lib/result';
import { runSection } from '../lib/section';
import type { ReliabilityContext } from '../lib/context';
import { entityPages, PageAnswer } from '../outage/entityPages';
import { outageAttemptBound } from '../outage/requestBound';
import { ApiServerProxy, startApiServerProxy } from '../restart/apiServerProxy';
import {
  clusterConfig,
  startPodWatchBackend,
} from '../restart/podWatchBackend';

const CLUSTER = 'outage';
const KINDS = ['pods', 'events', 'deployments', 'replicasets'];
const ENTITY = workloadEntity('payments-api');
const ENTITY_REF = workloadEntityRef('payments-api');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

interface Replica {
  engine: EngineName;
  db: ScratchDatabase;
  proxy: ApiServerProxy;
  pages: ReturnType<typeof entityPages>;
  stop(): Promise<void>;
}

async function startReplica(
  engine: EngineName,
  sim: KubeSim,
  tls: ReturnType<typeof generateTls>,
  ctx: ReliabilityContext,
  podWatch: Record<string, any>,
): Promise<Replica> {
  const db = await openScratchDatabase(engine, {
    pgUrl: ctx.pgUrl,
    name: `outage_${engine}`,
  });
  const proxy = await startApiServerProxy({
    url: sim.url,
    caPem: sim.caPem,
    tls,
  });
  const backend = await startPodWatchBackend({
    knex: db.knex,
    entities: [ENTITY],
    config: {
      kubernetes: clusterConfig(CLUSTER, { ...sim, url: proxy.url }),
      podWatch,
    },
    // a dead cluster makes every reflector warn on each retry
    logLevel: 'error',
  });
  return {
    engine,
    db,
    proxy,
    pages: entityPages(backend.server, ENTITY_REF),
    async stop() {
      await backend.stop();
      await proxy.close();
      await db.close();
    },
  };
}

/** Whether the live pods and workloads of the store equal the simulator's. */
async function inSync(r: Replica, sim: KubeSim): Promise<boolean> {
  const same = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length &&
    Object.entries(a).every(([k, v]) => b[k] === v);
  return (
    same(
      await storedVersions(r.db.knex, 'pods', CLUSTER),
      simVersions(sim, 'core/pods'),
    ) &&
    same(
      await storedVersions(r.db.knex, 'workloads', CLUSTER, {
        kind: 'Deployment',
      }),
      simVersions(sim, 'apps/deployments'),
    )
  );
}

const podUids = (a: PageAnswer) =>
  ((a.body?.pods ?? []) as any[])
    .map(p => p.uid)
    .sort()
    .join(',');
const incidentIds = (a: PageAnswer) =>
  ((a.body?.items ?? []) as any[])
    .map(i => i.id)
    .sort()
    .join(',');

runSection('outage', async ctx => {
  const checks = new Checks();
  const outageMs = ctx.quick ? 25_000 : 130_000;
  const watch = {
    backoffInitialMs: 500,
    backoffMaxMs: ctx.quick ? 4000 : 10_000,
  };
  const logsSeconds = 5;
  const podWatch = {
    kinds: KINDS,
    schedules: { logsSeconds },
    leadership: { leaseSeconds: 3, renewSeconds: 1 },
    watch,
  };
  const tls = generateTls();
  // the crash loop keeps changing pods, Events and logs, during the outage too
  const sim = await startKubeSim({
    port: 0,
    tls,
    bookmarkIntervalMs: 1000,
    timeScale: 10,
    scenario: 'crashloop',
  });
  const replicas: Replica[] = [];
  let fiveXx = 0;
  const answer = async (r: Replica, page: 'pods' | 'incidents') => {
    const a = await r.pages[page]();
    if (a.status >= 500) fiveXx++;
    return a;
  };
  try {
    for (const engine of ['sqlite', 'pg'] as const) {
      replicas.push(await startReplica(engine, sim, tls, ctx, podWatch));
    }
    // before: in sync, and the crash loop has become an incident on the entity's page
    const before = new Map<
      Replica,
      { pods: PageAnswer; incidents: PageAnswer }
    >();
    for (const r of replicas) {
      await waitFor(() => inSync(r, sim), 60_000, `${r.engine} in sync`);
      await waitFor(
        async () => (await answer(r, 'incidents')).body?.items?.length > 0,
        60_000,
        `${r.engine} incident`,
      ).catch(() => undefined);
      before.set(r, {
        pods: await answer(r, 'pods'),
        incidents: await answer(r, 'incidents'),
      });
    }
    const sinceWallMs = Date.now();
    await sleep(2000); // let every kind store a resourceVersion after the last changes

    ctx.log(`cluster down for ${outageMs / 1000} s`);
    const downAt = Date.now();
    const attemptsBefore = new Map(
      replicas.map(r => [r, r.proxy.connections()]),
    );
    replicas.forEach(r => r.proxy.down());
    const polls = new Map(
      replicas.map(r => [r, { answers: 0, ok: 0, sameData: 0 }]),
    );
    const last = new Map<Replica, PageAnswer>();
    while (Date.now() - downAt < outageMs) {
      await sleep(2000);
      for (const r of replicas) {
        const pods = await answer(r, 'pods');
        const incidents = await answer(r, 'incidents');
        const p = polls.get(r)!;
        p.answers += 2;
        p.ok += [pods, incidents].filter(a => a.status === 200).length;
        if (
          podUids(pods) === podUids(before.get(r)!.pods) &&
          incidentIds(incidents) === incidentIds(before.get(r)!.incidents)
        ) {
          p.sameData++;
        }
        last.set(r, pods);
      }
    }
    const elapsedS = (Date.now() - downAt) / 1000;
    const attempts = new Map(
      replicas.map(r => [r, r.proxy.connections() - attemptsBefore.get(r)!]),
    );
    replicas.forEach(r => r.proxy.up());
    ctx.log('cluster back');

    for (const r of replicas) {
      const tag = `[${r.engine}]`;
      const p = polls.get(r)!;
      checks.expect(
        `${tag} entity pages answer 200 throughout the outage`,
        p.answers > 0 && p.ok === p.answers,
        `${p.ok}/${p.answers} answers 200`,
      );
      const b = before.get(r)!;
      checks.expect(
        `${tag} the pages keep the last data (same pods and incidents as before)`,
        p.sameData === p.answers / 2 &&
          podUids(b.pods) !== '' &&
          incidentIds(b.incidents) !== '',
        `${p.sameData}/${p.answers / 2} polls; ${
          b.pods.body?.pods?.length ?? 0
        } pods, ${b.incidents.body?.items?.length ?? 0} incidents`,
      );
      const sync = last
        .get(r)
        ?.body?.clusters?.find((c: any) => c.cluster === CLUSTER);
      checks.expect(
        `${tag} the pods page says how old the data is (not ok, lag ≈ outage, last error)`,
        sync !== undefined &&
          sync.status !== 'ok' &&
          sync.lagSeconds >= elapsedS - 5 &&
          sync.lagSeconds <= elapsedS + 15 &&
          Boolean(sync.lastError),
        sync
          ? `status ${sync.status}, lag ${
              sync.lagSeconds
            } s after ${elapsedS.toFixed(0)} s down, error "${String(
              sync.lastError,
            ).slice(0, 60)}"`
          : 'no sync status for the cluster',
      );
      const containers = Number(
        (
          await r.db
            .knex('containers')
            .join('pods', {
              'pods.cluster': 'containers.cluster',
              'pods.uid': 'containers.pod_uid',
            })
            .where('containers.cluster', CLUSTER)
            .whereNull('pods.deleted_at')
            .count({ n: '*' })
        )[0].n,
      );
      const bound = outageAttemptBound({
        outageMs: elapsedS * 1000,
        reflectors: KINDS.length,
        containers,
        watch,
        logsSeconds,
      });
      const made = attempts.get(r)!;
      checks.expect(
        `${tag} connection attempts to the dead cluster stay within the backoff bound`,
        made >= KINDS.length && made <= bound.total,
        `${made} attempts in ${elapsedS.toFixed(0)} s ≤ ${bound.total} (${
          bound.explain
        })`,
      );
    }

    // after: the stores catch up with what happened meanwhile
    const backAt = Date.now();
    for (const r of replicas) {
      const tag = `[${r.engine}]`;
      const compare = () =>
        compareWithLedger({
          sim,
          knex: r.db.knex,
          cluster: CLUSTER,
          sinceWallMs,
        });
      // the crash loop goes on, so compare until a moment the store has everything
      const caughtUp = await waitFor(
        async () => (await inSync(r, sim)) && (await compare()).lost === 0,
        60_000,
        `${tag} catch-up`,
      )
        .then(() => true)
        .catch(() => false);
      const comparison = await compare();
      checks.expect(
        `${tag} the store catches up once the cluster is back`,
        caughtUp && comparison.lost === 0 && comparison.duplicates === 0,
        `in sync after ${((Date.now() - backAt) / 1000).toFixed(1)} s; lost ${
          comparison.lost
        }, duplicates ${comparison.duplicates}${
          comparison.details.examples.length
            ? `; ${comparison.details.examples.join('; ')}`
            : ''
        }`,
      );
      const status = await waitFor(
        async () => {
          const s = (await answer(r, 'pods')).body?.clusters?.find(
            (c: any) => c.cluster === CLUSTER,
          );
          return s?.status === 'ok' && s;
        },
        30_000,
        `${tag} status ok`,
      ).catch(() => undefined);
      checks.expect(
        `${tag} the pods page reports the cluster current again`,
        Boolean(status),
        status ? `lag ${status.lagSeconds} s` : 'still not ok',
      );
    }
    return { counts: { '5xx': fiveXx }, checks: checks.list };
  } finally {
    for (const r of replicas) await r.stop();
    await sim.close();
  }
});
