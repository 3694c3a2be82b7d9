import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeSim, startKubeSim } from '../index';

/**
 * (b) Debian's kubectl against the simulator. kubectl is required in CI (`.ci/run`
 * installs it); on a developer machine without it the suite is skipped with a note.
 */
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const haveKubectl = fs.existsSync(KUBECTL);
if (!haveKubectl && process.env.CI) {
  throw new Error(
    `kubectl not found at ${KUBECTL} (apt-get install -y kubectl)`,
  );
}
const describeKubectl = haveKubectl ? describe : describe.skip;

jest.setTimeout(30000);

describeKubectl('kubectl conformance', () => {
  let sim: KubeSim;
  let dir: string;

  const kubectl = (
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise(resolve => {
      execFile(
        KUBECTL,
        [
          '--kubeconfig',
          sim.kubeconfigPath,
          '--cache-dir',
          path.join(dir, 'cache'),
          ...args,
        ],
        { env: { ...process.env, HOME: dir, KUBECONFIG: '' }, timeout: 20000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (err as any).code ?? 1 : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-kubectl-'));
    sim = await startKubeSim({
      port: 0,
      timeScale: 60,
      scenario: ['healthy', 'crashloop'],
    });
    // let the crashloop pods crash and restart at least once (20 s run + 10 s back-off at 60x)
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      const p = sim.store.listIn('core/pods', 'payments');
      if (p.some(x => x.status?.containerStatuses?.[0]?.restartCount >= 1))
        break;
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('get pods -o json returns a v1 List with full objects', async () => {
    const r = await kubectl(['get', 'pods', '-n', 'shop', '-o', 'json']);
    expect(r.stderr).toBe('');
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(3);
    expect(list.items[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'shop' },
    });
  });

  it('get with label and field selectors across namespaces', async () => {
    const r = await kubectl([
      'get',
      'pods',
      '-A',
      '-l',
      'app in (storefront,payments-api)',
      '--field-selector',
      'status.phase=Running',
      '-o',
      'json',
    ]);
    const names = JSON.parse(r.stdout).items.map(
      (p: any) => p.metadata.namespace,
    );
    expect(new Set(names)).toEqual(new Set(['shop', 'payments']));
  });

  it('get --raw serves discovery, lists and Status errors', async () => {
    const api = JSON.parse((await kubectl(['get', '--raw', '/api/v1'])).stdout);
    expect(api.resources.map((x: any) => x.name)).toContain('pods/log');
    const deps = JSON.parse(
      (
        await kubectl([
          'get',
          '--raw',
          '/apis/apps/v1/namespaces/payments/deployments',
        ])
      ).stdout,
    );
    expect(deps.kind).toBe('DeploymentList');
    const missing = await kubectl(['get', 'pod', 'nope', '-n', 'shop']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      'Error from server (NotFound): pods "nope" not found',
    );
  });

  it('get (table) prints server-side columns', async () => {
    const r = await kubectl(['get', 'pods', '-n', 'payments']);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/,
    );
    expect(r.stdout).toMatch(
      /payments-api-\S+\s+\d\/1\s+(Running|Error|CrashLoopBackOff|ContainerCreating)/,
    );
  });

  it('get --watch -o json streams changes', async () => {
    const child = spawn(
      KUBECTL,
      [
        '--kubeconfig',
        sim.kubeconfigPath,
        '--cache-dir',
        path.join(dir, 'cache'),
        'get',
        'configmaps',
        '-n',
        'shop',
        '--watch',
        '-o',
        'json',
      ],
      {
        env: { ...process.env, HOME: dir, KUBECONFIG: '' },
      },
    );
    let out = '';
    child.stdout.on('data', d => {
      out += d.toString();
    });
    const exited = new Promise(r => child.on('exit', r));
    try {
      await new Promise(r => setTimeout(r, 1500));
      sim.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'watched', namespace: 'shop' },
        data: { a: '1' },
      });
      sim.store.patch(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'shop',
          name: 'watched',
        },
        o => {
          o.data.a = '2';
        },
      );
      const end = Date.now() + 8000;
      while (Date.now() < end && !out.includes('"a": "2"'))
        await new Promise(r => setTimeout(r, 50));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(out).toContain('"name": "watched"');
    expect(out).toContain('"a": "1"');
    expect(out).toContain('"a": "2"');
  });

  it('logs --previous --tail returns the crashed instance', async () => {
    const pod = sim.store
      .listIn('core/pods', 'payments')
      .find(p => p.status?.containerStatuses?.[0]?.restartCount >= 1)!;
    expect(pod).toBeTruthy();
    const r = await kubectl([
      'logs',
      '-n',
      'payments',
      pod.metadata.name!,
      '--previous',
      '--tail',
      '2',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
      '\t... 2 more',
    ]);
    const healthy = sim.store.listIn('core/pods', 'shop')[0];
    const none = await kubectl([
      'logs',
      '-n',
      'shop',
      healthy.metadata.name!,
      '--previous',
    ]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain(
      `previous terminated container "app" in pod "${healthy.metadata.name}" not found`,
    );
  });

  it('reports 401 with a wrong token', async () => {
    const bad = path.join(dir, 'bad-kubeconfig');
    fs.writeFileSync(bad, sim.kubeconfigYaml.replace(sim.token, 'wrong'));
    const r = await new Promise<{ stderr: string }>(resolve =>
      execFile(
        KUBECTL,
        [
          '--kubeconfig',
          bad,
          '--cache-dir',
          path.join(dir, 'cache2'),
          'get',
          'pods',
        ],
        { env: { ...process.env, HOME: dir } },
        (_e, _o, stderr) => resolve({ stderr }),
      ),
    );
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });
});
