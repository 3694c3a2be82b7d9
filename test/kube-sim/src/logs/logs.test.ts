import https from 'node:https';
import { KubeSim, startKubeSim } from '../index';

function get(
  sim: KubeSim,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${sim.url}${path}`,
        { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } },
        res => {
          let body = '';
          res.on('data', d => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      )
      .on('error', reject);
  });
}

describe('pods/log', () => {
  let sim: KubeSim;
  const base = '/api/v1/namespaces/default/pods';

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
    const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };
    sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: 'node-1',
        initContainers: [{ name: 'init', image: 'i' }],
        containers: [
          { name: 'app', image: 'a' },
          { name: 'proxy', image: 'p' },
        ],
      },
      status: {
        phase: 'Running',
        initContainerStatuses: [
          {
            name: 'init',
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
        containerStatuses: [
          { name: 'app', state: running, lastState: {}, restartCount: 0 },
          {
            name: 'proxy',
            state: { waiting: { reason: 'ContainerCreating' } },
            lastState: {},
            restartCount: 0,
          },
        ],
      },
    });
    sim.logs.startInstance('default', 'web', 'app');
    const now = sim.clock.now();
    const lines = ['old line', 'middle line', 'new line'];
    lines.forEach((text, i) =>
      sim.logs.append('default', 'web', 'app', {
        ts: now - (2 - i) * 60000,
        text,
      }),
    );
  });

  afterAll(async () => {
    await sim.close();
  });

  it('names the containers (and init containers) when a multi-container pod omits container=', async () => {
    const r = await get(sim, `${base}/web/log`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe(
      'a container name must be specified for pod web, choose one of: [app proxy] or one of the init containers: [init]',
    );
  });

  it('rejects unknown containers and waiting containers like the real server', async () => {
    expect(
      JSON.parse((await get(sim, `${base}/web/log?container=nope`)).body)
        .message,
    ).toBe('container nope is not valid for pod web');
    expect(
      JSON.parse((await get(sim, `${base}/web/log?container=proxy`)).body)
        .message,
    ).toBe(
      'container "proxy" in pod "web" is waiting to start: ContainerCreating',
    );
    expect((await get(sim, `${base}/missing/log`)).status).toBe(404);
  });

  it('filters by tailLines, sinceSeconds, sinceTime and limitBytes', async () => {
    const q = (s: string) =>
      get(sim, `${base}/web/log?container=app&${s}`).then(r => r.body);
    expect(await q('')).toBe('old line\nmiddle line\nnew line\n');
    expect(await q('tailLines=1')).toBe('new line\n');
    expect(await q('tailLines=0')).toBe('');
    expect(await q('sinceSeconds=90')).toBe('middle line\nnew line\n');
    const t = new Date(sim.clock.now() - 30000).toISOString();
    expect(await q(`sinceTime=${encodeURIComponent(t)}`)).toBe('new line\n');
    expect(await q('limitBytes=5')).toBe('old l');
    expect(await q('timestamps=true&tailLines=1')).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z new line\n$/,
    );
    const bad = await get(
      sim,
      `${base}/web/log?container=app&sinceSeconds=5&sinceTime=${encodeURIComponent(
        t,
      )}`,
    );
    expect(bad.status).toBe(422);
  });
});
