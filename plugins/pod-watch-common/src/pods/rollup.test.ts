import { describePod } from './describePod';
import { rollUpHealth, workloadReplicas } from './rollup';
import { NOW, makePod, waiting } from '../__testUtils__/pods';

const healthy = describePod(makePod(), { now: NOW });
const failing = describePod(
  makePod({ containers: [waiting('a', 'CrashLoopBackOff')] }),
  { now: NOW },
);
const terminating = describePod(makePod({ deletedAgo: 5 }), { now: NOW });

describe('workloadReplicas', () => {
  it('reads Deployments, StatefulSets and DaemonSets', () => {
    expect(
      workloadReplicas({
        kind: 'Deployment',
        spec: { replicas: 3, selector: {}, template: {} },
        status: { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3 },
      }),
    ).toEqual({ desired: 3, ready: 2, available: 2, updated: 3 });
    expect(
      workloadReplicas({
        kind: 'StatefulSet',
        spec: { serviceName: 's', selector: {}, template: {} },
        status: { replicas: 1, readyReplicas: 1 },
      }),
    ).toEqual({
      desired: 1,
      ready: 1,
      available: 1,
    });
    expect(
      workloadReplicas({
        kind: 'DaemonSet',
        status: {
          desiredNumberScheduled: 5,
          numberReady: 4,
          numberAvailable: 4,
          currentNumberScheduled: 5,
          numberMisscheduled: 0,
          updatedNumberScheduled: 5,
        },
      }),
    ).toEqual({ desired: 5, ready: 4, available: 4, updated: 5 });
  });
});

describe('rollUpHealth', () => {
  it('counts per health and picks the worst pod', () => {
    const r = rollUpHealth([healthy, failing, healthy]);
    expect(r.counts).toMatchObject({ healthy: 2, failing: 1 });
    expect(r.total).toBe(3);
    expect(r.worst).toBe(failing);
    expect(r).toMatchObject({
      health: 'failing',
      attention: failing.attention,
    });
  });

  it('ignores pods going away during a rollout', () => {
    expect(rollUpHealth([terminating, healthy]).health).toBe('healthy');
  });

  it('a workload with no ready replica is failing; missing available replicas degrade it', () => {
    const deployment = (ready: number, available: number) => ({
      kind: 'Deployment' as const,
      spec: { replicas: 3, selector: {}, template: {} },
      status: { readyReplicas: ready, availableReplicas: available },
    });
    expect(rollUpHealth([], [deployment(0, 0)]).health).toBe('failing');
    expect(rollUpHealth([healthy, healthy], [deployment(2, 2)])).toMatchObject({
      health: 'degraded',
      replicas: { desired: 3, ready: 2, available: 2 },
    });
    expect(
      rollUpHealth([healthy, healthy, healthy], [deployment(3, 3)]).health,
    ).toBe('healthy');
  });

  it('no pods and nothing desired is healthy; no information is unknown', () => {
    expect(
      rollUpHealth(
        [],
        [
          {
            kind: 'Deployment',
            spec: { replicas: 0, selector: {}, template: {} },
          },
        ],
      ).health,
    ).toBe('healthy');
    expect(rollUpHealth([]).health).toBe('unknown');
  });

  it('a starting workload stays initializing', () => {
    const starting = describePod(
      makePod({
        phase: 'Pending',
        startedAgo: 10,
        containers: [waiting('a', 'ContainerCreating')],
      }),
      { now: NOW },
    );
    expect(
      rollUpHealth(
        [starting],
        [
          {
            kind: 'Deployment',
            spec: { replicas: 1, selector: {}, template: {} },
            status: {},
          },
        ],
      ).health,
    ).toBe('initializing');
  });
});
