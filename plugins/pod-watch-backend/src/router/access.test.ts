import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { podWatchTestBackends } from './__testUtils__/backend';
import { CHECKOUT_REF, CLUSTER, OOM_INCIDENT_ID } from './__testUtils__/seed';

const { start } = podWatchTestBackends();

const ref = encodeURIComponent(CHECKOUT_REF);

/** One route of each group, entity-scoped ones with the checkout entity. */
const ROUTES = [
  `/pods?entityRef=${ref}`,
  `/pods/${CLUSTER}/shop/checkout-7d9-3?entityRef=${ref}`,
  `/logs?entityRef=${ref}`,
  `/logs/download?entityRef=${ref}`,
  `/incidents?entityRef=${ref}`,
  '/history/events',
  '/history/objects',
  `/history/objects/${CLUSTER}/deploy-checkout`,
  '/clusters',
];

describe('pod-watch auth and permissions', () => {
  it.each(ROUTES)('rejects an unauthenticated call to %s', async path => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get(`/api/pod-watch${path}`)
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('serves /health without credentials', async () => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get('/api/pod-watch/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
  });

  it.each(ROUTES)('serves %s to a service principal', async path => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get(`/api/pod-watch${path}`)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
  });

  it.each([
    '/pods?entityRef=component:default/nope',
    `/pods/${CLUSTER}/shop/checkout-7d9-3?entityRef=component:default/nope`,
    '/logs?entityRef=component:default/nope',
    '/incidents?entityRef=component:default/nope',
  ])('answers 404 for an entity the caller cannot see: %s', async path => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get(`/api/pod-watch${path}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        name: 'NotFoundError',
        message: 'Entity component:default/nope not found',
      },
      request: { method: 'GET', url: `/api/pod-watch${path}` },
      response: { statusCode: 404 },
    });
  });

  it('answers an entity without Kubernetes annotations with no pods', async () => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get('/api/pod-watch/pods?entityRef=component:default/docs')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pods: [], total: 0, workloads: [] });
    expect(res.body.selector).toBeUndefined();
  });

  it('checks each route group against its own permission', async () => {
    const server = await start('SQLITE_3', {
      deny: ['podwatch.logs.read', 'podwatch.history.read'],
    });
    const status = async (path: string) =>
      (
        await request(server)
          .get(`/api/pod-watch${path}`)
          .set('Authorization', mockCredentials.user.header())
      ).status;
    expect(await status(`/pods?entityRef=${ref}`)).toBe(200);
    expect(await status(`/incidents?entityRef=${ref}`)).toBe(200);
    expect(await status('/clusters')).toBe(200);
    expect(await status(`/logs?entityRef=${ref}`)).toBe(403);
    expect(await status(`/logs/download?entityRef=${ref}`)).toBe(403);
    expect(await status('/history/events')).toBe(403);
    expect(await status(`/history/objects/${CLUSTER}/deploy-checkout`)).toBe(
      403,
    );
  });

  it('lets an entity read its own objects timeline without history.read', async () => {
    const server = await start('SQLITE_3', { deny: ['podwatch.history.read'] });
    const status = async (path: string) =>
      (
        await request(server)
          .get(`/api/pod-watch${path}`)
          .set('Authorization', mockCredentials.user.header())
      ).status;
    const timeline = `/history/objects/${CLUSTER}`;
    expect(await status(`${timeline}/deploy-checkout`)).toBe(403);
    expect(await status(`${timeline}/deploy-checkout?entityRef=${ref}`)).toBe(
      200,
    );
    expect(await status(`${timeline}/checkout-uid-3?entityRef=${ref}`)).toBe(
      200,
    );
    // another entity's pod is not found through this entity
    expect(await status(`${timeline}/cart-uid-1?entityRef=${ref}`)).toBe(404);
    const denied = await start('SQLITE_3', { deny: ['podwatch.pods.read'] });
    const res = await request(denied)
      .get(`/api/pod-watch${timeline}/deploy-checkout?entityRef=${ref}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
  });

  it.each([
    ['podwatch.pods.read', `/pods?entityRef=${ref}`],
    [
      'podwatch.pods.read',
      `/pods/${CLUSTER}/shop/checkout-7d9-3?entityRef=${ref}`,
    ],
    ['podwatch.incidents.read', `/incidents?entityRef=${ref}`],
    ['podwatch.clusters.read', '/clusters'],
  ])('forbids when %s is denied: %s', async (permission, path) => {
    const server = await start('SQLITE_3', { deny: [permission] });
    const res = await request(server)
      .get(`/api/pod-watch${path}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('forbids incident detail and connection tests when denied', async () => {
    const auth = mockCredentials.user.header();
    const status = async (deny: string[], path: string, method = 'get') =>
      (
        await (request(await start('SQLITE_3', { deny })) as any)
          [method](`/api/pod-watch${path}`)
          .set('Authorization', auth)
      ).status;
    const detail = `/incidents/${OOM_INCIDENT_ID}`;
    expect(await status([], `${detail}?entityRef=${ref}`)).toBe(200);
    expect(
      await status(['podwatch.incidents.read'], `${detail}?entityRef=${ref}`),
    ).toBe(403);
    expect(
      await status(['podwatch.history.read'], `${detail}?entityRef=${ref}`),
    ).toBe(200);
    // without an entity the incident is cluster-wide data
    expect(await status(['podwatch.incidents.read'], detail)).toBe(200);
    expect(await status(['podwatch.history.read'], detail)).toBe(403);
    expect(
      await status(
        ['podwatch.clusters.test'],
        `/clusters/${CLUSTER}/test`,
        'post',
      ),
    ).toBe(403);
  });

  it.each([
    ['/pods', 'entityRef', 'is required'],
    ['/pods?entityRef=checkout', 'entityRef', 'entity reference'],
    [`/pods?entityRef=${ref}&limit=0`, 'limit', 'at least 1'],
    [`/pods?entityRef=${ref}&limit=5001`, 'limit', 'at most 5000'],
    [`/pods?entityRef=${ref}&health=sick`, 'health', 'must be one of'],
    [`/pods?entityRef=${ref}&namespace=Bad_NS`, 'namespace', 'Kubernetes name'],
    [`/pods?entityRef=${ref}&limit=1&limit=2`, 'limit', 'expected string'],
    [
      `/pods/${CLUSTER}/shop/Bad..Name?entityRef=${ref}`,
      'name',
      'Kubernetes name',
    ],
    [`/logs?entityRef=${ref}&level=fatal`, 'level', 'must be one of'],
    [`/logs?entityRef=${ref}&start=yesterday`, 'start', 'ISO 8601'],
    [
      `/logs?entityRef=${ref}&start=2026-11-20&end=2026-11-19`,
      'end',
      'before start',
    ],
    [`/logs?entityRef=${ref}&source=current`, 'source', 'live or previous'],
    [`/logs?entityRef=${ref}&cursor=%27%20OR%201%3D1`, 'cursor', 'cursor'],
    [`/logs?entityRef=${ref}&fold=maybe`, 'fold', 'true or false'],
    [`/incidents?entityRef=${ref}&limit=1001`, 'limit', 'at most 1000'],
    [`/incidents?entityRef=${ref}&offset=-1`, 'offset', 'non-negative integer'],
    [`/incidents?entityRef=${ref}&status=closed`, 'status', 'must be one of'],
    ['/incidents/abc', 'id', 'non-negative integer'],
    [
      '/history/events?resourceType=Pod;DROP',
      'resourceType',
      'Kubernetes kind',
    ],
    ['/history/objects?verb=patch', 'verb', 'must be one of'],
    ['/history/objects?limit=99999999999999999999999', 'limit', 'at most 1000'],
  ])('answers 400 naming the field for %s', async (path, field, message) => {
    const server = await start('SQLITE_3');
    const res = await request(server)
      .get(`/api/pod-watch${path}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: expect.stringContaining(message),
      field,
    });
    expect(res.body.error.message).toContain(`'${field}'`);
    expect(res.body.response).toEqual({ statusCode: 400 });
  });
});
