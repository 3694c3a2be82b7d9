/**
 * Search collators for Pod Watch: incidents (found by reason, container, image or message) and
 * workloads with their health, each authorised by its catalog entity.
 *
 * @packageDocumentation
 */

export { searchModulePodWatch as default } from './module';
export {
  PodWatchIncidentCollatorFactory,
  PodWatchWorkloadCollatorFactory,
} from './collators';
export { PodWatchDocumentSource } from './PodWatchDocumentSource';
export { incidentDocument, workloadDocument } from './documents';
export type { DocumentEntity } from './documents';
