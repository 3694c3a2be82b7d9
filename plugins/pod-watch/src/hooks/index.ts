export * from './usePolling';
export * from './useEntityRef';
export * from './useEntityPods';
export * from './usePodDetail';
export * from './usePodLogs';
export * from './useIncidents';
