/**
 * hostile: hostile objects, Events and log lines through the real watch and log path into a
 * real store (SQLite and PostgreSQL), then every route fuzzed over HTTP. Proves: nothing lost,
 * text stored safely and capped, routes answer 200 with JSON, no 5xx, 400s name the parameter,
 * bounded memory.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { EngineName } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { LOG_LINE_BYTES } from '@pod-watch/plugin-pod-watch-backend/src/store/logs';
import { ReliabilityContext } from '../lib/context';
import { Checks } from '../lib/result';
import { runSection } from '../lib/section';
import { withBackend, workloadEntity } from '../hostile/backend';
import { putPod, waitFor, withCollection } from '../hostile/capture';
import { fuzzRequests, sendFuzz } from '../hostile/fuzz';
import {
  APP,
  hostileEvents,
  hostileLogLines,
  hostilePods,
  NAMESPACE,
} from '../hostile/inputs';
import { captureAroundOverLimitLine } from '../hostile/overLimit';
import { readRoutes } from '../hostile/routes';
import { failedReads, hostileReads } from '../hostile/serving';
import { expectedStoredLine, storedLines, unsafeText } from '../hostile/store';

/** store/events.ts caps Event messages at this many bytes */
const MESSAGE_BYTES = 4096;
/** heap growth allowed over the fuzz run, after a full GC */
const HEAP_BOUND_MB = 64;

const ENTITY_REF = `component:default/${APP}`;
const ENTITY = workloadEntity(APP, 'user:default/mock');

const runEngine = (
  ctx: ReliabilityContext,
  engine: EngineName,
  checks: Checks,
) =>
  withCollection(ctx, engine, 'hostile', async (db, collection) => {
    const { sim, cluster } = collection;
    let inputs = 0;
    let fivexx = 0;

    // (1) the watch path: every hostile object stored
    sim.cluster.ensureNamespace(NAMESPACE);
    const pods = hostilePods(ctx.quick);
    const created = pods.map(p => putPod(sim, p.pod, p.containers));
    const events = hostileEvents(created, ctx.quick);
    events.forEach(e => sim.store.create(e));
    inputs += pods.length + events.length;
    const countOf = async (table: string, where: Record<string, string>) =>
      Number(
        (
          await db
            .knex(table)
            .where({ cluster, ...where })
            .count({ n: '*' })
        )[0].n,
      );
    const stored = async () => ({
      pods: await countOf('pods', { namespace: NAMESPACE }),
      events: await countOf('events', { namespace: NAMESPACE }),
    });
    await waitFor(
      async () => {
        const s = await stored();
        return s.pods === pods.length && s.events === events.length;
      },
      60_000,
      'hostile objects stored',
    ).catch(() => undefined);
    const s = await stored();
    checks.expect(
      `${engine}: every hostile pod and Event stored`,
      s.pods === pods.length && s.events === events.length,
      `pods ${s.pods}/${pods.length}, events ${s.events}/${events.length}`,
    );
    const many = pods.findIndex(p => p.pod.metadata.name === 'many-containers');
    const containers = await countOf('containers', {
      pod_uid: created[many].metadata.uid,
    });
    checks.expect(
      `${engine}: all ${pods[many].containers.length} containers of one pod stored`,
      containers === pods[many].containers.length,
      `${containers}`,
    );

    // (2) the log path: every line stored exactly as the capture path must store it
    await collection.collectLogs();
    let lines = 0;
    let lost = 0;
    let altered = 0;
    for (const p of pods) {
      for (const c of p.containers) {
        const got = await storedLines(
          db.knex,
          cluster,
          p.pod.metadata.name,
          c.name,
        );
        lines += c.lines.length;
        lost += Math.max(0, c.lines.length - got.length);
        altered += c.lines.filter(
          (l, i) => i < got.length && got[i] !== expectedStoredLine(l),
        ).length;
      }
    }
    inputs += lines;
    checks.expect(
      `${engine}: every hostile log line stored, cleaned and capped as documented`,
      lost === 0 && altered === 0,
      `${lines} lines (${Object.keys(hostileLogLines(ctx.quick)).join(
        ', ',
      )}), ${lost} lost, ${altered} stored differently (cap ${LOG_LINE_BYTES} B)`,
    );
    const unsafe = [
      ...(await unsafeText(
        db.knex,
        'log_lines',
        'text',
        { cluster },
        LOG_LINE_BYTES,
      )),
      ...(await unsafeText(
        db.knex,
        'events',
        'message',
        { cluster },
        MESSAGE_BYTES,
      )),
    ];
    checks.expect(
      `${engine}: no NUL, lone surrogate or over-cap text in log lines and Event messages`,
      unsafe.length === 0,
      unsafe.slice(0, 3).join('; '),
    );
    const over = await captureAroundOverLimitLine(
      db,
      collection,
      `${NAMESPACE}-limit`,
    );
    inputs += over.written;
    checks.expect(
      `${engine}: a line over the default logs.limitBytes (${over.limit} B) does not block the lines after it`,
      over.stored.includes('after-1') && over.stored.includes('after-2'),
      `stored ${JSON.stringify(
        over.stored.map(l =>
          l.length > 20 ? `${l.slice(0, 8)}…(${l.length})` : l,
        ),
      )}`,
    );

    // (3) the routes serve the hostile data; then every parameter of every route is fuzzed
    await withBackend({ knex: db.knex, entities: [ENTITY] }, async backend => {
      const headers = { authorization: mockCredentials.user.header() };
      const reads = hostileReads(ENTITY_REF, cluster, created);
      const served = await failedReads(backend.baseUrl, reads, headers);
      fivexx += served.serverErrors;
      checks.expect(
        `${engine}: routes serve the hostile objects and logs (200, valid JSON)`,
        served.failed.length === 0,
        served.failed.slice(0, 3).join('; ') || `${reads.length} reads`,
      );

      const routes = readRoutes();
      const valid: Record<string, string> = {
        entityRef: ENTITY_REF,
        cluster,
        namespace: NAMESPACE,
        name: created[3].metadata.name,
        uid: created[3].metadata.uid,
        id: '1',
      };
      const requests = fuzzRequests(
        routes,
        valid,
        ctx.quick ? 30 : 150,
        engine === 'sqlite' ? 1 : 2,
      );
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const before = process.memoryUsage();
      const t0 = Date.now();
      const outcome = await sendFuzz(backend.baseUrl, requests, headers);
      gc?.();
      const after = process.memoryUsage();
      const heapMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
      const rssMb = (after.rss - before.rss) / 2 ** 20;
      inputs += outcome.sent;
      fivexx += outcome.fivexx.length;
      ctx.log(
        `${engine}: fuzzed ${routes.length} routes, ${
          outcome.sent
        } requests in ${Math.round(
          (Date.now() - t0) / 1000,
        )} s, statuses ${JSON.stringify(outcome.status)}`,
      );
      checks.expect(
        `${engine}: no 5xx from ${outcome.sent} fuzzed requests`,
        outcome.fivexx.length === 0,
        outcome.fivexx.slice(0, 3).join('; '),
      );
      checks.expect(
        `${engine}: every 400 names the parameter, every 4xx has a message`,
        outcome.unnamed.length === 0 && outcome.unclear.length === 0,
        [...outcome.unnamed, ...outcome.unclear].slice(0, 3).join('; '),
      );
      checks.expect(
        `${engine}: 200 answers are valid JSON`,
        outcome.badJson.length === 0,
        outcome.badJson.slice(0, 3).join('; '),
      );
      checks.expect(
        `${engine}: memory bounded over the fuzz (heap growth ≤ ${HEAP_BOUND_MB} MB after GC)`,
        Boolean(gc) && heapMb <= HEAP_BOUND_MB,
        `heap ${heapMb.toFixed(1)} MB, rss ${rssMb.toFixed(1)} MB${
          gc ? '' : ' (run with --expose-gc)'
        }`,
      );
    });
    return { inputs, fivexx };
  });

runSection('hostile', async ctx => {
  const checks = new Checks();
  let inputs = 0;
  let fivexx = 0;
  for (const engine of ['sqlite', 'pg'] as const) {
    const r = await runEngine(ctx, engine, checks);
    inputs += r.inputs;
    fivexx += r.fivexx;
  }
  return {
    counts: { hostile_inputs: inputs, '5xx': fivexx },
    checks: checks.list,
  };
});
