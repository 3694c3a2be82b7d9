import { TestDatabaseId } from '@backstage/backend-test-utils';
import { KubeSim } from '@pod-watch/kube-sim';
import { REDACTED } from '@pod-watch/plugin-pod-watch-common';
import { KubeClient } from '../clusters/KubeClient';
import { POD_WATCH_DEFAULTS } from '../clusters/podWatchConfig';
import {
  storeTestDatabases,
  uniqueCluster,
} from '../store/__testUtils__/databases';
import { toPodInput } from '../watch/handlers/pods';
import { startSim, testLogger } from '../watch/__testUtils__/harness';
import { LogCollector, LONG_LINE_READ_BYTES } from './LogCollector';
import { TRUNCATED_MARK } from './logLines';

jest.setTimeout(120_000);

const { each, shared } = storeTestDatabases();
const NAMESPACE = 'logs';
/** small, so an over-limit line is cheap; the larger read is the real one */
const LIMIT_BYTES = 4096;
const second = (s: number, ms: number) =>
  Date.parse(`2026-11-23T10:00:0${s}.${String(ms).padStart(3, '0')}Z`);

describe('LogCollector', () => {
  let sim: KubeSim;
  let client: KubeClient;
  beforeAll(async () => {
    ({ sim, client } = await startSim());
    sim.cluster.ensureNamespace(NAMESPACE);
  });
  afterAll(() => sim.close());

  /** A running pod (restarted `restarts` times) in the simulator and the store. */
  async function setUp(id: TestDatabaseId, restarts = 0) {
    const { store, knex } = await shared(id);
    const cluster = uniqueCluster('logs');
    const now = new Date().toISOString();
    const pod = sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: cluster, namespace: NAMESPACE },
      spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'x' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'x',
            imageID: '',
            ready: true,
            restartCount: restarts,
            state: { running: { startedAt: now } },
            lastState: restarts
              ? { terminated: { exitCode: 1, finishedAt: now } }
              : {},
          },
        ],
      },
    });
    await store.upsertPods([toPodInput(cluster, pod, new Date())]);
    sim.logs.startInstance(NAMESPACE, cluster, 'app');
    const collector = new LogCollector({
      cluster,
      client,
      store,
      logger: testLogger(),
      config: {
        logs: { ...POD_WATCH_DEFAULTS.logs, limitBytes: LIMIT_BYTES },
        namespaces: POD_WATCH_DEFAULTS.namespaces,
      },
    });
    return {
      collector,
      podName: cluster,
      podUid: pod.metadata.uid!,
      log: (ts: number, text: string) =>
        sim.logs.append(NAMESPACE, cluster, 'app', { ts, text }),
      restart: () => sim.logs.startInstance(NAMESPACE, cluster, 'app'),
      stored: async () =>
        (
          await knex('log_lines')
            .where({ cluster, pod_name: cluster })
            .orderBy('id')
            .select('text')
        ).map((r: { text: string }) => r.text),
    };
  }

  it.each(each)(
    'reads past a line over limitBytes, with the lines of its second, on %p',
    async id => {
      const { collector, log, stored } = await setUp(id);
      const huge = `huge ${'y'.repeat(2 * LIMIT_BYTES)}`;
      log(second(0, 100), 'before');
      log(second(0, 200), huge);
      log(second(0, 300), 'after-1');
      await collector.collectTails(NAMESPACE);
      log(second(0, 900), 'after-2');
      log(second(1, 500), 'after-3');
      await collector.collectTails(NAMESPACE);
      await collector.collectTails(NAMESPACE);
      expect(await stored()).toEqual([
        'before',
        huge,
        'after-1',
        'after-2',
        'after-3',
      ]);
    },
  );

  it.each(each)(
    'keeps the start of a line too long to read, marked, and reads on from the next second on %p',
    async id => {
      const { collector, log, stored } = await setUp(id);
      log(second(0, 100), 'before');
      log(second(0, 200), `huge ${'z'.repeat(LONG_LINE_READ_BYTES)}`);
      // the kubelet's sinceTime has whole seconds: nothing can start after the long line
      // within its second, so this line is the documented loss
      log(second(0, 300), 'same second');
      expect((await collector.collectTails(NAMESPACE)).logs).toBe(2);
      const [before, long] = await stored();
      expect(before).toBe('before');
      expect(long.startsWith('huge zzz')).toBe(true);
      expect(long.endsWith(TRUNCATED_MARK)).toBe(true);
      expect(Buffer.byteLength(long)).toBeLessThanOrEqual(16 * 1024);
      // a quiet container: the next run reads after the long line, not the 4 MiB again
      expect((await collector.collectTails(NAMESPACE)).logs).toBe(0);
      log(second(1, 100), 'next second');
      await collector.collectTails(NAMESPACE);
      await collector.collectTails(NAMESPACE);
      expect((await stored()).slice(2)).toEqual(['next second']);
    },
  );

  it.each(each)(
    'redacts a private key printed over several lines of a previous container on %p',
    async id => {
      const { collector, log, restart, stored, podName, podUid } = await setUp(
        id,
        1,
      );
      const lines = [
        'loading key',
        '-----BEGIN RSA PRIVATE KEY-----',
        'MIIEowIBAAKCAQEA7abcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJ',
        'cmVzdCBvZiB0aGUga2V5',
        '-----END RSA PRIVATE KEY-----',
        'key loaded',
      ];
      lines.forEach((text, i) => log(second(0, i), text));
      restart();
      collector.capture([
        {
          cluster: 'ignored',
          namespace: NAMESPACE,
          podName,
          podUid,
          container: 'app',
          instance: 0,
          previous: true,
        },
      ]);
      await collector.idle();
      expect(await stored()).toEqual([
        'loading key',
        `-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----`,
        REDACTED,
        REDACTED,
        REDACTED,
        'key loaded',
      ]);
    },
  );
});
