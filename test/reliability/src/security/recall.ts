/**
 * Redaction recall through the real capture path: the labelled corpus is written to a simulated
 * container, one LogCollector tail run stores it, and what was stored is compared with what
 * was planted (secrets gone) and with the ordinary lines (byte-identical).
 */
import { Collection, putPod, runningPod, waitFor } from '../hostile/capture';
import { expectedStoredLine, storedLines } from '../hostile/store';
import { ScratchDatabase } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';
import { ordinaryLines, plantedSecrets } from './corpus';

export interface RecallResult {
  planted: number;
  redacted: number;
  /** planted secrets that survived, by class */
  missed: Record<string, number>;
  written: number;
  stored: number;
  /** ordinary lines not stored byte-identical */
  touched: number;
  ordinary: number;
  pod: { name: string; uid: string };
}

export async function measureRecall(
  db: ScratchDatabase,
  collection: Collection,
  options: {
    namespace: string;
    podName: string;
    labels: Record<string, string>;
    quick: boolean;
  },
): Promise<RecallResult> {
  const { sim, cluster } = collection;
  const planted = plantedSecrets(options.quick ? 4 : 20);
  const ordinary = ordinaryLines(options.quick ? 3000 : 100_000);
  // ten ordinary lines before each planted secret, the rest after
  const lines: Array<{ text: string; planted: boolean }> = [];
  /** index in `lines` of each planted secret's first line */
  const plantedAt: number[] = [];
  planted.forEach((p, i) => {
    lines.push(
      ...ordinary
        .slice(i * 10, i * 10 + 10)
        .map(text => ({ text, planted: false })),
    );
    plantedAt.push(lines.length);
    lines.push(...p.lines.map(text => ({ text, planted: true })));
  });
  lines.push(
    ...ordinary
      .slice(planted.length * 10)
      .map(text => ({ text, planted: false })),
  );

  sim.cluster.ensureNamespace(options.namespace);
  const containers = [{ name: 'app', lines: lines.map(l => l.text) }];
  const pod = putPod(
    sim,
    runningPod(options.namespace, options.podName, containers, {
      labels: options.labels,
    }),
    containers,
  );
  await waitFor(
    async () =>
      (
        await db.knex('pods').where({ cluster, uid: pod.metadata.uid })
      ).length === 1,
    30_000,
    'pod stored',
  );
  await collection.collectLogs();
  const stored = await storedLines(db.knex, cluster, pod.metadata.name, 'app');
  // a planted secret counts as redacted only when its lines were stored without it
  const missed: Record<string, number> = {};
  for (const [i, p] of planted.entries()) {
    const mine = stored.slice(plantedAt[i], plantedAt[i] + p.lines.length);
    const kept =
      mine.length === p.lines.length &&
      mine.every(m => p.secrets.every(s => !m.includes(s)));
    if (!kept) missed[p.secretClass] = (missed[p.secretClass] ?? 0) + 1;
  }
  const missedTotal = Object.values(missed).reduce((a, b) => a + b, 0);
  return {
    planted: planted.length,
    redacted: planted.length - missedTotal,
    missed,
    written: lines.length,
    stored: stored.length,
    touched: lines.filter(
      (l, i) => !l.planted && stored[i] !== expectedStoredLine(l.text),
    ).length,
    ordinary: lines.filter(l => !l.planted).length,
    pod: { name: pod.metadata.name, uid: pod.metadata.uid },
  };
}
