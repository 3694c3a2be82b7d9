import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { podWatchTestBackends } from './__testUtils__/backend';
import { CART_INCIDENT_ID, CHECKOUT_REF, CLUSTER } from './__testUtils__/seed';

const { each, start } = podWatchTestBackends();

const user = mockCredentials.user.header();
const entityRef = encodeURIComponent(CHECKOUT_REF);

describe.each(each)('pod-watch routes on %p', id => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start(id);
  });
  const get = (path: string) =>
    request(server).get(`/api/pod-watch${path}`).set('Authorization', user);

  it('lists an entity pods attention first with roll-ups and sync status', async () => {
    const res = await get(`/pods?entityRef=${entityRef}`);
    expect(res.status).toBe(200);
    expect(res.body.selector).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=checkout',
    });
    expect(res.body.pods.map((p: any) => p.name)).toEqual([
      'checkout-7d9-3',
      'checkout-7d9-1',
      'checkout-7d9-2',
    ]);
    expect(res.body.total).toBe(3);
    expect(res.body.counts).toMatchObject({ failing: 1, healthy: 2 });
    expect(res.body.health).toBe('failing');
    expect(res.body.workloads).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'checkout',
        health: 'failing',
        pods: 3,
        replicas: { desired: 3, ready: 2, available: 2, updated: 3 },
        worstPod: 'checkout-7d9-3',
        images: ['shop/checkout:1.4.2'],
        topIssue: expect.objectContaining({ reason: 'OOMKilled' }),
      }),
    ]);
    expect(res.body.clusters).toEqual([
      expect.objectContaining({
        cluster: CLUSTER,
        status: 'error',
        lastError: 'watch failed: 500',
        kinds: expect.arrayContaining([
          expect.objectContaining({
            kind: 'pods',
            lastSuccessAt: expect.any(String),
          }),
        ]),
      }),
    ]);
  });

  it('filters pods by health, cluster and namespace', async () => {
    const failing = await get(
      `/pods?entityRef=${entityRef}&health=failing,degraded`,
    );
    expect(failing.body.pods.map((p: any) => p.name)).toEqual([
      'checkout-7d9-3',
    ]);
    expect(failing.body.total).toBe(1);
    const elsewhere = await get(`/pods?entityRef=${entityRef}&namespace=other`);
    expect(elsewhere.body.pods).toEqual([]);
    const paged = await get(`/pods?entityRef=${entityRef}&limit=1&offset=1`);
    expect(paged.body.pods.map((p: any) => p.name)).toEqual(['checkout-7d9-1']);
  });

  it('answers pod detail with containers, Events, serving status and owner chain', async () => {
    const res = await get(
      `/pods/${CLUSTER}/shop/checkout-7d9-3?entityRef=${entityRef}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.containers).toEqual([
      expect.objectContaining({
        name: 'app',
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        restarts: 4,
        lastTermination: expect.objectContaining({
          reason: 'OOMKilled',
          exitCode: 137,
        }),
      }),
    ]);
    expect(res.body.events).toEqual([
      expect.objectContaining({ reason: 'BackOff', count: 7 }),
    ]);
    expect(res.body.serving).toEqual([
      expect.objectContaining({
        service: 'checkout',
        ip: '10.0.0.3',
        serving: false,
      }),
    ]);
    expect(res.body.ownerChain).toEqual([
      { kind: 'ReplicaSet', name: 'checkout-7d9', uid: 'rs-checkout' },
      { kind: 'Deployment', name: 'checkout', uid: 'deploy-checkout' },
    ]);
  });

  it('does not show a pod of another entity', async () => {
    const res = await get(
      `/pods/${CLUSTER}/shop/cart-1?entityRef=${entityRef}`,
    );
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('folds exceptions, filters levels and text, and pages logs by cursor', async () => {
    const folded = await get(`/logs?entityRef=${entityRef}&order=asc`);
    expect(folded.status).toBe(200);
    const trace = folded.body.items.find((e: any) => e.exception);
    // the error line that announces the trace folds with it (common's ExceptionFolder)
    expect(trace.lines).toEqual([
      'ERROR request failed',
      'java.lang.OutOfMemoryError: Java heap space',
      '\tat com.shop.Checkout.pay(Checkout.java:42)',
      '\tat com.shop.Server.handle(Server.java:7)',
    ]);
    expect(trace.level).toBe('error');
    expect(folded.body.items.map((e: any) => e.lines[0])).not.toContain(
      'INFO cart says hi',
    );

    const raw = await get(
      `/logs?entityRef=${entityRef}&fold=false&level=exception`,
    );
    expect(raw.body.items).toHaveLength(3);

    const search = await get(`/logs?entityRef=${entityRef}&q=HEAP%20space`);
    expect(search.body.items.map((e: any) => e.lines[0])).toEqual([
      'java.lang.OutOfMemoryError: Java heap space',
    ]);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(
        `/logs?entityRef=${entityRef}&fold=false&limit=2${
          cursor ? `&cursor=${cursor}` : ''
        }`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(6);

    const bad = await get(
      `/logs?entityRef=${entityRef}&cursor=bm90LWEtY3Vyc29y`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('cursor');
  });

  it('downloads logs as plain text', async () => {
    const res = await get(
      `/logs/download?entityRef=${entityRef}&source=previous`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="checkout-logs.txt"',
    );
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      / checkout-7d9-3\/app \(previous\) INFO started checkout$/,
    );
  });

  it('pages incidents with X-Total-Count and X-Has-More', async () => {
    const first = await get(`/incidents?entityRef=${entityRef}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.headers['x-total-count']).toBe('5');
    expect(first.headers['x-has-more']).toBe('true');
    expect(first.body).toMatchObject({
      total: 5,
      hasMore: true,
      limit: 2,
      offset: 0,
    });
    expect(first.body.items).toHaveLength(2);
    const last = await get(
      `/incidents?entityRef=${entityRef}&limit=2&offset=4`,
    );
    expect(last.headers['x-has-more']).toBe('false');
    expect(last.body.items).toHaveLength(1);
    const oom = await get(
      `/incidents?entityRef=${entityRef}&type=OOMKilled&status=open`,
    );
    expect(oom.body.items.map((i: any) => i.type)).toEqual(['OOMKilled']);
    const resolved = await get(
      `/incidents?entityRef=${entityRef}&status=resolved`,
    );
    expect(resolved.body.total).toBe(0);
  });

  it('answers incident detail with its evidence', async () => {
    const list = await get(`/incidents?entityRef=${entityRef}&type=OOMKilled`);
    const oomId = list.body.items[0].id;
    const res = await get(`/incidents/${oomId}?entityRef=${entityRef}`);
    expect(res.status).toBe(200);
    expect(res.body.incident.type).toBe('OOMKilled');
    expect(res.body.evidence).toEqual({
      lastTermination: { reason: 'OOMKilled', exitCode: 137 },
    });
    expect(res.body.events.map((e: any) => e.reason)).toEqual(['BackOff']);
    expect(res.body.logs.map((l: any) => l.text)).toContain(
      'java.lang.OutOfMemoryError: Java heap space',
    );
    expect(res.body.changes.map((c: any) => c.verb)).toEqual(['update']);
    expect((await get('/incidents/999999')).status).toBe(404);
    // without an entity: cluster-wide data, same incident
    expect((await get(`/incidents/${oomId}`)).body.incident.id).toBe(oomId);
    // an incident of another entity is not found through this one
    const cart = await get(`/incidents?entityRef=component:default/cart`);
    expect(cart.status).toBe(404);
    const other = await get(
      `/incidents/${CART_INCIDENT_ID}?entityRef=${entityRef}`,
    );
    expect(other.status).toBe(404);
  });

  it('answers Event and object history and one object timeline', async () => {
    const events = await get('/history/events?namespace=shop&resourceType=Pod');
    expect(events.status).toBe(200);
    expect(events.headers['x-total-count']).toBe('1');
    expect(events.body.items[0].reason).toBe('BackOff');
    const warnings = await get(
      '/history/events?type=Warning&reason=BackOff,Failed',
    );
    expect(warnings.body.total).toBe(1);
    const objects = await get(
      '/history/objects?resourceType=Deployment&verb=update',
    );
    expect(objects.body.items.map((h: any) => h.resourceVersion)).toEqual([
      '200',
    ]);
    const since = await get(
      `/history/objects?start=${new Date(
        Date.parse('2026-11-20T09:00:00Z'),
      ).toISOString()}`,
    );
    expect(since.body.total).toBe(1);
    const timeline = await get(`/history/objects/${CLUSTER}/deploy-checkout`);
    expect(timeline.body).toMatchObject({
      kind: 'Deployment',
      name: 'checkout',
      historyTotal: 2,
      eventsTotal: 1,
    });
    expect((await get(`/history/objects/${CLUSTER}/nothing-here`)).status).toBe(
      404,
    );
  });

  it('answers the cluster overview without credentials of any kind', async () => {
    const res = await get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      {
        name: CLUSTER,
        sync: expect.objectContaining({ cluster: CLUSTER, status: 'error' }),
        counts: { deployments: 1, pods: 4, running: 4, pending: 0, failing: 1 },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(
      /token|caData|password|https?:/i,
    );
    const test = await request(server)
      .post(`/api/pod-watch/clusters/${CLUSTER}/test`)
      .set('Authorization', user);
    // the test backend configures no cluster: nothing to connect to
    expect(test.status).toBe(404);
  });
});
