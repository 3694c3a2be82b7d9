import { IncidentQueue } from './IncidentQueue';

const tick = () => new Promise(r => setTimeout(r, 0));

describe('IncidentQueue', () => {
  it('coalesces keyed items still waiting (the latest wins, at the end) and keeps the rest in order', async () => {
    const batches: string[][] = [];
    const queue = new IncidentQueue<string>({
      process: async items => {
        batches.push(items);
      },
    });
    await queue.push([
      { key: 'e1', item: 'e1@1' },
      { item: 'pod-a' },
      { key: 'e2', item: 'e2@1' },
      { key: 'e1', item: 'e1@2' },
      { item: 'pod-a' },
    ]);
    await queue.idle();
    expect(batches).toEqual([['pod-a', 'e2@1', 'e1@2', 'pod-a']]);
  });

  it('pushes back while more than maxPending wait, and idle() waits for the worker', async () => {
    let release!: () => void;
    let gate = new Promise<void>(r => (release = r));
    const processed: number[] = [];
    const queue = new IncidentQueue<number>({
      maxPending: 4,
      batchSize: 2,
      process: async items => {
        await gate;
        processed.push(...items);
      },
    });
    await queue.push([{ item: 0 }, { item: 1 }]);
    await tick(); // the worker holds 0 and 1
    let pushedBack = true;
    const push = queue
      .push([1, 2, 3, 4, 5, 6].map(i => ({ item: i + 1 })))
      .then(() => {
        pushedBack = false;
      });
    await tick();
    expect(pushedBack).toBe(true);
    expect(queue.size).toBe(6);
    let idle = false;
    const waiting = queue.idle().then(() => {
      idle = true;
    });
    release();
    gate = Promise.resolve();
    await push;
    // room again once at most half of maxPending wait
    expect(queue.size).toBeLessThanOrEqual(2);
    await waiting;
    expect(idle).toBe(true);
    expect(processed).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps going after a failed batch', async () => {
    const processed: number[] = [];
    const queue = new IncidentQueue<number>({
      batchSize: 1,
      process: async ([n]) => {
        if (n === 1) throw new Error('boom');
        processed.push(n);
      },
    });
    await queue.push([{ item: 1 }, { item: 2 }]);
    await queue.idle();
    expect(processed).toEqual([2]);
  });
});
