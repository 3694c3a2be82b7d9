import {
  normalizeCoreEvent,
  normalizeEventsV1Event,
  type PodWatchStore,
} from '../../store';
import { KindHandler, KubeObject } from './types';

/**
 * Events, from core/v1 or events.k8s.io/v1 (the same objects in two shapes): one row per Event,
 * updated as its count grows. Events are themselves history, so no object history is written,
 * and a deleted Event (TTL expiry) keeps its row until retention removes it.
 */
export function createEventHandler(options: {
  cluster: string;
  store: PodWatchStore;
  apiGroup: 'core' | 'events.k8s.io';
}): KindHandler {
  const { cluster, store } = options;
  const normalise = (o: KubeObject) =>
    options.apiGroup === 'core'
      ? normalizeCoreEvent(cluster, o)
      : normalizeEventsV1Event(cluster, o);
  return {
    async apply(events) {
      const inputs = events
        .filter(e => e.type !== 'DELETED')
        .map(e => normalise(e.object));
      if (inputs.length > 0) await store.upsertEvents(inputs);
    },
    async replace(objects) {
      if (objects.length > 0) await store.upsertEvents(objects.map(normalise));
    },
  };
}
