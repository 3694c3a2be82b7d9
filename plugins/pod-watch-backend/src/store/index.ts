export { PodWatchStore, STORE_TABLES } from './PodWatchStore';
export { parseLabelSelector, toSelectorRequirement } from './selector';
export { normalizeCoreEvent, normalizeEventsV1Event } from './events';
export type { CoreEventLike, EventsV1EventLike } from './events';
export {
  readRetentionConfig,
  defaultRetentionPolicy,
  scheduleRetention,
} from './retention';
export type { WorkloadQuery } from './workloads';
export * from './types';
export type { StoreOptions } from './batching';
export type { SyncStatusInput, SyncStatusRow } from './syncStatus';
