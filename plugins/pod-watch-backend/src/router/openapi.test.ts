import { mockCredentials } from '@backstage/backend-test-utils';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { podWatchTestBackends } from './__testUtils__/backend';
import { CHECKOUT_REF, CLUSTER } from './__testUtils__/seed';

/**
 * The OpenAPI spec is the contract: every route is described, and every response the routes
 * give (successes and errors) validates against the spec's schema for its status.
 */

const spec = parse(readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat(
  'date-time',
  s => /^\d{4}-\d\d-\d\dT/.test(s) && !isNaN(Date.parse(s)),
);
ajv.addSchema(spec, 'openapi');

const pointer = (...parts: string[]) =>
  parts.map(p => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function responseSchemaRef(
  template: string,
  method: string,
  status: number,
): string {
  const op = spec.paths[template]?.[method];
  expect(op).toBeDefined();
  let response = op.responses[String(status)];
  expect(response).toBeDefined();
  let base = pointer('paths', template, method, 'responses', String(status));
  if (response.$ref) {
    base = response.$ref.slice(2);
    response = spec.components.responses[response.$ref.split('/').pop()];
  }
  expect(response.content?.['application/json']).toBeDefined();
  return `openapi#/${base}/${pointer('content', 'application/json', 'schema')}`;
}

const ref = encodeURIComponent(CHECKOUT_REF);
const user = mockCredentials.user.header();

/** [method, spec path, request path, expected status, auth header (default: a user)] */
const CASES: Array<[string, string, string, number, string?]> = [
  ['get', '/health', '/health', 200],
  ['get', '/pods', `/pods?entityRef=${ref}`, 200],
  ['get', '/pods', `/pods?entityRef=${ref}&limit=x`, 400],
  ['get', '/pods', '/pods?entityRef=component:default/nope', 404],
  [
    'get',
    '/pods',
    `/pods?entityRef=${ref}`,
    401,
    mockCredentials.none.header(),
  ],
  [
    'get',
    '/pods/{cluster}/{namespace}/{name}',
    `/pods/${CLUSTER}/shop/checkout-7d9-3?entityRef=${ref}`,
    200,
  ],
  [
    'get',
    '/pods/{cluster}/{namespace}/{name}',
    `/pods/${CLUSTER}/shop/cart-1?entityRef=${ref}`,
    404,
  ],
  ['get', '/logs', `/logs?entityRef=${ref}`, 200],
  ['get', '/logs', `/logs?entityRef=${ref}&limit=2`, 200],
  ['get', '/logs', `/logs?entityRef=${ref}&level=nope`, 400],
  ['get', '/logs/download', `/logs/download?entityRef=${ref}&start=x`, 400],
  ['get', '/incidents', `/incidents?entityRef=${ref}&limit=2`, 200],
  ['get', '/incidents', `/incidents?entityRef=${ref}&limit=1001`, 400],
  ['get', '/incidents/{id}', '/incidents/1', 200],
  ['get', '/incidents/{id}', '/incidents/424242', 404],
  ['get', '/history/events', '/history/events', 200],
  ['get', '/history/objects', '/history/objects', 200],
  ['get', '/history/objects', '/history/objects?verb=x', 400],
  [
    'get',
    '/history/objects/{cluster}/{uid}',
    `/history/objects/${CLUSTER}/deploy-checkout`,
    200,
  ],
  ['get', '/clusters', '/clusters', 200],
  ['post', '/clusters/{cluster}/test', `/clusters/${CLUSTER}/test`, 404],
];

describe('openapi.yaml', () => {
  const { start } = podWatchTestBackends();
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start('SQLITE_3');
  });

  // jest would pass its `done` callback in place of a missing auth column: fill it in
  it.each(CASES.map(([m, t, p, st, a]) => [m, t, p, st, a ?? user] as const))(
    '%s %s: %s answers %d as specified',
    async (method, template, path, status, auth) => {
      const res = await (request(server) as any)
        [method](`/api/pod-watch${path}`)
        .set('Authorization', auth);
      expect(res.status).toBe(status);
      const validate = ajv.getSchema(
        responseSchemaRef(template, method, status),
      )!;
      expect(validate).toBeDefined();
      const valid = validate(res.body);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      const headers =
        spec.paths[template][method].responses[String(status)].headers;
      for (const name of Object.keys(headers ?? {})) {
        expect(res.headers[name.toLowerCase()]).toBeDefined();
      }
    },
  );

  it('describes the plain-text log download', async () => {
    const res = await request(server)
      .get(`/api/pod-watch/logs/download?entityRef=${ref}`)
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(
      spec.paths['/logs/download'].get.responses['200'].content['text/plain'],
    ).toBeDefined();
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('rejects a response that breaks the contract', () => {
    const validate = ajv.getSchema(responseSchemaRef('/pods', 'get', 200))!;
    expect(validate({ pods: [] })).toBe(false);
    expect(
      validate({
        entityRef: 'x',
        pods: [],
        total: 0,
        counts: {},
        health: 'sick',
        workloads: [],
        clusters: [],
      }),
    ).toBe(false);
  });

  it('is exercised here for every operation it describes', () => {
    const described = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map(method => `${method} ${path}`),
    );
    const exercised = new Set(CASES.map(([m, p]) => `${m} ${p}`));
    expect(
      described.filter(d => !exercised.has(d) && d !== 'get /logs/download'),
    ).toEqual([]);
  });
});
