export {
  IncidentBuilder,
  type IncidentBuilderOptions,
} from './IncidentBuilder';
export {
  incidentHandlerWrapper,
  withIncidents,
  type HandlerLike,
  type IncidentHookKind,
} from './hooks';
export { IncidentQueue } from './IncidentQueue';
export type { IncidentWork } from './work';
export { readIncidentConfig } from './config';
export type { IncidentEvidence } from './evidence';
