import { storeTestDatabases, uniqueCluster } from './__testUtils__/databases';
import { LogLineInput, LogLevel } from './types';

const { each, shared } = storeTestDatabases();

const T0 = Date.parse('2026-11-20T10:00:00Z');
const LEVELS: LogLevel[] = ['info', 'info', 'warning', 'error', 'debug'];

function line(
  cluster: string,
  n: number,
  overrides: Partial<LogLineInput> = {},
): LogLineInput {
  return {
    cluster,
    namespace: 'shop',
    podUid: 'pod-1',
    podName: 'cart-1',
    container: 'app',
    instance: 0,
    source: 'live',
    // two lines per second: ties on time must still page correctly
    at: T0 + Math.floor(n / 2) * 1000,
    level: LEVELS[n % LEVELS.length],
    text: `line ${n}`,
    ...overrides,
  };
}

describe('logs', () => {
  it.each(each)(
    're-captured tails are ignored, repeated lines kept on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      const batch = [
        line(cluster, 0),
        line(cluster, 1),
        line(cluster, 1), // genuinely repeated line at the same time
      ];
      await store.insertLogLines(batch);
      // overlapping tail: the same three lines plus one new
      await store.insertLogLines([...batch, line(cluster, 2)]);
      const page = await store.listLogs({
        cluster,
        podUids: ['pod-1'],
        order: 'asc',
      });
      expect(page.items.map(l => l.text)).toEqual([
        'line 0',
        'line 1',
        'line 1',
        'line 2',
      ]);

      // previous-container capture after a restart: distinguishable, and a new instance
      await store.insertLogLines([
        line(cluster, 3, {
          source: 'previous',
          instance: 1,
          level: 'error',
          exception: true,
          fingerprint: 'fp-1',
          text: 'panic: boom',
        }),
      ]);
      const previous = await store.listLogs({
        cluster,
        podUids: ['pod-1'],
        source: 'previous',
      });
      expect(previous.items).toHaveLength(1);
      expect(previous.items[0]).toMatchObject({
        instance: 1,
        exception: true,
        fingerprint: 'fp-1',
        level: 'error',
      });
      expect(
        await store.lastLogTime({
          cluster,
          podUid: 'pod-1',
          container: 'app',
          instance: 0,
        }),
      ).toBe(new Date(T0 + 1000).toISOString());
    },
  );

  it.each(each)(
    'keyset pagination walks every line exactly once on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      const lines = Array.from({ length: 95 }, (_, n) => line(cluster, n));
      lines.push(
        ...Array.from({ length: 10 }, (_, n) =>
          line(cluster, n, { podUid: 'pod-2', podName: 'cart-2' }),
        ),
      );
      await store.insertLogLines(lines);
      for (const order of ['desc', 'asc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.listLogs({
            cluster,
            podUids: ['pod-1'],
            limit: 10,
            cursor,
            order,
          });
          seen.push(...page.items.map(l => l.text));
          cursor = page.nextCursor;
          pages++;
          // new lines arriving between pages do not shift the pages already read
          if (pages === 2) {
            await store.insertLogLines([
              line(cluster, 1000, {
                at: order === 'desc' ? T0 + 999_000 : T0 - 1,
              }),
            ]);
          }
        } while (cursor);
        // the asc walk also sees the newest line added during the desc walk (it is after all)
        const expected = order === 'desc' ? 95 : 96;
        expect(pages).toBe(10);
        expect(new Set(seen).size).toBe(expected);
        expect(seen).toHaveLength(expected);
      }
      const both = await store.listLogs({
        cluster,
        podUids: ['pod-1', 'pod-2'],
        limit: 2000,
      });
      expect(both.items).toHaveLength(107);
      expect(both.nextCursor).toBeUndefined();
      await expect(
        store.listLogs({ cluster, podUids: ['pod-1'], cursor: 'garbage' }),
      ).rejects.toThrow('invalid log cursor');
    },
  );

  it.each(each)(
    'filters by container, level, time and literal text on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.insertLogLines([
        ...Array.from({ length: 20 }, (_, n) => line(cluster, n)),
        line(cluster, 30, {
          container: 'sidecar',
          text: 'Progress 100% done_ok',
        }),
        line(cluster, 31, { text: 'progress 100X doneXok' }),
        line(cluster, 32, { text: 'ERROR Connection refused' }),
      ]);
      const texts = async (q: object) =>
        (
          await store.listLogs({
            cluster,
            podUids: ['pod-1'],
            order: 'asc',
            ...q,
          })
        ).items.map(l => l.text);
      expect(await texts({ container: 'sidecar' })).toEqual([
        'Progress 100% done_ok',
      ]);
      expect((await texts({ levels: ['error'] })).length).toBe(4);
      expect(
        await texts({ levels: ['warning', 'error'], until: T0 + 4000 }),
      ).toEqual(['line 2', 'line 3', 'line 7', 'line 8']);
      expect(
        await texts({ since: new Date(T0 + 9000), until: new Date(T0 + 9000) }),
      ).toEqual(['line 18', 'line 19']);
      // % and _ are literal, matching is case-insensitive
      expect(await texts({ text: '100% done_' })).toEqual([
        'Progress 100% done_ok',
      ]);
      expect(await texts({ text: 'connection REFUSED' })).toEqual([
        'ERROR Connection refused',
      ]);
      expect(await texts({ levels: [] })).toEqual([]);
    },
  );

  it.each(each)(
    'levels OR exception lines with includeExceptions on %p',
    async id => {
      const { store } = await shared(id);
      const cluster = uniqueCluster();
      await store.insertLogLines([
        line(cluster, 0, { level: 'error', text: 'ERROR boom' }),
        line(cluster, 1, {
          level: 'unknown',
          exception: true,
          text: '\tat com.shop.Cart.add(Cart.java:1)',
        }),
        line(cluster, 2, { level: 'info', text: 'served' }),
      ]);
      const texts = async (q: object) =>
        (
          await store.listLogs({
            cluster,
            podUids: ['pod-1'],
            order: 'asc',
            ...q,
          })
        ).items.map(l => l.text);
      expect(
        await texts({ levels: ['error'], includeExceptions: true }),
      ).toEqual(['ERROR boom', '\tat com.shop.Cart.add(Cart.java:1)']);
      expect(await texts({ levels: [], includeExceptions: true })).toEqual([
        '\tat com.shop.Cart.add(Cart.java:1)',
      ]);
      expect(await texts({ levels: ['error'] })).toEqual(['ERROR boom']);
    },
  );

  it.each(each)('hostile lines are cleaned and capped on %p', async id => {
    const { store } = await shared(id);
    const cluster = uniqueCluster();
    await store.insertLogLines([
      line(cluster, 0, {
        text: Buffer.from([0x61, 0x00, 0xff, 0xfe, 0x62, 0xc3]),
      }),
      line(cluster, 1, { text: `\u0000${'z'.repeat(100_000)}` }),
      line(cluster, 2, { text: "'); DELETE FROM log_lines; --" }),
    ]);
    const items = (
      await store.listLogs({ cluster, podUids: ['pod-1'], order: 'asc' })
    ).items;
    expect(items[0].text).toBe('a\ufffd\ufffdb\ufffd');
    expect(Buffer.byteLength(items[1].text)).toBeLessThanOrEqual(16 * 1024);
    expect(items[1].text.endsWith('…[truncated]')).toBe(true);
    expect(items[2].text).toBe("'); DELETE FROM log_lines; --");
  });
});
