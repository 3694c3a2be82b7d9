export * from './format';
export { HealthStatus } from './HealthStatus';
export { RefreshControl } from './RefreshControl';
export { MissingAnnotations } from './MissingAnnotations';
export { Highlight } from './Highlight';
export { ClusterSyncStrip } from './ClusterSyncStrip';
export { SelectFilter } from './SelectFilter';
export {
  incidentDuration,
  incidentSubject,
  incidentTypeLabel,
} from './incidents';
export { queryParam } from './queryParam';
