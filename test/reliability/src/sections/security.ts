/**
 * security: authentication and permissions on every route of openapi.yaml, an example
 * owner-only policy, redaction recall of planted secrets through the real capture path, and no
 * cluster credential in any response body or backend log line — on SQLite and PostgreSQL.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { EngineName } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { ReliabilityContext } from '../lib/context';
import { Checks } from '../lib/result';
import { runSection } from '../lib/section';
import { withBackend, workloadEntity } from '../hostile/backend';
import { KUBERNETES_ID, withCollection } from '../hostile/capture';
import { fuzzRequests, sendFuzz } from '../hostile/fuzz';
import { callRoute, isServerError, readRoutes } from '../hostile/routes';
import { checkAuthMatrix, checkOwnerPolicy } from '../security/access';
import {
  connectionTestsUnderFaults,
  credentialsIn,
  kubernetesConfig,
} from '../security/credentials';
import { PodWatchOwnerPolicy } from '../security/ownerPolicy';
import { policyPermissions } from '../security/policyPermissions';
import { measureRecall } from '../security/recall';

const NAMESPACE = 'secrets';
const APP = 'ledger';
const OWNER = 'user:default/owner';
const ENTITY_REF = `component:default/${APP}`;
const ENTITY = workloadEntity(APP, OWNER);

interface EngineResult {
  planted: number;
  redacted: number;
  inputs: number;
  fivexx: number;
}

const runEngine = (
  ctx: ReliabilityContext,
  engine: EngineName,
  checks: Checks,
) =>
  withCollection(ctx, engine, 'security', async (db, collection) => {
    const { sim, cluster } = collection;
    const result: EngineResult = {
      planted: 0,
      redacted: 0,
      inputs: 0,
      fivexx: 0,
    };

    // (3) redaction recall: simulator pods/log → LogCollector → store
    const recall = await measureRecall(db, collection, {
      namespace: NAMESPACE,
      podName: `${APP}-0`,
      labels: { [KUBERNETES_ID]: APP },
      quick: ctx.quick,
    });
    Object.assign(result, {
      planted: recall.planted,
      redacted: recall.redacted,
    });
    result.inputs += recall.written;
    checks.expect(
      `${engine}: every captured line stored`,
      recall.stored === recall.written,
      `${recall.stored}/${recall.written}`,
    );
    checks.expect(
      `${engine}: ordinary lines stored byte-identical`,
      recall.touched === 0,
      `${recall.touched} of ${recall.ordinary} changed`,
    );
    ctx.log(
      `${engine}: recall ${recall.redacted}/${
        recall.planted
      }; missed ${JSON.stringify(recall.missed)}`,
    );

    const routes = readRoutes();
    const valid: Record<string, string> = {
      entityRef: ENTITY_REF,
      cluster,
      namespace: NAMESPACE,
      name: recall.pod.name,
      uid: recall.pod.uid,
      id: '1',
    };
    // the backends hold the simulator's credentials: the connection-test route uses them
    const base = {
      knex: db.knex,
      entities: [ENTITY],
      config: kubernetesConfig(sim, cluster),
    };
    const bodies: string[] = [];
    const logs: string[] = [];

    // (1) 401 without a valid token, 403/404 when the policy denies
    await withBackend({ ...base, allow: () => false }, async backend => {
      const matrix = await checkAuthMatrix(backend.baseUrl, routes, valid);
      result.inputs += matrix.sent;
      result.fivexx += matrix.serverErrors;
      bodies.push(...matrix.bodies);
      logs.push(...backend.logger.lines);
      checks.expect(
        `${engine}: ${routes.length} routes: 401 without a token or with a forged one (health open), 403/404 when denied`,
        matrix.wrong.length === 0,
        matrix.wrong.slice(0, 4).join('; '),
      );
    });

    // (2) the example owner policy: the owner reads, anyone else is blocked
    const permissions = policyPermissions(new PodWatchOwnerPolicy(), [ENTITY]);
    await withBackend({ ...base, permissions }, async backend => {
      const owner = await checkOwnerPolicy(
        backend.baseUrl,
        routes,
        valid,
        OWNER,
        'user:default/mallory',
      );
      result.inputs += owner.sent;
      result.fivexx += owner.serverErrors;
      bodies.push(...owner.bodies);
      logs.push(...backend.logger.lines);
      checks.expect(
        `${engine}: owner policy: the owner reads ${owner.owner.length} entity routes, a non-owner gets 403`,
        owner.wrong.length === 0,
        `owner ${owner.owner.join(',')}; non-owner ${owner.other.join(',')}`,
      );
    });

    // (4) a full walk of every route and a fuzz run, allowed: no credential anywhere
    await withBackend(base, async backend => {
      const user = mockCredentials.user.header();
      for (const r of routes) {
        const res = await callRoute(backend.baseUrl, r, valid, user);
        if (isServerError(r, res.status)) result.fivexx++;
        bodies.push(res.body);
      }
      const fuzz = await sendFuzz(
        backend.baseUrl,
        fuzzRequests(routes, valid, ctx.quick ? 4 : 20, 3),
        { authorization: user },
        true,
      );
      result.inputs += routes.length + fuzz.sent;
      result.fivexx += fuzz.fivexx.length;
      bodies.push(...fuzz.bodies);
      const test = routes.find(r => r.operationId === 'TestClusterConnection')!;
      const faulty = await connectionTestsUnderFaults(
        sim,
        backend.baseUrl,
        test,
        valid,
        user,
      );
      result.inputs += faulty.length;
      logs.push(...backend.logger.lines, ...collection.logger.lines);

      const echoed = faulty.filter(b => credentialsIn(sim, [b]).length > 0);
      checks.expect(
        `${engine}: connection-test errors never carry the cluster token, even when the API server echoes it`,
        echoed.length === 0,
        `${echoed.length} of ${faulty.length} failing tests returned it${
          echoed.length ? `: ${echoed[0].slice(0, 100)}…` : ''
        }`,
      );
      const inBodies = credentialsIn(sim, bodies);
      checks.expect(
        `${engine}: no cluster credential in ${bodies.length} response bodies`,
        inBodies.length === 0,
        inBodies.join(', '),
      );
      const inLogs = credentialsIn(sim, logs);
      checks.expect(
        `${engine}: no cluster credential in ${logs.length} backend log lines`,
        inLogs.length === 0 && logs.length > 0,
        inLogs.join(', '),
      );
    });
    return result;
  });

runSection('security', async ctx => {
  const checks = new Checks();
  const total: EngineResult = { planted: 0, redacted: 0, inputs: 0, fivexx: 0 };
  for (const engine of ['sqlite', 'pg'] as const) {
    const r = await runEngine(ctx, engine, checks);
    total.planted += r.planted;
    total.redacted += r.redacted;
    total.inputs += r.inputs;
    total.fivexx += r.fivexx;
  }
  const recall = Math.round((1000 * total.redacted) / total.planted) / 10;
  checks.expect(
    `redaction recall ≥ 95% (${total.redacted}/${total.planted})`,
    recall >= 95,
    `${recall}%`,
  );
  checks.expect('no 5xx', total.fivexx === 0, `${total.fivexx}`);
  return {
    counts: {
      hostile_inputs: total.inputs,
      '5xx': total.fivexx,
      redaction_recall: recall,
    },
    checks: checks.list,
  };
});
