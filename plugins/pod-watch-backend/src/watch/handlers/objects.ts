import type { TimeInput } from '../../store';
import { HistoryRecorder } from './history';
import { KindHandler, KubeObject, latestByUid } from './types';

/**
 * The handler shape shared by objects kept as current state plus history (workloads, custom
 * resources): watch events upsert the latest state per uid, mark deletions and append
 * history; a relist upserts everything and marks deleted what the list lacks.
 */
export function createObjectHandler<I>(options: {
  history: HistoryRecorder;
  toInput: (o: KubeObject, at: Date, deleted: boolean) => I;
  upsert: (inputs: I[]) => Promise<unknown>;
  markDeleted: (uids: string[], at: TimeInput) => Promise<unknown>;
  markMissing: (
    presentUids: string[],
    namespace: string | undefined,
    at: TimeInput,
  ) => Promise<unknown>;
}): KindHandler {
  const { history } = options;
  return {
    async apply(events, at) {
      const latest = latestByUid(events);
      await options.upsert(
        latest.map(e => options.toInput(e.object, at, e.type === 'DELETED')),
      );
      const deleted = latest
        .filter(e => e.type === 'DELETED')
        .map(e => e.object.metadata.uid!);
      if (deleted.length > 0) await options.markDeleted(deleted, at);
      await history.record(events, at);
    },
    async replace(objects, scope, at) {
      await options.upsert(objects.map(o => options.toInput(o, at, false)));
      const uids = objects.map(o => o.metadata.uid!);
      await options.markMissing(uids, scope.namespace, at);
      history.retain(new Set(uids));
      history.remember(objects);
    },
  };
}
