import { KubeSim, podStatusColumn, startKubeSim } from '../index';
import { KubeObject } from '../types';

/**
 * Every built-in scenario, all at once (each in its namespace) at 100x: a few
 * minutes of cluster life in a few seconds of wall time.
 */

jest.setTimeout(40000);

describe('scenarios', () => {
  let sim: KubeSim;

  const pods = (ns: string) => sim.store.listIn('core/pods', ns);
  const main = (p: KubeObject) =>
    p.status?.containerStatuses?.find((c: any) => c.name === 'app');
  const events = (ns: string, reason?: string) =>
    sim.store
      .listIn('core/events', ns)
      .filter(e => !reason || e.reason === reason);
  const until = async (what: string, fn: () => boolean, ms = 15000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (fn()) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`timed out: ${what}`);
  };

  beforeAll(async () => {
    sim = await startKubeSim({ port: 0, timeScale: 100, scenario: 'all' });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('lists every scenario', () => {
    expect(sim.scenarios.list().map(s => s.name)).toEqual([
      'healthy',
      'stateful',
      'crashloop',
      'oomkilled',
      'imagepull',
      'config-error',
      'unschedulable',
      'init-failure',
      'readiness-failure',
      'liveness-kill',
      'eviction',
      'rollout',
      'job-success',
      'job-failure',
      'node-lost',
    ]);
  });

  it('healthy: pods Ready, Deployment available, EndpointSlice endpoints ready', async () => {
    await until(
      'storefront available',
      () =>
        sim.store.getIn('apps/deployments', 'shop', 'storefront')?.status
          ?.availableReplicas === 3,
    );
    expect(pods('shop').map(podStatusColumn)).toEqual([
      'Running',
      'Running',
      'Running',
    ]);
    const slice = sim.store.listIn(
      'discovery.k8s.io/endpointslices',
      'shop',
    )[0];
    await until(
      'endpoints ready',
      () =>
        (
          sim.store.getIn(
            'discovery.k8s.io/endpointslices',
            'shop',
            slice.metadata.name!,
          )?.endpoints ?? []
        ).filter((e: any) => e.conditions.ready).length === 3,
    );
    const reasons = new Set(events('shop').map(e => e.reason));
    for (const r of [
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
      'SuccessfulCreate',
      'ScalingReplicaSet',
    ]) {
      expect(reasons).toContain(r);
    }
  });

  it('stateful: ordinal StatefulSet pods start in order; DaemonSet runs one pod per node', async () => {
    await until(
      'sts ready',
      () =>
        sim.store.getIn('apps/statefulsets', 'data', 'orders-db')?.status
          ?.readyReplicas === 3,
    );
    const created = sim.ledger
      .changes({ kind: 'Pod', namespace: 'data', type: 'ADDED' })
      .map(c => c.name)
      .filter(n => n.startsWith('orders-db-'));
    expect(created).toEqual(['orders-db-0', 'orders-db-1', 'orders-db-2']);
    await until('ds ready', () => {
      const ds = sim.store.getIn('apps/daemonsets', 'data', 'log-agent');
      return (
        ds?.status?.numberReady >= 3 && ds?.status?.desiredNumberScheduled >= 3
      );
    });
    const nodes = pods('data')
      .filter(p => p.metadata.name!.startsWith('log-agent-'))
      .map(p => p.spec.nodeName);
    expect(new Set(nodes).size).toBe(nodes.length);
  });

  it('crashloop: CrashLoopBackOff with growing back-off, one aggregated BackOff Event per container', async () => {
    await until('two restarts', () =>
      pods('payments').some(p => main(p)?.restartCount >= 2),
    );
    const p = pods('payments').find(x => main(x)?.restartCount >= 2)!;
    expect(main(p).lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
    const backoffs = sim.ledger
      .changes({ kind: 'Pod', namespace: 'payments', name: p.metadata.name })
      .map(c => main(c.object)?.state?.waiting?.message)
      .filter((m): m is string => !!m && m.startsWith('back-off'))
      .map(m => m.match(/^back-off (\d+)s/)![1]);
    expect([...new Set(backoffs)].slice(0, 2)).toEqual(['10', '20']);
    const ev = events('payments', 'BackOff').filter(
      e => e.involvedObject.name === p.metadata.name,
    );
    expect(ev).toHaveLength(1);
    await until(
      'BackOff count bumped',
      () =>
        (sim.store.getIn('core/events', 'payments', ev[0].metadata.name!)
          ?.count ?? 0) >= 2,
    );
    const occ = sim.ledger.occurrences({
      namespace: 'payments',
      name: p.metadata.name,
      reason: 'BackOff',
    });
    expect(new Set(occ.map(o => o.eventName)).size).toBe(1);
    expect(occ.map(o => o.count)).toEqual(occ.map((_o, i) => i + 1));
  });

  it('oomkilled: last state OOMKilled with exit code 137', async () => {
    await until('OOMKilled', () =>
      pods('catalog').some(
        p => main(p)?.lastState?.terminated?.reason === 'OOMKilled',
      ),
    );
    const p = pods('catalog')[0];
    expect(main(p).lastState.terminated.exitCode).toBe(137);
  });

  it('imagepull: ErrImagePull ↔ ImagePullBackOff', async () => {
    await until('both reasons seen', () => {
      const reasons = sim.ledger
        .changes({ kind: 'Pod', namespace: 'checkout' })
        .map(c => main(c.object)?.state?.waiting?.reason);
      return (
        reasons.includes('ErrImagePull') &&
        reasons.lastIndexOf('ImagePullBackOff') >
          reasons.indexOf('ErrImagePull') &&
        reasons.filter(r => r === 'ErrImagePull').length >= 2
      );
    });
    expect(events('checkout', 'BackOff')[0].message).toMatch(
      /^Back-off pulling image "/,
    );
  });

  it('config-error: CreateContainerConfigError with a repeated Failed event', async () => {
    await until(
      'config error',
      () =>
        main(pods('search')[0])?.state?.waiting?.reason ===
        'CreateContainerConfigError',
    );
    await until('count bumped', () =>
      events('search', 'Failed').some(e => e.count >= 2),
    );
    expect(main(pods('search')[0]).state.waiting.message).toBe(
      'configmap "search-api-config" not found',
    );
  });

  it('unschedulable: Pending + FailedScheduling aggregated as a series', async () => {
    await until('series', () =>
      events('ml', 'FailedScheduling').some(e => e.series?.count >= 2),
    );
    for (const p of pods('ml')) {
      expect(p.status.phase).toBe('Pending');
      expect(p.status.conditions[0]).toMatchObject({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
      });
    }
  });

  it('init-failure: Init:CrashLoopBackOff', async () => {
    await until(
      'init crashloop',
      () => podStatusColumn(pods('orders')[0]) === 'Init:CrashLoopBackOff',
    );
    expect(pods('orders')[0].status.phase).toBe('Pending');
  });

  it('readiness-failure: Running, not Ready, Unhealthy events, endpoints not ready', async () => {
    await until('unhealthy x2', () =>
      events('inventory', 'Unhealthy').some(e => e.count >= 2),
    );
    for (const p of pods('inventory')) {
      expect(p.status.phase).toBe('Running');
      expect(
        p.status.conditions.find((c: any) => c.type === 'Ready').status,
      ).toBe('False');
    }
    const slice = sim.store.listIn(
      'discovery.k8s.io/endpointslices',
      'inventory',
    )[0];
    expect(slice.endpoints.length).toBe(2);
    expect(
      slice.endpoints.every((e: any) => e.conditions.ready === false),
    ).toBe(true);
  });

  it('liveness-kill: Unhealthy x3, Killing, restart with exit 137', async () => {
    await until(
      'restarted',
      () => main(pods('notifications')[0])?.restartCount >= 1,
    );
    expect(events('notifications', 'Killing')[0].message).toBe(
      'Container app failed liveness probe, will be restarted',
    );
    expect(main(pods('notifications')[0]).lastState.terminated.exitCode).toBe(
      137,
    );
  });

  it('eviction: Failed/Evicted pod and a replacement', async () => {
    await until('evicted + replaced', () => {
      const ps = pods('reports');
      return (
        ps.some(p => p.status?.reason === 'Evicted') &&
        ps.filter(p => p.status?.phase === 'Running').length === 2
      );
    });
    const evicted = pods('reports').find(p => p.status?.reason === 'Evicted')!;
    expect(evicted.status.phase).toBe('Failed');
    expect(events('reports', 'Evicted')[0].involvedObject.name).toBe(
      evicted.metadata.name,
    );
  });

  it('rollout: new ReplicaSet scales up, old pods go Terminating and disappear', async () => {
    await until(
      'rolled out',
      () => {
        const rss = sim.store.listIn('apps/replicasets', 'web');
        return (
          rss.length === 2 &&
          rss.some(r => r.spec.replicas === 0) &&
          pods('web').length === 3 &&
          pods('web').every(
            p => !p.metadata.deletionTimestamp && main(p)?.ready,
          )
        );
      },
      25000,
    );
    const terminating = sim.ledger
      .changes({ kind: 'Pod', namespace: 'web' })
      .filter(
        c => c.object.metadata.deletionTimestamp && c.type === 'MODIFIED',
      );
    expect(terminating.length).toBeGreaterThanOrEqual(3);
    expect(events('web', 'ScalingReplicaSet').map(e => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Scaled up replica set web-\w+ from 0 to 3$/),
        expect.stringMatching(/^Scaled down replica set web-\w+ from 1 to 0$/),
      ]),
    );
  });

  it('job-success and job-failure', async () => {
    await until('job complete', () =>
      (
        sim.store.getIn('batch/jobs', 'batch', 'nightly-export')?.status
          ?.conditions ?? []
      ).some((c: any) => c.type === 'Complete'),
    );
    expect(pods('batch')[0].status.phase).toBe('Succeeded');
    expect(podStatusColumn(pods('batch')[0])).toBe('Completed');
    await until(
      'job failed',
      () =>
        (
          sim.store.getIn('batch/jobs', 'batch-fail', 'invoice-sync')?.status
            ?.conditions ?? []
        ).some((c: any) => c.type === 'Failed'),
      25000,
    );
    expect(
      pods('batch-fail').filter(p => p.status.phase === 'Failed'),
    ).toHaveLength(3);
    expect(events('batch-fail', 'BackoffLimitExceeded')).toHaveLength(1);
  });

  it('node-lost: node Unknown, pods not ready then Terminating, replacements elsewhere', async () => {
    await until(
      'replaced',
      () =>
        pods('edge').filter(p => p.metadata.deletionTimestamp).length === 2 &&
        pods('edge').filter(p => main(p)?.ready).length === 2,
      25000,
    );
    const node = sim.store.getIn('core/nodes', undefined, 'edge-node-1')!;
    expect(
      node.status.conditions.find((c: any) => c.type === 'Ready').status,
    ).toBe('Unknown');
    expect(
      pods('edge')
        .filter(p => main(p)?.ready)
        .every(p => p.spec.nodeName !== 'edge-node-1'),
    ).toBe(true);
    expect(
      pods('edge')
        .filter(p => p.metadata.deletionTimestamp)
        .map(podStatusColumn),
    ).toEqual(['Terminating', 'Terminating']);
  });

  it('the ledger holds exactly the changes the store made, in resourceVersion order', () => {
    const all = sim.ledger.changes();
    const rvs = all.map(c => c.rv);
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(new Set(rvs).size).toBe(rvs.length);
    expect(rvs[rvs.length - 1]).toBe(sim.store.resourceVersion);
    expect(
      sim.ledger
        .logs({ namespace: 'payments' })
        .some(l => l.line.startsWith('Caused by:')),
    ).toBe(true);
  });

  it('timestamps: wall keeps timers accelerated but stamps with the wall clock', async () => {
    const wall = await startKubeSim({
      port: 0,
      timeScale: 100,
      timestamps: 'wall',
      scenario: 'crashloop',
    });
    try {
      const end = Date.now() + 15000;
      while (
        !wall.store
          .listIn('core/pods', 'payments')
          .some(p => p.status?.containerStatuses?.[0]?.restartCount >= 1) &&
        Date.now() < end
      ) {
        await new Promise(r => setTimeout(r, 50));
      }
      const latest = Math.max(
        ...wall.store
          .listIn('core/events', 'payments')
          .map(e => Date.parse(e.lastTimestamp ?? e.eventTime)),
      );
      // 30+ simulated seconds have passed, but no timestamp is ahead of the wall clock
      expect(latest).toBeLessThanOrEqual(Date.now() + 1000);
    } finally {
      await wall.close();
    }
  });
});
