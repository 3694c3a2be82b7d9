/**
 * Writes each kind of stored data through the store's production write path, returning the raw
 * size of what it was given (the ratio's baseline).
 */
import { PodWatchStore } from '@pod-watch/plugin-pod-watch-backend/src/store';
import {
  parseTimestampedLogs,
  toLogLineInputs,
} from '@pod-watch/plugin-pod-watch-backend/src/collector/logLines';
import {
  HistoryRecorder,
  trimObject,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/handlers/history';
import { makeEvent, rng } from '../lib/generators';
import { realLogLines, realPods } from './corpora';

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const BATCH = 500;

/** `n` Events in batches, as the Events watch upserts them. Raw: their JSON. */
export async function writeEvents(
  store: PodWatchStore,
  n: number,
): Promise<number> {
  const r = rng(7);
  const now = Date.now();
  let raw = 0;
  for (let done = 0; done < n; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, n - done) }, (_, j) =>
      makeEvent(done + j, r, { pods: 10_000, now }),
    );
    raw += batch.reduce((sum, e) => sum + bytesOf(e), 0);
    await store.upsertEvents(batch);
  }
  return raw;
}

/**
 * `n` log lines as the log collector stores them: tails of `tailLines` lines per container
 * from the real corpora, as `kubectl logs --timestamps` returns them, parsed, redacted, folded
 * and fingerprinted by the collector's own functions. Raw: the response bodies.
 */
export async function writeLogLines(
  store: PodWatchStore,
  n: number,
  tailLines = 200,
): Promise<number> {
  const corpus = realLogLines();
  const start = Date.UTC(2026, 0, 1);
  let raw = 0;
  let line = 0;
  for (let pod = 0; line < n; pod++) {
    const count = Math.min(tailLines, n - line);
    let body = '';
    for (let i = 0; i < count; i++, line++) {
      const at = new Date(start + line * 10).toISOString();
      body += `${at} ${corpus[line % corpus.length]}\n`;
    }
    raw += Buffer.byteLength(body);
    const lines = parseTimestampedLogs(body, new Date(start).toISOString());
    await store.insertLogLines(
      toLogLineInputs(lines, {
        cluster: 'bench',
        namespace: `ns-${pod % 20}`,
        podUid: `0d7c2f4e-1a2b-4c3d-9e8f-${pod.toString(16).padStart(12, '0')}`,
        podName: `cart-7d9f8b6c5d-${pod.toString(36).padStart(5, '0')}`,
        container: 'app',
        instance: 0,
        source: 'live',
      }),
    );
  }
  return raw;
}

/**
 * `n` pod creations as the pod watch records them (a snapshot each, managedFields dropped),
 * cycling through the real pods with a fresh identity. Raw: the JSON of the stored snapshots.
 */
export async function writeSnapshots(
  store: PodWatchStore,
  n: number,
): Promise<number> {
  const pods = realPods();
  const recorder = new HistoryRecorder(store, 'bench', 'v1', 'Pod');
  const at = new Date();
  // a pod watch ADDED event for the i-th creation
  const added = (i: number) => {
    const pod = pods[i % pods.length];
    return {
      type: 'ADDED' as const,
      object: {
        ...pod,
        metadata: {
          ...pod.metadata,
          name: `${pod.metadata.name}-${i.toString(36)}`,
          uid: `5e1f3a2b-7c4d-4e5f-8a9b-${i.toString(16).padStart(12, '0')}`,
          resourceVersion: String(100_000 + i),
        },
      },
    };
  };
  let raw = 0;
  for (let done = 0; done < n; done += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, n - done) }, (_, j) =>
      added(done + j),
    );
    for (const e of events) raw += bytesOf(trimObject(e.object));
    await recorder.record(events, at);
  }
  return raw;
}
