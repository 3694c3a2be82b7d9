import { describePod } from './describePod';
import { kubectlPodColumns } from './status';
import {
  NOW,
  ago,
  lastTerminated,
  makePod,
  running,
  terminated,
  waiting,
} from '../__testUtils__/pods';

const status = (pod: ReturnType<typeof makePod>) =>
  kubectlPodColumns(pod).status;

describe('kubectl STATUS (printPod)', () => {
  it('uses the phase, or status.reason when set', () => {
    expect(status(makePod({ phase: 'Pending', containers: [] }))).toBe(
      'Pending',
    );
    expect(
      status(makePod({ phase: 'Failed', reason: 'Evicted', containers: [] })),
    ).toBe('Evicted');
  });

  it('shows SchedulingGated from the PodScheduled condition', () => {
    const pod = makePod({
      phase: 'Pending',
      containers: [],
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
      ],
    });
    expect(status(pod)).toBe('SchedulingGated');
  });

  describe('init containers', () => {
    const two = (
      first: ReturnType<typeof running>,
      second?: ReturnType<typeof running>,
    ) =>
      makePod({
        phase: 'Pending',
        initContainers: second ? [first, second] : [first],
        containers: [waiting('app', 'PodInitializing')],
        conditions: [{ type: 'Initialized', status: 'False' }],
      });

    it('Init:<reason> for a failed init container', () => {
      expect(status(two(terminated('init', 1, 'Error')))).toBe('Init:Error');
    });
    it('Init:Signal:N and Init:ExitCode:N without a reason', () => {
      expect(
        status(two(terminated('init', 137, undefined, { signal: 9 }))),
      ).toBe('Init:Signal:9');
      expect(status(two(terminated('init', 3)))).toBe('Init:ExitCode:3');
    });
    it('Init:<waiting reason>, except PodInitializing', () => {
      expect(status(two(waiting('init', 'CrashLoopBackOff')))).toBe(
        'Init:CrashLoopBackOff',
      );
      expect(
        status(
          two(
            waiting('init', 'PodInitializing'),
            waiting('b', 'PodInitializing'),
          ),
        ),
      ).toBe('Init:0/2');
    });
    it('Init:i/N while the i-th runs', () => {
      expect(
        status(
          two(terminated('a', 0, 'Completed'), running('b', { ready: false })),
        ),
      ).toBe('Init:1/2');
    });
    it('counts init restarts only while initializing', () => {
      const pod = two(waiting('init', 'CrashLoopBackOff', { restartCount: 4 }));
      pod.status!.containerStatuses![0].restartCount = 7;
      expect(kubectlPodColumns(pod).restarts).toBe(4);
    });
  });

  describe('restartable init containers (sidecars)', () => {
    it('counts a started sidecar in READY and RESTARTS and moves on to app containers', () => {
      const pod = makePod({
        initContainers: [
          running('proxy', { restartCount: 2, lastState: lastTerminated(600) }),
        ],
        sidecars: ['proxy'],
        containers: [
          running('app', { restartCount: 1, lastState: lastTerminated(3000) }),
        ],
      });
      const s = describePod(pod, { now: NOW });
      expect(s).toMatchObject({ status: 'Running', ready: '2/2', restarts: 3 });
      expect(s.lastRestartAt).toBe(ago(600));
    });

    it('keeps Init:0/1 while the sidecar has not started', () => {
      const pod = makePod({
        phase: 'Pending',
        initContainers: [running('proxy', { started: false, ready: false })],
        sidecars: ['proxy'],
        containers: [waiting('app', 'PodInitializing')],
        conditions: [{ type: 'Initialized', status: 'False' }],
      });
      expect(describePod(pod, { now: NOW })).toMatchObject({
        status: 'Init:0/1',
        ready: '0/2',
      });
    });
  });

  describe('app containers', () => {
    it('walks containers last to first, so the first container with a reason wins', () => {
      const pod = makePod({
        containers: [
          waiting('a', 'CrashLoopBackOff'),
          waiting('b', 'ErrImagePull'),
        ],
      });
      expect(status(pod)).toBe('CrashLoopBackOff');
    });
    it('Signal:N / ExitCode:N for terminations without a reason', () => {
      expect(
        status(
          makePod({
            containers: [terminated('a', 137, undefined, { signal: 9 })],
          }),
        ),
      ).toBe('Signal:9');
      expect(status(makePod({ containers: [terminated('a', 2)] }))).toBe(
        'ExitCode:2',
      );
    });
    it('turns Completed back into Running / NotReady while another container runs', () => {
      const containers = [terminated('job', 0, 'Completed'), running('server')];
      expect(status(makePod({ containers, ready: true }))).toBe('Running');
      expect(status(makePod({ containers, ready: false }))).toBe('NotReady');
    });
    it('READY counts ready running containers', () => {
      const s = describePod(
        makePod({ containers: [running('a'), running('b', { ready: false })] }),
        { now: NOW },
      );
      expect(s.ready).toBe('1/2');
    });
  });

  describe('deletion', () => {
    it('shows Terminating', () => {
      expect(status(makePod({ deletedAgo: 5 }))).toBe('Terminating');
    });
    it('shows Unknown for NodeLost', () => {
      expect(status(makePod({ deletedAgo: 5, reason: 'NodeLost' }))).toBe(
        'Unknown',
      );
    });
    it('keeps a terminal phase instead of Terminating', () => {
      const pod = makePod({
        phase: 'Succeeded',
        deletedAgo: 5,
        containers: [terminated('a', 0, 'Completed')],
      });
      expect(status(pod)).toBe('Completed');
    });
  });

  it('RESTARTS and lastRestartAt come from app containers once initialised', () => {
    const pod = makePod({
      containers: [
        running('a', { restartCount: 2, lastState: lastTerminated(7200) }),
        running('b', { restartCount: 3, lastState: lastTerminated(300) }),
      ],
    });
    const s = describePod(pod, { now: NOW });
    expect(s.restarts).toBe(5);
    expect(s.lastRestartAt).toBe(ago(300));
  });

  it('accepts Date objects as produced by @kubernetes/client-node', () => {
    const pod = makePod({
      containers: [
        running('a', { restartCount: 1, lastState: lastTerminated(300) }),
      ],
    });
    const last = pod.status!.containerStatuses![0].lastState!.terminated!;
    last.finishedAt = new Date(ago(300));
    expect(describePod(pod, { now: NOW }).lastRestartAt).toBe(ago(300));
  });
});
