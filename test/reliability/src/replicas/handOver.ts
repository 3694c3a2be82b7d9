/**
 * Stops the leading replica (SIGKILL, or SIGTERM for a graceful shutdown) and measures, at the
 * survivor's proxy, how long until the survivor sends its first watch request.
 */
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { ReplicaSlot, ReplicaSlots } from './replicaSlots';

export type HandOverHow = 'kill -9' | 'SIGTERM';

export interface HandOver {
  how: HandOverHow;
  from: string;
  to: string;
  /** lease holder ids of the stopped process and of the survivor */
  fromHolder: string;
  toHolder: string;
  startedAt: number;
  /** when the stopped process was gone */
  goneAt: number;
  exitCode?: number | null;
  /** the survivor's first watch request after `startedAt` (undefined: none within the timeout) */
  firstWatchAt?: number;
  /** startedAt → firstWatchAt, in seconds */
  seconds?: number;
  /** how long the survivor was waited for, in seconds */
  waitedSeconds: number;
}

export async function handOver(o: {
  how: HandOverHow;
  replicas: ReplicaSlots;
  from: ReplicaSlot;
  to: ReplicaSlot;
  timeoutMs: number;
}): Promise<HandOver> {
  const holderOf = (slot: ReplicaSlot) =>
    slot.history[slot.history.length - 1]?.holder;
  const fromHolder = holderOf(o.from);
  const toHolder = holderOf(o.to);
  const startedAt = Date.now();
  let exitCode: number | null | undefined;
  if (o.how === 'kill -9') await o.replicas.kill9(o.from);
  else exitCode = await o.replicas.terminate(o.from);
  const goneAt = Date.now();
  const first = await waitFor(
    () => o.to.proxy.requests.find(r => r.watch && r.at >= startedAt),
    Math.max(0, startedAt + o.timeoutMs - Date.now()),
    `replica ${o.to.name} watching after ${o.how} of ${o.from.name}`,
  ).catch(() => undefined);
  return {
    how: o.how,
    from: o.from.name,
    to: o.to.name,
    fromHolder,
    toHolder,
    startedAt,
    goneAt,
    exitCode,
    firstWatchAt: first?.at,
    seconds: first && (first.at - startedAt) / 1000,
    waitedSeconds: ((first?.at ?? Date.now()) - startedAt) / 1000,
  };
}
