import type { EntityPodsResponse } from '@pod-watch/plugin-pod-watch-common';
import { sharePodObjects } from './useEntityPods';

const answer = (pods: Array<{ uid: string; status: string }>, lag: number) =>
  ({
    pods,
    total: pods.length,
    clusters: [{ cluster: 'c', lagMs: lag }],
  } as unknown as EntityPodsResponse);

describe('sharePodObjects', () => {
  it('keeps the previous object of every unchanged pod, and only of those', () => {
    const first = answer(
      [
        { uid: 'a', status: 'Running' },
        { uid: 'b', status: 'Running' },
      ],
      10,
    );
    const next = sharePodObjects(
      first,
      answer(
        [
          { uid: 'a', status: 'Running' },
          { uid: 'b', status: 'CrashLoopBackOff' },
          { uid: 'c', status: 'Pending' },
        ],
        20,
      ),
    );
    expect(next.pods[0]).toBe(first.pods[0]);
    expect(next.pods[1]).not.toBe(first.pods[1]);
    expect(next.pods[1].status).toBe('CrashLoopBackOff');
    expect(next.pods[2].uid).toBe('c');
    // everything else is the new answer
    expect((next.clusters[0] as any).lagMs).toBe(20);
  });

  it('returns the first answer as it is', () => {
    const first = answer([{ uid: 'a', status: 'Running' }], 1);
    expect(sharePodObjects(undefined, first)).toBe(first);
  });
});
