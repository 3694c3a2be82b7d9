import https from 'node:https';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { KubeSim, startKubeSim } from '../index';

jest.setTimeout(20000);

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Wall ms until the first body byte. */
  firstByteMs: number;
  aborted: boolean;
}

/** Raw HTTPS GET that keeps whatever arrived, even when the connection is cut. */
function get(
  sim: KubeSim,
  path: string,
  opts: { maxMs?: number } = {},
): Promise<RawResponse> {
  return new Promise(resolve => {
    const t0 = Date.now();
    let body = '';
    let firstByteMs = -1;
    const req = https.get(
      `${sim.url}${path}`,
      { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } },
      res => {
        res.on('data', d => {
          if (firstByteMs < 0) firstByteMs = Date.now() - t0;
          body += d;
        });
        const finish = (aborted: boolean) =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            firstByteMs,
            aborted,
          });
        res.on('end', () => finish(false));
        res.on('aborted', () => finish(true));
        res.on('error', () => finish(true));
        if (opts.maxMs) {
          setTimeout(() => {
            req.destroy();
            finish(false);
          }, opts.maxMs);
        }
      },
    );
    req.on('error', () =>
      resolve({ status: 0, headers: {}, body, firstByteMs, aborted: true }),
    );
  });
}

describe('fault injection', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'seed', namespace: 'default' },
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  afterEach(() => sim.faults.clear());

  it('replies 429 with Retry-After, then recovers', async () => {
    sim.faults.httpError({
      status: 429,
      retryAfterSeconds: 2,
      times: 1,
      match: { resource: 'pods' },
    });
    const r = await get(sim, '/api/v1/pods');
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('2');
    expect(JSON.parse(r.body)).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 2 },
    });
    expect((await get(sim, '/api/v1/pods')).status).toBe(200);
  });

  it.each([
    [500, 'InternalError'],
    [503, 'ServiceUnavailable'],
  ])('replies %i %s', async (status, reason) => {
    sim.faults.httpError({ status, times: 2 });
    const r = await get(sim, '/api/v1/configmaps');
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body)).toMatchObject({
      kind: 'Status',
      reason,
      code: status,
    });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    await expect(
      kc.makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({ code: status });
    await expect(
      kc.makeApiClient(CoreV1Api).listNamespace(),
    ).resolves.toBeTruthy();
  });

  it('adds latency', async () => {
    sim.faults.latency(300, { path: '/configmaps' });
    const t0 = Date.now();
    await get(sim, '/api/v1/configmaps');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('drops open watches', async () => {
    const p = get(
      sim,
      `/api/v1/configmaps?watch=1&resourceVersion=${sim.store.resourceVersion}`,
    );
    await new Promise(r => setTimeout(r, 200));
    expect(sim.faults.dropWatches()).toBe(1);
    const r = await p;
    expect(r.aborted).toBe(true);
    expect(sim.openWatches()).toBe(0);
  });

  it('closes a watch mid-chunk (half a JSON line, then the connection ends)', async () => {
    const p = get(
      sim,
      `/api/v1/configmaps?watch=1&resourceVersion=${sim.store.resourceVersion}`,
    );
    await new Promise(r => setTimeout(r, 200));
    sim.faults.closeMidChunk();
    const r = await p;
    expect(r.body).toBe('{"type":"MODIFIED","object":{"kind":"');
  });

  it('sends a malformed line and keeps streaming', async () => {
    const p = get(
      sim,
      `/api/v1/configmaps?watch=1&resourceVersion=${sim.store.resourceVersion}`,
      { maxMs: 800 },
    );
    await new Promise(r => setTimeout(r, 200));
    sim.faults.malformedLine();
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-junk', namespace: 'default' },
    });
    const lines = (await p).body.trim().split('\n');
    expect(() => JSON.parse(lines[0])).toThrow();
    expect(JSON.parse(lines[1])).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'after-junk' } },
    });
  });

  it('stalls a watch without bytes, then delivers what queued up', async () => {
    const events: string[] = [];
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml);
    const ctl = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: String(sim.store.resourceVersion) },
      (t, o) => events.push(`${t} ${o.metadata.name}`),
      () => undefined,
    );
    await new Promise(r => setTimeout(r, 200));
    sim.faults.stall(700);
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'stalled', namespace: 'default' },
    });
    await new Promise(r => setTimeout(r, 400));
    expect(events).toEqual([]);
    await new Promise(r => setTimeout(r, 600));
    expect(events).toEqual(['ADDED stalled']);
    ctl.abort();
  });

  it('stalls new watches too (includeNew): the first byte comes late', async () => {
    sim.faults.stall(600, { includeNew: true });
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'late', namespace: 'default' },
    });
    const r = await get(
      sim,
      '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1',
    );
    expect(r.firstByteMs).toBeGreaterThanOrEqual(500);
    expect(r.body).toContain('"late"');
  });

  it('restart with compaction forces 410 for every earlier resourceVersion', async () => {
    const before = sim.store.resourceVersion;
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pre-restart', namespace: 'default' },
    });
    sim.faults.restart({ compact: true });
    const w = await get(
      sim,
      `/api/v1/configmaps?watch=1&resourceVersion=${before}`,
    );
    const ev = JSON.parse(w.body.trim());
    expect(ev).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    // a paginated list started before the restart cannot continue
    const page = JSON.parse(
      (await get(sim, '/api/v1/namespaces?limit=1')).body,
    );
    sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'between-pages', namespace: 'default' },
    });
    sim.faults.restart({ compact: true });
    const cont = await get(
      sim,
      `/api/v1/namespaces?limit=1&continue=${page.metadata.continue}`,
    );
    expect(cont.status).toBe(410);
    expect(JSON.parse(cont.body)).toMatchObject({
      reason: 'Expired',
      code: 410,
      metadata: { continue: expect.any(String) },
    });
  });

  it('replays scripted bytes for matching requests', async () => {
    sim.faults.script({
      match: { path: '/api/v1/nodes', watch: false },
      chunks: [
        '{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"7"},',
        '"items":[]}',
      ],
    });
    const r = await get(sim, '/api/v1/nodes');
    expect(JSON.parse(r.body)).toEqual({
      kind: 'NodeList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7' },
      items: [],
    });
    expect(
      JSON.parse((await get(sim, '/api/v1/nodes')).body).items.length,
    ).toBe(3);
  });

  it('expires continue tokens after their TTL', async () => {
    const short = await startKubeSim({ port: 0, continueTtlMs: 100 });
    try {
      const page = JSON.parse(
        (await get(short, '/api/v1/namespaces?limit=1')).body,
      );
      await new Promise(r => setTimeout(r, 150));
      const r = await get(
        short,
        `/api/v1/namespaces?limit=1&continue=${page.metadata.continue}`,
      );
      expect(r.status).toBe(410);
      expect(JSON.parse(r.body).message).toMatch(
        /^The provided continue parameter is too old/,
      );
    } finally {
      await short.close();
    }
  });
});
