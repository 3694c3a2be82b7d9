import { describePod } from '../pods/describePod';
import {
  NOW,
  ago,
  lastTerminated,
  makePod,
  running,
  terminated,
  waiting,
} from '../__testUtils__/pods';
import {
  attributeToLiveness,
  incidentSignalFromEvent,
  incidentSignalsFromPod,
} from './classify';
import { eventRule } from './rules';
import { incidentFingerprint, podSubject } from './fingerprint';
import { rootCauseHint } from './hints';
import type { V1Pod } from '@kubernetes/client-node';

const signals = (pod: V1Pod) =>
  incidentSignalsFromPod(pod, describePod(pod, { now: NOW }), { now: NOW });

const kinds = (pod: V1Pod) =>
  signals(pod).map(s => `${s.type}:${s.container ?? '-'}:${s.active}`);

describe('incidentSignalsFromPod', () => {
  it('raises nothing for healthy, starting and completed pods', () => {
    expect(signals(makePod())).toEqual([]);
    expect(
      signals(makePod({ containers: [waiting('app', 'ContainerCreating')] })),
    ).toEqual([]);
    expect(
      signals(
        makePod({
          phase: 'Succeeded',
          restartPolicy: 'Never',
          containers: [terminated('app', 0, 'Completed')],
        }),
      ),
    ).toEqual([]);
    // a not-ready container alone is not an incident (k8sgpt agrees): the probe Events are
    const notReady = signals(
      makePod({ containers: [running('app', { ready: false })] }),
    );
    expect(notReady.map(s => [s.type, s.sustainOnly])).toEqual([
      ['readiness-probe', true],
    ]);
  });

  it('counts a crash loop as restarts plus the current failure', () => {
    const pod = makePod({
      containers: [
        waiting('app', 'CrashLoopBackOff', {
          restartCount: 4,
          lastState: lastTerminated(30, 'Error', 1),
        }),
      ],
    });
    const [s] = signals(pod);
    expect(s).toMatchObject({
      type: 'crash-loop',
      severity: 'critical',
      container: 'app',
      counterKind: 'restarts',
      counterKey: 'restarts:uid-1/app',
      count: 5,
      active: true,
      at: NOW.toISOString(),
      details: { exitCode: 1, terminationReason: 'Error', restarts: 4 },
    });
  });

  it('turns a crash loop after an OOM kill into oom-killed, with the memory limit', () => {
    const pod = makePod({
      containers: [
        waiting('app', 'CrashLoopBackOff', {
          restartCount: 2,
          lastState: lastTerminated(30, 'OOMKilled', 137),
        }),
      ],
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            resources: { limits: { memory: '256Mi' } },
          },
        ],
      },
    });
    const [s] = signals(pod);
    expect(s).toMatchObject({
      type: 'oom-killed',
      severity: 'critical',
      details: { memoryLimit: '256Mi', exitCode: 137 },
    });
    expect(rootCauseHint(s, { restartCadenceSeconds: 45 })).toMatch(
      /OOMKilled.*restarted 2×, restarting about every 45s\. Memory limit 256Mi/,
    );
  });

  it('records a past failed restart as an inactive signal dated by the termination', () => {
    const pod = makePod({
      containers: [
        running('app', { restartCount: 1, lastState: lastTerminated(90) }),
      ],
    });
    expect(signals(pod)[0]).toMatchObject({
      type: 'crash-loop',
      active: false,
      count: 1,
      at: ago(90),
    });
  });

  it('classifies image, config, init and run-to-completion failures', () => {
    expect(
      kinds(makePod({ containers: [waiting('app', 'ImagePullBackOff')] })),
    ).toEqual(['image-pull:app:true']);
    expect(
      kinds(
        makePod({ containers: [waiting('app', 'CreateContainerConfigError')] }),
      ),
    ).toEqual(['config-error:app:true']);
    expect(
      kinds(
        makePod({
          phase: 'Pending',
          initContainers: [
            waiting('migrate', 'CrashLoopBackOff', {
              restartCount: 3,
              lastState: lastTerminated(20),
            }),
          ],
          containers: [waiting('app', 'PodInitializing')],
        }),
      ),
    ).toEqual(['init-failure:migrate:true']);
    const failed = makePod({
      phase: 'Failed',
      restartPolicy: 'Never',
      containers: [terminated('app', 1, 'Error')],
    });
    expect(kinds(failed)).toEqual(['container-failed:app:false']);
    failed.metadata!.ownerReferences = [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'sync',
        uid: 'j',
        controller: true,
      },
    ];
    expect(kinds(failed)).toEqual(['job-failed:app:false']);
  });

  it('raises pod-level signals for unschedulable, gated and evicted pods', () => {
    const pending = makePod({
      phase: 'Pending',
      containers: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient memory.',
        },
      ],
    });
    const [u] = signals(pending);
    expect(u).toMatchObject({
      type: 'unschedulable',
      severity: 'medium',
      active: true,
    });
    expect(u.container).toBeUndefined();
    expect(rootCauseHint(u)).toMatch(
      /Insufficient memory.*not enough free capacity/,
    );
    pending.status!.conditions![0].reason = 'SchedulingGated';
    expect(signals(pending)[0]).toMatchObject({ severity: 'low' });

    const evicted = makePod({
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.',
      containers: [terminated('app', 137, 'ContainerStatusUnknown')],
    });
    expect(kinds(evicted)).toEqual(['evicted:-:false']);
  });
});

describe('incidentSignalFromEvent', () => {
  const event = (reason: string, message: string, extra: object = {}) => ({
    uid: 'e1',
    type: 'Warning',
    reason,
    message,
    count: 3,
    firstAt: ago(300),
    lastAt: ago(10),
    regarding: {
      kind: 'Pod',
      name: 'web-1',
      uid: 'uid-1',
      fieldPath: 'spec.containers{app}',
    },
    ...extra,
  });

  it('maps ambiguous kubelet reasons by their message', () => {
    const type = (reason: string, message: string) =>
      incidentSignalFromEvent(event(reason, message))?.type;
    expect(
      type('BackOff', 'Back-off restarting failed container app in pod x'),
    ).toBe('crash-loop');
    expect(type('BackOff', 'Back-off pulling image "x:1"')).toBe('image-pull');
    expect(type('Failed', 'Failed to pull image "x:1": not found')).toBe(
      'image-pull',
    );
    expect(type('Failed', 'Error: ErrImagePull')).toBe('image-pull');
    expect(type('Failed', 'Error: configmap "x" not found')).toBe(
      'config-error',
    );
    expect(type('Unhealthy', 'Liveness probe failed: timeout')).toBe(
      'liveness-probe',
    );
    expect(type('Unhealthy', 'Startup probe failed: timeout')).toBe(
      'liveness-probe',
    );
    expect(type('Unhealthy', 'Readiness probe failed: 503')).toBe(
      'readiness-probe',
    );
    expect(type('SomethingOdd', 'x')).toBe('warning');
  });

  it('counts an Event by its absolute count and ignores Normal and Node Events', () => {
    expect(
      incidentSignalFromEvent(event('FailedScheduling', 'x')),
    ).toMatchObject({
      type: 'unschedulable',
      counterKey: 'event:e1',
      counterKind: 'event',
      count: 3,
      podUid: 'uid-1',
      active: false,
      at: ago(10),
      firstAt: ago(300),
    });
    expect(
      incidentSignalFromEvent(event('Started', 'x', { type: 'Normal' })),
    ).toBeUndefined();
    expect(
      incidentSignalFromEvent(
        event('NodeNotReady', 'x', { regarding: { kind: 'Node', name: 'n1' } }),
      ),
    ).toBeUndefined();
  });

  it('uses what the store knows about the container', () => {
    const backOff = event(
      'BackOff',
      'Back-off restarting failed container app',
      {
        regarding: { kind: 'Pod', name: 'web-1', uid: 'uid-1' },
      },
    );
    expect(
      incidentSignalFromEvent(backOff, {
        containers: ['app'],
        lastTerminationReason: 'OOMKilled',
      }),
    ).toMatchObject({ type: 'oom-killed', container: 'app' });
    expect(
      incidentSignalFromEvent({
        ...backOff,
        regarding: {
          ...backOff.regarding,
          fieldPath: 'spec.initContainers{migrate}',
        },
      }),
    ).toMatchObject({ type: 'init-failure', container: 'migrate' });
  });

  it('names the image and the failing line in hints', () => {
    const pull = incidentSignalFromEvent(
      event('Failed', 'Failed to pull image "shop/cart:9.9": not found'),
    )!;
    expect(rootCauseHint(pull)).toMatch(
      /^Image "shop\/cart:9\.9" cannot be pulled: .*does not exist/,
    );
    const crash = incidentSignalFromEvent(
      event('BackOff', 'Back-off restarting failed container app'),
    )!;
    expect(
      rootCauseHint(
        { ...crash, details: { ...crash.details, exitCode: 1 } },
        {
          errorLines: [
            'ERROR payment failed: java.lang.IllegalStateException: no db',
            '\tat com.shop.Pay.run(Pay.java:42)',
            '\t... 2 more',
          ],
        },
      ),
    ).toMatch(
      /exit code 1 \(application error\)\. Last error: ERROR payment failed/,
    );
  });

  it('keeps severities in the rule table', () => {
    expect(eventRule('OOMKilled', '', false).severity).toBe('high');
    expect(eventRule('FailedMount', '', false)).toEqual({
      type: 'volume-mount',
      severity: 'medium',
    });
    expect(eventRule('BackoffLimitExceeded', '', false).type).toBe(
      'job-failed',
    );
  });
});

describe('attributeToLiveness', () => {
  it('turns a crash right after a liveness kill into the probe incident', () => {
    const pod = makePod({
      containers: [
        waiting('app', 'CrashLoopBackOff', {
          restartCount: 1,
          lastState: lastTerminated(30, 'Error', 137),
        }),
      ],
    });
    const [crash] = signals(pod);
    expect(attributeToLiveness(crash, [ago(31)])).toMatchObject({
      type: 'liveness-probe',
      severity: 'high',
      counterKey: crash.counterKey,
    });
    // a kill long before this termination explains an earlier restart, not this one
    expect(attributeToLiveness(crash, ago(3600)).type).toBe('crash-loop');
    expect(attributeToLiveness(crash, undefined)).toBe(crash);
  });
});

describe('grouping', () => {
  it('groups ReplicaSet pods under their Deployment and keys by container and type', () => {
    const pod = makePod();
    pod.metadata!.labels = { 'pod-template-hash': '7d9c' };
    pod.metadata!.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-7d9c',
        uid: 'rs',
        controller: true,
      },
    ];
    const subject = podSubject('prod', pod);
    expect(subject).toEqual({
      cluster: 'prod',
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
    });
    expect(incidentFingerprint(subject, 'crash-loop', 'app')).toBe(
      'crash-loop|prod|shop|Deployment/web|app',
    );
    // pod-level types ignore the container
    expect(incidentFingerprint(subject, 'unschedulable', 'app')).toBe(
      'unschedulable|prod|shop|Deployment/web|',
    );
    expect(podSubject('prod', makePod()).kind).toBe('Pod');
    const long = incidentFingerprint(
      { ...subject, name: 'x'.repeat(200) },
      'crash-loop',
      'app',
    );
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).not.toBe(
      incidentFingerprint(
        { ...subject, name: `${'x'.repeat(199)}y` },
        'crash-loop',
        'app',
      ),
    );
  });
});
