import { describePod } from './describePod';
import { readinessAllowanceSeconds, PROBE_DEFAULTS } from './probes';
import {
  NOW,
  ago,
  lastTerminated,
  makePod,
  running,
  terminated,
  waiting,
} from '../__testUtils__/pods';
import type { DescribePodOptions } from '../types';

const d = (pod: ReturnType<typeof makePod>, options: DescribePodOptions = {}) =>
  describePod(pod, { now: NOW, ...options });

describe('health: healthy and completed', () => {
  it('a running, ready pod is healthy with nothing to look at', () => {
    const s = d(makePod());
    expect(s).toMatchObject({
      health: 'healthy',
      attention: 0,
      status: 'Running',
      ready: '1/1',
    });
    expect(s.topIssue).toBeUndefined();
  });

  it('a succeeded pod is completed', () => {
    const s = d(
      makePod({
        phase: 'Succeeded',
        containers: [terminated('job', 0, 'Completed')],
      }),
    );
    expect(s).toMatchObject({
      health: 'completed',
      attention: 0,
      status: 'Completed',
    });
  });
});

describe('restart rate, not lifetime count', () => {
  it('5 restarts three days ago and stable since is healthy', () => {
    const pod = makePod({
      startedAgo: 10 * 86400,
      containers: [
        running('app', {
          restartCount: 5,
          since: 3 * 86400,
          lastState: lastTerminated(3 * 86400),
        }),
      ],
    });
    const s = d(pod);
    expect(s.health).toBe('healthy');
    expect(s.restarts).toBe(5);
    expect(s.attention).toBeLessThan(5);
  });

  it('3 restarts in the last 10 minutes is failing', () => {
    const pod = makePod({
      startedAgo: 540,
      containers: [
        running('app', {
          restartCount: 3,
          since: 30,
          lastState: lastTerminated(40),
        }),
      ],
    });
    const s = d(pod);
    expect(s.health).toBe('failing');
    expect(s.topIssue).toMatchObject({
      reason: 'FrequentRestarts',
      container: 'app',
      severity: 'error',
    });
    expect(s.topIssue?.message).toContain('3 times in the last 10m');
  });

  it('counts observed restarts exactly when the backend passes them', () => {
    const pod = makePod({
      startedAgo: 30 * 86400,
      containers: [
        running('app', {
          restartCount: 40,
          since: 30,
          lastState: lastTerminated(40),
        }),
      ],
    });
    // estimated from 40 restarts over 30 days: about one in the window → warning only
    expect(d(pod).health).toBe('degraded');
    const observedRestarts = [ago(500), ago(300), ago(40)].map(at => ({
      container: 'app',
      at,
    }));
    expect(d(pod, { observedRestarts }).health).toBe('failing');
  });

  it('a restart within recentRestartSeconds is a warning', () => {
    const pod = makePod({
      containers: [
        running('app', { restartCount: 1, lastState: lastTerminated(1800) }),
      ],
    });
    const s = d(pod);
    expect(s.health).toBe('degraded');
    expect(s.topIssue).toMatchObject({
      reason: 'Restarted',
      severity: 'warning',
    });
    expect(d(pod, { thresholds: { recentRestartSeconds: 600 } }).health).toBe(
      'healthy',
    );
  });

  it('an OOMKilled last state is named, as a warning when rare and an error when frequent', () => {
    const rare = makePod({
      containers: [
        running('app', {
          restartCount: 1,
          lastState: lastTerminated(3600, 'OOMKilled', 137),
        }),
      ],
    });
    expect(d(rare).topIssue).toMatchObject({
      reason: 'OOMKilled',
      severity: 'warning',
      container: 'app',
    });
    const loop = makePod({
      startedAgo: 600,
      containers: [
        running('app', {
          restartCount: 4,
          since: 20,
          lastState: lastTerminated(25, 'OOMKilled', 137),
        }),
      ],
    });
    expect(d(loop)).toMatchObject({
      health: 'failing',
      topIssue: { reason: 'OOMKilled', severity: 'error' },
    });
  });
});

describe('starting up', () => {
  it('ContainerCreating is initializing until the configurable timeout', () => {
    const pod = makePod({
      phase: 'Pending',
      startedAgo: 120,
      containers: [waiting('app', 'ContainerCreating')],
    });
    expect(d(pod)).toMatchObject({
      health: 'initializing',
      status: 'ContainerCreating',
    });
    expect(d(pod, { thresholds: { startupTimeoutSeconds: 60 } })).toMatchObject(
      {
        health: 'failing',
        topIssue: {
          reason: 'ContainerCreating',
          severity: 'error',
          container: 'app',
        },
      },
    );
    const old = makePod({
      phase: 'Pending',
      startedAgo: 3600,
      containers: [waiting('app', 'ContainerCreating')],
    });
    expect(d(old).health).toBe('failing');
  });

  it('PodInitializing behind running init containers is initializing', () => {
    const pod = makePod({
      phase: 'Pending',
      startedAgo: 60,
      initContainers: [running('migrate', { ready: false })],
      containers: [waiting('app', 'PodInitializing')],
      conditions: [{ type: 'Initialized', status: 'False' }],
    });
    expect(d(pod)).toMatchObject({
      health: 'initializing',
      status: 'Init:0/1',
    });
  });

  it('a Pending pod with no container yet is initializing, then stuck', () => {
    expect(
      d(makePod({ phase: 'Pending', startedAgo: 30, containers: [] })).health,
    ).toBe('initializing');
    expect(
      d(makePod({ phase: 'Pending', startedAgo: 3600, containers: [] }))
        .topIssue?.reason,
    ).toBe('StuckPending');
  });
});

describe('probe-aware "not ready for too long"', () => {
  it('uses Kubernetes probe defaults', () => {
    expect(PROBE_DEFAULTS).toMatchObject({
      initialDelaySeconds: 0,
      periodSeconds: 10,
      failureThreshold: 3,
      successThreshold: 1,
      timeoutSeconds: 1,
    });
    expect(readinessAllowanceSeconds({ name: 'a', readinessProbe: {} })).toBe(
      30,
    );
    expect(readinessAllowanceSeconds({ name: 'a' })).toBe(0);
    expect(
      readinessAllowanceSeconds({
        name: 'a',
        startupProbe: { periodSeconds: 10, failureThreshold: 30 },
        readinessProbe: {
          initialDelaySeconds: 5,
          periodSeconds: 5,
          failureThreshold: 6,
        },
      }),
    ).toBe(300 + 5 + 30);
  });

  const notReady = (sinceSeconds: number, readinessProbe?: object) => {
    const pod = makePod({
      containers: [running('app', { ready: false, since: sinceSeconds })],
      ready: false,
    });
    pod.status!.conditions![1].lastTransitionTime = ago(
      sinceSeconds,
    ) as unknown as Date;
    if (readinessProbe) pod.spec!.containers[0].readinessProbe = readinessProbe;
    return pod;
  };

  it('within the probe budget the pod is still initializing', () => {
    expect(d(notReady(40, {})).health).toBe('initializing');
    expect(d(notReady(240, { initialDelaySeconds: 300 })).health).toBe(
      'initializing',
    );
  });

  it('beyond the probe budget (plus grace) it is failing', () => {
    const s = d(notReady(300, {}));
    expect(s.health).toBe('failing');
    expect(s.topIssue).toMatchObject({
      reason: 'NotReady',
      container: 'app',
      severity: 'error',
    });
    expect(s.topIssue?.message).toContain('probes allow 90s');
  });

  it('readiness gates not met for long are failing and named', () => {
    const pod = makePod({ ready: false });
    pod.spec!.readinessGates = [
      { conditionType: 'target-health.elbv2.k8s.aws/web' },
    ];
    pod.status!.conditions![1].lastTransitionTime = ago(
      3600,
    ) as unknown as Date;
    const s = d(pod);
    expect(s.health).toBe('failing');
    expect(s.topIssue?.message).toContain('target-health.elbv2.k8s.aws/web');
  });
});

describe('errors', () => {
  it.each([
    ['ImagePullBackOff'],
    ['ErrImagePull'],
    ['InvalidImageName'],
    ['CreateContainerConfigError'],
    ['CreateContainerError'],
    ['RunContainerError'],
  ])('%s is failing and names the container', reason => {
    const s = d(
      makePod({
        phase: 'Pending',
        startedAgo: 30,
        containers: [running('sidecar'), waiting('api', reason)],
      }),
    );
    expect(s.health).toBe('failing');
    expect(s.topIssue).toMatchObject({
      reason,
      container: 'api',
      severity: 'error',
      message: `${reason} message`,
    });
  });

  it('CrashLoopBackOff explains the last exit', () => {
    const pod = makePod({
      containers: [
        waiting('api', 'CrashLoopBackOff', {
          restartCount: 7,
          lastState: lastTerminated(20, 'Error', 2),
        }),
      ],
    });
    const s = d(pod);
    expect(s.topIssue).toMatchObject({
      reason: 'CrashLoopBackOff',
      container: 'api',
    });
    expect(s.topIssue?.message).toBe(
      'restarted 7 times; last exit: Error, exit 2',
    );
  });

  it('init container failures are prefixed with Init:', () => {
    const crash = makePod({
      phase: 'Pending',
      initContainers: [
        waiting('migrate', 'CrashLoopBackOff', { restartCount: 3 }),
      ],
      containers: [waiting('app', 'PodInitializing')],
      conditions: [{ type: 'Initialized', status: 'False' }],
    });
    expect(d(crash)).toMatchObject({
      health: 'failing',
      status: 'Init:CrashLoopBackOff',
      topIssue: { reason: 'Init:CrashLoopBackOff', container: 'migrate' },
    });
    const failed = makePod({
      phase: 'Pending',
      initContainers: [terminated('migrate', 1, 'Error')],
      containers: [waiting('app', 'PodInitializing')],
      conditions: [{ type: 'Initialized', status: 'False' }],
    });
    expect(d(failed).topIssue).toMatchObject({
      reason: 'Init:Error',
      container: 'migrate',
      severity: 'error',
    });
  });

  it('Pending and unschedulable: a warning first (autoscalers need time), then an error', () => {
    const pod = (secondsAgo: number) =>
      makePod({
        phase: 'Pending',
        containers: [],
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
            lastTransitionTime: ago(secondsAgo) as unknown as Date,
          },
        ],
      });
    expect(d(pod(30))).toMatchObject({
      health: 'degraded',
      topIssue: { reason: 'Unschedulable', severity: 'warning' },
    });
    expect(d(pod(600))).toMatchObject({
      health: 'failing',
      topIssue: {
        reason: 'Unschedulable',
        severity: 'error',
        message: '0/3 nodes are available: 3 Insufficient cpu.',
      },
    });
  });

  it('a failed Job pod is failing with the container exit', () => {
    const s = d(
      makePod({
        phase: 'Failed',
        restartPolicy: 'Never',
        containers: [terminated('job', 1, 'Error')],
      }),
    );
    expect(s).toMatchObject({
      health: 'failing',
      status: 'Error',
      topIssue: { reason: 'Error', container: 'job' },
    });
  });

  it('errors come first, then warnings', () => {
    const pod = makePod({
      containers: [
        running('proxy', { restartCount: 1, lastState: lastTerminated(600) }),
        waiting('api', 'CrashLoopBackOff', { restartCount: 9 }),
      ],
    });
    const s = d(pod);
    expect(s.issues.map(i => i.severity)).toEqual(['error', 'warning']);
    expect(s.topIssue?.reason).toBe('CrashLoopBackOff');
  });
});

describe('eviction, node loss and termination', () => {
  it('an evicted pod is degraded with the kubelet message', () => {
    const s = d(
      makePod({
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        containers: [],
      }),
    );
    expect(s).toMatchObject({
      status: 'Evicted',
      health: 'degraded',
      topIssue: {
        reason: 'Evicted',
        severity: 'warning',
        message: 'The node was low on resource: memory.',
      },
    });
  });

  it('NodeLost is unknown with an error issue', () => {
    const s = d(makePod({ reason: 'NodeLost', deletedAgo: 30 }));
    expect(s).toMatchObject({
      status: 'Unknown',
      health: 'unknown',
      topIssue: { reason: 'NodeLost', severity: 'error' },
    });
    expect(s.attention).toBeGreaterThan(50);
  });

  it('terminating, then stuck terminating past the deadline', () => {
    expect(d(makePod({ deletedAgo: 20 }))).toMatchObject({
      health: 'terminating',
      status: 'Terminating',
    });
    const stuck = makePod({ deletedAgo: 3600 });
    stuck.metadata!.finalizers = ['example.com/cleanup'];
    expect(d(stuck)).toMatchObject({
      health: 'degraded',
      topIssue: {
        reason: 'StuckTerminating',
        severity: 'warning',
        message: 'deletion was due 60m ago; finalizers: example.com/cleanup',
      },
    });
  });
});

describe('attention', () => {
  it('orders failing > degraded > initializing > healthy', () => {
    const failing = d(
      makePod({ containers: [waiting('a', 'CrashLoopBackOff')] }),
    ).attention;
    const degraded = d(
      makePod({
        containers: [
          running('a', { restartCount: 1, lastState: lastTerminated(600) }),
        ],
      }),
    ).attention;
    const initializing = d(
      makePod({
        phase: 'Pending',
        startedAgo: 10,
        containers: [waiting('a', 'ContainerCreating')],
      }),
    ).attention;
    const healthy = d(makePod()).attention;
    expect(failing).toBeGreaterThan(degraded);
    expect(degraded).toBeGreaterThan(initializing);
    expect(initializing).toBeGreaterThan(healthy);
    for (const a of [failing, degraded, initializing, healthy]) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(100);
    }
  });
});

describe('readiness lost by an established pod', () => {
  it('is a warning within the probe budget, not "initializing"', () => {
    const pod = makePod({
      startedAgo: 86400,
      containers: [running('app', { ready: false, since: 86400 })],
      ready: false,
    });
    pod.status!.conditions![1].lastTransitionTime = ago(20) as unknown as Date;
    pod.spec!.containers[0].readinessProbe = {};
    expect(d(pod)).toMatchObject({
      health: 'degraded',
      topIssue: { reason: 'NotReady', severity: 'warning', container: 'app' },
    });
  });

  it('pod-level: Ready turned False recently on a long-running pod is a warning', () => {
    const pod = makePod({ startedAgo: 86400, ready: false });
    pod.status!.conditions![1].lastTransitionTime = ago(60) as unknown as Date;
    expect(d(pod)).toMatchObject({
      health: 'degraded',
      topIssue: { reason: 'NotReady', severity: 'warning' },
    });
  });
});

describe('old failures', () => {
  it('an old failed Job attempt stays failing but ranks below a live crash loop', () => {
    const old = makePod({
      phase: 'Failed',
      restartPolicy: 'Never',
      containers: [terminated('job', 1, 'Error')],
    });
    old.status!.containerStatuses![0].state!.terminated!.finishedAt = ago(
      3 * 86400,
    ) as unknown as Date;
    const live = makePod({
      containers: [waiting('api', 'CrashLoopBackOff', { restartCount: 2 })],
    });
    const oldSummary = d(old);
    expect(oldSummary.health).toBe('failing');
    expect(oldSummary.attention).toBe(60);
    expect(d(live).attention).toBeGreaterThan(oldSummary.attention);
  });
});

describe('more starting-up states', () => {
  it('PodInitializing becomes an error after the startup timeout', () => {
    const pod = (startedAgo: number) =>
      makePod({
        phase: 'Pending',
        startedAgo,
        containers: [waiting('app', 'PodInitializing')],
      });
    expect(d(pod(60)).health).toBe('initializing');
    expect(d(pod(1200))).toMatchObject({
      health: 'failing',
      topIssue: {
        reason: 'PodInitializing',
        severity: 'error',
        container: 'app',
      },
    });
  });

  it('a scheduling-gated pod is initializing with an info issue', () => {
    const pod = makePod({
      phase: 'Pending',
      containers: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'SchedulingGated',
          message: 'waiting for quota',
        },
      ],
    });
    expect(d(pod)).toMatchObject({
      status: 'SchedulingGated',
      health: 'initializing',
      topIssue: { reason: 'SchedulingGated', severity: 'info' },
    });
  });
});
