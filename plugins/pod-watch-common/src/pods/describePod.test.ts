import type { V1Pod } from '@kubernetes/client-node';
import { describePod } from './describePod';
import { NOW, makePod, waiting } from '../__testUtils__/pods';
import { POD_HEALTH_ORDER } from '../types';

describe('describePod robustness', () => {
  const partial: unknown[] = [
    {},
    { metadata: null, spec: null, status: null },
    {
      status: {
        phase: 'Running',
        conditions: null,
        containerStatuses: null,
        initContainerStatuses: null,
      },
    },
    { status: { phase: 'Running', containerStatuses: [{}] } },
    {
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'a', state: null, lastState: null }],
      },
    },
    {
      status: {
        phase: 'Pending',
        containerStatuses: [{ name: 'a', state: { waiting: {} } }],
      },
    },
    {
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'a', state: { terminated: {} } }],
      },
    },
    {
      metadata: { deletionTimestamp: 'not a date' },
      status: { phase: 'Running' },
    },
    {
      spec: { initContainers: [{ name: 'x', restartPolicy: 'Always' }] },
      status: { initContainerStatuses: [{ name: 'x' }] },
    },
    {
      status: {
        phase: 'Running',
        startTime: 'garbage',
        containerStatuses: [
          {
            name: 'a',
            restartCount: 3,
            lastState: { terminated: { finishedAt: 'bad' } },
          },
        ],
      },
    },
  ];

  it.each(partial.map((p, i) => [i, p]))(
    'never throws on partial object #%s',
    (_i, pod) => {
      const s = describePod(pod as V1Pod, { now: NOW });
      expect(POD_HEALTH_ORDER).toContain(s.health);
      expect(s.attention).toBeGreaterThanOrEqual(0);
      expect(s.attention).toBeLessThanOrEqual(100);
      expect(Number.isFinite(s.restarts)).toBe(true);
      expect(s.ready).toMatch(/^\d+\/\d+$/);
    },
  );

  it('is deterministic given now, JSON-serialisable and does not mutate its input', () => {
    const pod = makePod({
      containers: [waiting('a', 'CrashLoopBackOff', { restartCount: 4 })],
    });
    const before = JSON.stringify(pod);
    const a = describePod(pod, { now: NOW });
    const b = describePod(pod, { now: NOW });
    expect(a).toEqual(b);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(JSON.stringify(pod)).toBe(before);
  });

  it('carries identity fields and the top issue as the first issue', () => {
    const s = describePod(
      makePod({ containers: [waiting('a', 'ErrImagePull')] }),
      { now: NOW },
    );
    expect(s).toMatchObject({
      name: 'web-7d9c-abcde',
      namespace: 'shop',
      uid: 'uid-1',
      phase: 'Running',
    });
    expect(s.topIssue).toEqual(s.issues[0]);
    expect(s.containers[0]).toMatchObject({
      name: 'a',
      kind: 'app',
      state: 'waiting',
      reason: 'ErrImagePull',
      ready: false,
    });
  });
});
